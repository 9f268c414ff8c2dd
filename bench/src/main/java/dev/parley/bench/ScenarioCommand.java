package dev.parley.bench;

import dev.parley.bench.report.RunReport;
import java.io.PrintStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Spec;

/**
 * A scenario subcommand: opens a {@link BenchRun}, runs, reports. Exit code 0 when the run PASSED
 * its correctness checks, 1 when it FAILED, 2 when it could not run (bad options, no accounts,
 * server unreachable).
 */
public abstract class ScenarioCommand implements Callable<Integer> {
  @Mixin protected CommonOptions common;

  @Spec protected CommandSpec spec;

  /**
   * Accounts the run needs (their tokens are refreshed before it starts), given how many the file
   * has.
   */
  protected abstract int accountsNeeded(int available);

  protected abstract RunReport run(BenchRun run) throws Exception;

  @Override
  public Integer call() {
    PrintStream out = System.out;
    try (BenchRun run = new BenchRun(common, spec.name(), commandLine(), settings(), out)) {
      run.open(this::accountsNeeded);
      RunReport report = run(run);
      return "PASSED".equals(report.verdict()) ? 0 : 1;
    } catch (IllegalArgumentException | IllegalStateException e) {
      System.err.println("bench " + spec.name() + ": " + e.getMessage());
      return 2;
    } catch (Exception e) {
      System.err.println("bench " + spec.name() + " failed: " + e);
      e.printStackTrace(System.err);
      return 2;
    }
  }

  private List<String> commandLine() {
    try {
      return List.copyOf(spec.root().commandLine().getParseResult().originalArgs());
    } catch (RuntimeException e) {
      return List.of(spec.qualifiedName());
    }
  }

  /** Every option's value, for the report (strings, numbers and booleans only). */
  private Map<String, Object> settings() {
    Map<String, Object> m = new LinkedHashMap<>();
    for (OptionSpec o : spec.options()) {
      if (o.usageHelp() || o.versionHelp()) continue;
      Object v = o.getValue();
      if (v == null) continue;
      String key = o.longestName().replaceFirst("^-+", "");
      if (v instanceof Number || v instanceof Boolean) m.put(key, v);
      else if (v instanceof Duration d) m.put(key, Durations.format(d));
      else if (v instanceof List<?> l) m.put(key, l.stream().map(String::valueOf).toList());
      else m.put(key, String.valueOf(v));
    }
    return m;
  }

  /** "100 ms"-style helper for progress lines. */
  protected static String ms(double v) {
    return String.format("%.1f ms", v);
  }
}
