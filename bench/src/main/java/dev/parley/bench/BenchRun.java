package dev.parley.bench;

import dev.parley.bench.account.Account;
import dev.parley.bench.account.AccountsFile;
import dev.parley.bench.account.AuthHttp;
import dev.parley.bench.account.DevCodeTail;
import dev.parley.bench.account.Sessions;
import dev.parley.bench.load.Fleet;
import dev.parley.bench.load.Ledger;
import dev.parley.bench.load.PhaseStats;
import dev.parley.bench.load.RunCounters;
import dev.parley.bench.net.NetLoops;
import dev.parley.bench.report.MachineInfo;
import dev.parley.bench.report.PhaseReport;
import dev.parley.bench.report.ReportWriter;
import dev.parley.bench.report.RunReport;
import dev.parley.bench.report.ServerMetrics;
import dev.parley.bench.report.Verdict;
import java.io.PrintStream;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What one scenario run shares: event loops, accounts and their tokens, the metrics sampler, the
 * phases measured so far, and the report at the end. A scenario opens it, measures phases, and
 * calls {@link #finish}.
 */
public final class BenchRun implements AutoCloseable {
  private final CommonOptions options;
  private final String scenario;
  private final List<String> commandLine;
  private final Map<String, Object> settings;
  private final PrintStream out;
  private final Clock clock;
  private final Instant started;
  private final String runId;
  private final MachineInfo machine = MachineInfo.current();
  private final List<Phase> phases = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();
  private @Nullable NetLoops net;
  private @Nullable AccountsFile accountsFile;
  private @Nullable AuthHttp http;
  private @Nullable DevCodeTail codes;
  private @Nullable Sessions sessions;
  private @Nullable ServerMetrics metrics;

  /** A phase being measured: its stats, the server window and the bench's own CPU. */
  public final class Phase {
    public final PhaseStats stats;
    private final ServerMetrics.Window window;
    private final double cpuStart;
    private java.util.concurrent.@Nullable CompletableFuture<ServerMetrics.Delta> server;
    private @Nullable Double benchCores;
    private String note = "";

    private Phase(PhaseStats stats) {
      this.stats = stats;
      this.window = opened(metrics).window();
      this.cpuStart = MachineInfo.processCpuSeconds();
      stats.start(
          System.nanoTime()); // after the (slow) first metrics sample: the phase is its sending
      // window
    }

    /** Ends the sending window of the phase (latencies of its messages may still arrive later). */
    public void end(String note) {
      stats.end(System.nanoTime());
      server = window.close();
      double cpu = MachineInfo.processCpuSeconds();
      double s = stats.seconds();
      benchCores = cpu >= 0 && s > 0 ? Math.round((cpu - cpuStart) / s * 100) / 100.0 : null;
      this.note = note == null ? "" : note;
    }

    public void note(String more) {
      note = note.isEmpty() ? more : note + "; " + more;
    }

    /** The server during the phase (waits for the last sample). */
    public ServerMetrics.Delta server() {
      return java.util.Objects.requireNonNull(server, "the phase has not ended").join();
    }

    PhaseReport report() {
      return PhaseReport.of(stats, server(), benchCores, note);
    }
  }

  public BenchRun(
      CommonOptions options,
      String scenario,
      List<String> commandLine,
      Map<String, Object> settings,
      PrintStream out) {
    this.options = options;
    this.scenario = scenario;
    this.commandLine = commandLine;
    this.settings = settings;
    this.out = out;
    this.clock = Clock.systemUTC();
    this.started = clock.instant();
    this.runId = newRunId();
  }

  private static String newRunId() {
    String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
    SecureRandom r = new SecureRandom();
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 8; i++) b.append(alphabet.charAt(r.nextInt(alphabet.length())));
    return b.toString();
  }

  /**
   * Opens the loops, the metrics sampler and the accounts file; the first {@code
   * accountsNeeded(number in the file)} accounts get fresh tokens.
   */
  public BenchRun open(java.util.function.IntUnaryOperator accountsNeededOf) {
    if (options.payload < 1 || options.payload > 4000) {
      throw new IllegalArgumentException(
          "--payload must be 1..4000 (the server's text limit), not " + options.payload);
    }
    net = new NetLoops(options.threads(), options.sourceAddresses);
    metrics = new ServerMetrics(options.metricsUri(), options.serverPid);
    accountsFile = AccountsFile.load(options.accounts);
    int accountsNeeded = accountsNeededOf.applyAsInt(accountsFile.accounts().size());
    if (accountsFile.accounts().size() < accountsNeeded) {
      throw new IllegalArgumentException(
          options.accounts
              + " has "
              + accountsFile.accounts().size()
              + " accounts; this run needs "
              + accountsNeeded
              + " (bench provision --users "
              + accountsNeeded
              + ")");
    }
    if (accountsFile.server() != null && !accountsFile.server().equals(options.server.toString())) {
      notes.add(
          "accounts were provisioned against "
              + accountsFile.server()
              + ", running against "
              + options.server);
    }
    http = new AuthHttp(options.server);
    if (options.dataDir != null) codes = new DevCodeTail(options.dataDir.resolve("dev-codes.log"));
    sessions = new Sessions(accountsFile, http, codes, clock);
    int refreshed = sessions.ensureFresh(accounts(accountsNeeded), Duration.ofMinutes(2), 32);
    if (refreshed > 0)
      out.printf("Refreshed the tokens of %d of %d accounts%n", refreshed, accountsNeeded);
    return this;
  }

  /** What {@link #open} sets; calling anything that needs it before is a bug of the scenario. */
  private static <T> T opened(@Nullable T value) {
    return java.util.Objects.requireNonNull(value, "BenchRun.open() has not been called");
  }

  /** The first {@code n} accounts of the file. */
  public List<Account> accounts(int n) {
    return opened(accountsFile).accounts().subList(0, n);
  }

  public int accountsAvailable() {
    return opened(accountsFile).accounts().size();
  }

  public Fleet fleet(List<Account> accounts, boolean reconnect) {
    Fleet.Settings s =
        new Fleet.Settings(
            options.server,
            options.encoding,
            options.maxInFlight,
            options.requestTimeout,
            options.payload,
            options.connectConcurrency,
            options.ackInterval,
            reconnect);
    return new Fleet(s, opened(net), opened(sessions), accounts, runId);
  }

  public NetLoops net() {
    return opened(net);
  }

  public Sessions sessions() {
    return opened(sessions);
  }

  public CommonOptions options() {
    return options;
  }

  public PrintStream out() {
    return out;
  }

  public String runId() {
    return runId;
  }

  /** Starts a phase whose messages go through {@code ledger} (null: a phase without messages). */
  public Phase beginPhase(@Nullable Ledger ledger, String name, double targetRate) {
    PhaseStats stats;
    if (ledger != null) {
      stats = ledger.startPhase(name, targetRate);
    } else {
      stats = new PhaseStats(name, targetRate);
      stats.start(System.nanoTime());
    }
    Phase p = new Phase(stats);
    phases.add(p);
    return p;
  }

  public void note(String note) {
    notes.add(note);
  }

  /**
   * Builds the report (after the ledger's {@code finish}), prints the summary, writes the JSON file
   * and returns the report.
   */
  public RunReport finish(
      String description, Map<String, Object> results, @Nullable RunCounters counters) {
    return finish(description, results, counters, List.of());
  }

  /** As above, with failures the scenario found itself (its own correctness checks). */
  public RunReport finish(
      String description,
      Map<String, Object> results,
      @Nullable RunCounters counters,
      List<String> scenarioFailures) {
    Instant ended = clock.instant();
    List<PhaseReport> reports = new ArrayList<>();
    for (Phase p : phases) reports.add(p.report());
    List<String> failures = new ArrayList<>(scenarioFailures);
    if (counters != null) failures.addAll(Verdict.failures(reports, counters));
    Map<String, Object> allSettings = new LinkedHashMap<>(settings);
    allSettings.put("runId", runId);
    allSettings.put("transport", opened(net).transport());
    RunReport r =
        new RunReport(
            "parley-bench",
            scenario,
            description,
            commandLine,
            started.toString(),
            ended.toString(),
            (ended.toEpochMilli() - started.toEpochMilli()) / 1000.0,
            machine,
            allSettings,
            failures.isEmpty() ? "PASSED" : "FAILED",
            failures,
            List.copyOf(notes),
            reports,
            results == null ? Map.of() : results,
            counters == null ? null : RunReport.Connections.of(counters));
    ReportWriter.printSummary(r, out);
    Path file =
        options.out != null
            ? options.out
            : Path.of(
                "bench-"
                    + scenario
                    + "-"
                    + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
                        .withZone(ZoneOffset.UTC)
                        .format(started)
                    + ".json");
    ReportWriter.writeJson(r, file);
    out.println("result: " + file.toAbsolutePath());
    return r;
  }

  @Override
  public void close() {
    if (sessions != null) sessions.close();
    if (codes != null) codes.close();
    if (http != null) http.close();
    if (metrics != null) metrics.close();
    if (net != null) net.close();
  }
}
