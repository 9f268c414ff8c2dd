package dev.parley.bench.scenario;

import dev.parley.bench.BenchRun;
import dev.parley.bench.Durations;
import dev.parley.bench.ScenarioCommand;
import dev.parley.bench.load.Device;
import dev.parley.bench.load.Fleet;
import dev.parley.bench.load.OpenLoopPacer;
import dev.parley.bench.load.PhaseStats;
import dev.parley.bench.load.Target;
import dev.parley.bench.report.LatencySummary;
import dev.parley.bench.report.RunReport;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * S1, one-to-one: U users online in a ring, each messaging its two neighbours in turn. The
 * aggregate rate steps up until the p99 send-to-receive latency passes the limit, errors appear,
 * messages are still undelivered after a step's drain, or the maximum rate is reached.
 *
 * <p>Each step is its own open-loop schedule at its rate for the step duration, followed by a drain
 * (sending paused until the step's messages are answered and delivered, at most {@code --drain}),
 * so every step starts from an idle server and measures that rate alone.
 */
@Command(
    name = "s1",
    mixinStandardHelpOptions = true,
    description =
        "One-to-one messaging in a ring; the rate steps up until p99 send-to-receive passes the limit or errors appear.")
public final class S1OneToOne extends ScenarioCommand {
  @Option(
      names = "--users",
      paramLabel = "U",
      description = "Users online (default: every account in the file).")
  Integer users;

  @Option(
      names = "--start-rate",
      paramLabel = "MSG/S",
      defaultValue = "100",
      description = "First step's rate. Default: ${DEFAULT-VALUE}.")
  double startRate;

  @Option(
      names = "--step",
      paramLabel = "MSG/S",
      defaultValue = "100",
      description = "Rate increase per step. Default: ${DEFAULT-VALUE}.")
  double step;

  @Option(
      names = "--step-duration",
      paramLabel = "DURATION",
      defaultValue = "30s",
      converter = Durations.class,
      description = "Length of each step. Default: ${DEFAULT-VALUE}.")
  Duration stepDuration;

  @Option(
      names = "--max-rate",
      paramLabel = "MSG/S",
      defaultValue = "20000",
      description = "Stop after the step at this rate. Default: ${DEFAULT-VALUE}.")
  double maxRate;

  @Option(
      names = "--p99-limit",
      paramLabel = "DURATION",
      defaultValue = "50ms",
      converter = Durations.class,
      description =
          "Stop when a step's p99 send-to-receive exceeds this. Default: ${DEFAULT-VALUE}.")
  Duration p99Limit;

  @Option(
      names = "--drain",
      paramLabel = "DURATION",
      defaultValue = "10s",
      converter = Durations.class,
      description =
          "After each step, wait at most this long for its messages to complete. Default: ${DEFAULT-VALUE}.")
  Duration drain;

  @Option(
      names = "--warmup-rate",
      paramLabel = "MSG/S",
      defaultValue = "500",
      description =
          "Rate of the warm-up (one message to each neighbour, creating the conversations). Default: ${DEFAULT-VALUE}.")
  double warmupRate;

  @Override
  protected int accountsNeeded(int available) {
    return users == null ? available : users;
  }

  @Override
  protected RunReport run(BenchRun run) {
    List<Device> devices;
    int u = users == null ? run.accountsAvailable() : users;
    if (u < 2) throw new IllegalArgumentException("s1 needs at least 2 users");
    Fleet fleet = run.fleet(run.accounts(u), true);
    devices = fleet.devices();
    run.out().printf("s1: connecting %d users...%n", u);
    int failed = fleet.connectAll(devices, Duration.ofMinutes(5));
    if (failed > 0)
      throw new IllegalStateException(failed + " of " + u + " users could not connect");

    long[] next = {0};
    // Warm-up: every user sends one message to each neighbour; creates the 'u' direct
    // conversations.
    BenchRun.Phase warm = run.beginPhase(fleet.ledger(), "warmup", warmupRate);
    runSchedule(devices, warm.stats, warmupRate, Duration.ofDays(1), 2L * u, next);
    warm.end("creates the conversations; not a measurement");
    warm.stats.incompleteAfterDrain.add(fleet.awaitComplete(warm.stats, drain));

    String stopReason = "max rate reached";
    double lastGood = 0;
    int stepNo = 0;
    for (double rate = startRate; rate <= maxRate + 1e-9; rate += step) {
      stepNo++;
      long closesBefore = fleet.counters().unexpectedCloseCount();
      BenchRun.Phase phase = run.beginPhase(fleet.ledger(), "step" + stepNo, rate);
      runSchedule(devices, phase.stats, rate, stepDuration, Long.MAX_VALUE, next);
      phase.end("");
      int incomplete = fleet.awaitComplete(phase.stats, drain);
      phase.stats.incompleteAfterDrain.add(incomplete);
      LatencySummary e2e = LatencySummary.of(phase.stats.endToEnd);
      long errors = phase.stats.errorCount();
      run.out()
          .printf(
              "  step %d: %.0f msg/s, sent %d, delivered %d, errors %d, send→recv p99 %.2f ms, max %.2f ms%n",
              stepNo,
              rate,
              phase.stats.sent.sum(),
              phase.stats.delivered.sum(),
              errors,
              e2e.p99Ms(),
              e2e.maxMs());
      String stop = null;
      long closes = fleet.counters().unexpectedCloseCount() - closesBefore;
      if (errors > 0) stop = "errors at " + rate + " msg/s: " + phase.stats.errors();
      else if (closes > 0)
        stop = closes + " connections closed by the server: " + fleet.counters().unexpectedCloses();
      else if (incomplete > 0)
        stop = incomplete + " messages incomplete " + Durations.format(drain) + " after the step";
      else if (e2e.p99Ms() > p99Limit.toNanos() / 1e6)
        stop = "p99 send-to-receive " + e2e.p99Ms() + " ms > " + Durations.format(p99Limit);
      if (stop != null) {
        phase.note("stop: " + stop);
        stopReason = stop;
        break;
      }
      lastGood = rate;
    }

    fleet.awaitAnswered(drain);
    fleet.finalSync(Duration.ofMinutes(2));
    fleet.awaitComplete(null, Duration.ofSeconds(2));
    fleet.ledger().finish();
    fleet.disconnectAll(Duration.ofSeconds(30));

    Map<String, Object> results = new LinkedHashMap<>();
    results.put("users", u);
    results.put("steps", stepNo);
    results.put("highestRateWithinLimit", lastGood);
    results.put("stopReason", stopReason);
    return run.finish(
        "one-to-one ring, "
            + u
            + " users, rate stepped "
            + startRate
            + " +"
            + step
            + "/step, "
            + run.options().encoding.name().toLowerCase()
            + ", "
            + run.options().payload
            + " B",
        results,
        fleet.counters());
  }

  /**
   * Message k of the run (counted across phases by {@code next}) goes from user k mod U to its
   * right neighbour on even turns and its left neighbour on odd ones.
   */
  private static void runSchedule(
      List<Device> devices,
      PhaseStats phase,
      double rate,
      Duration duration,
      long count,
      long[] next) {
    int u = devices.size();
    OpenLoopPacer.run(
        rate,
        System.nanoTime(),
        duration,
        count,
        (k, intended) -> {
          long g = next[0]++;
          int sender = (int) (g % u);
          int s = Senders.pick(devices, sender);
          if (s < 0) return;
          boolean right = ((g / u) & 1) == 0;
          int peer = right ? (s + 1) % u : (s - 1 + u) % u;
          devices.get(s).schedule(Target.direct(devices.get(peer).index()), intended, phase);
        },
        () -> false);
  }
}
