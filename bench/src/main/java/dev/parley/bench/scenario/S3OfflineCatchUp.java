package dev.parley.bench.scenario;

import dev.parley.bench.BenchRun;
import dev.parley.bench.Durations;
import dev.parley.bench.ScenarioCommand;
import dev.parley.bench.load.CatchUp;
import dev.parley.bench.load.Device;
import dev.parley.bench.load.Fleet;
import dev.parley.bench.load.OpenLoopPacer;
import dev.parley.bench.load.Target;
import dev.parley.bench.report.RunReport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * S3, offline catch-up: one device goes offline, M messages arrive for it in C direct conversations
 * (one peer per conversation), then it reconnects and runs the get_difference loop (pages of 1000)
 * from its last applied pts. Measured: the time from the start of the reconnect to fully synced,
 * split into connect, authenticate and sync, and the number of requests. Every message must arrive
 * exactly once.
 *
 * <p>One-to-one messages are in the feed, so the catch-up is get_difference alone: the device
 * follows no group and sends no sync_groups ({@code syncGroupsRequests} says so).
 */
@Command(
    name = "s3",
    mixinStandardHelpOptions = true,
    description =
        "Offline catch-up: M messages in C conversations arrive while a device is offline; time and requests until it is synced again.")
public final class S3OfflineCatchUp extends ScenarioCommand {
  @Option(
      names = "--messages",
      paramLabel = "M",
      defaultValue = "10000",
      description = "Messages sent while offline. Default: ${DEFAULT-VALUE}.")
  int messages;

  @Option(
      names = "--conversations",
      paramLabel = "C",
      defaultValue = "100",
      description = "Conversations they arrive in (needs C+1 accounts). Default: ${DEFAULT-VALUE}.")
  int conversations;

  @Option(
      names = "--fill-rate",
      paramLabel = "MSG/S",
      defaultValue = "1000",
      description = "Rate at which the peers send them (open loop). Default: ${DEFAULT-VALUE}.")
  double fillRate;

  @Option(
      names = "--rounds",
      paramLabel = "N",
      defaultValue = "1",
      description = "Offline/catch-up rounds. Default: ${DEFAULT-VALUE}.")
  int rounds;

  @Option(
      names = "--drain",
      paramLabel = "DURATION",
      defaultValue = "30s",
      converter = Durations.class,
      description =
          "Wait at most this long for every message to be answered / delivered. Default: ${DEFAULT-VALUE}.")
  Duration drain;

  @Override
  protected int accountsNeeded(int available) {
    return conversations + 1;
  }

  /** One round's catch-up, as reported. */
  record Round(
      int round,
      int messages,
      double fillSeconds,
      double totalMs,
      double connectMs,
      double authMs,
      double syncMs,
      int requests,
      int pages,
      long updates,
      int syncGroupsRequests,
      long bytes,
      double messagesPerSecond) {
    Map<String, Object> asMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("round", round);
      m.put("messages", messages);
      m.put("fillSeconds", fillSeconds);
      m.put("totalMs", totalMs);
      m.put("connectMs", connectMs);
      m.put("authenticateMs", authMs);
      m.put("getDifferenceMs", syncMs);
      m.put("requests", requests);
      m.put("pages", pages);
      m.put("updates", updates);
      m.put("syncGroupsRequests", syncGroupsRequests);
      m.put("bytes", bytes);
      m.put("messagesPerSecond", messagesPerSecond);
      return m;
    }
  }

  @Override
  protected RunReport run(BenchRun run) throws Exception {
    if (conversations < 1 || messages < 1)
      throw new IllegalArgumentException("need --messages and --conversations >= 1");
    Fleet fleet = run.fleet(run.accounts(conversations + 1), false);
    List<Device> all = fleet.devices();
    Device target = all.get(0);
    List<Device> peers = all.subList(1, all.size());
    run.out().printf("s3: connecting %d users...%n", all.size());
    int failed = fleet.connectAll(all, Duration.ofMinutes(5));
    if (failed > 0) throw new IllegalStateException(failed + " users could not connect");

    List<Round> rounds = new ArrayList<>();
    for (int r = 1; r <= this.rounds; r++) {
      target.disconnect(false).get(30, TimeUnit.SECONDS);
      BenchRun.Phase fill = run.beginPhase(fleet.ledger(), "fill" + r, fillRate);
      long start = System.nanoTime();
      Duration window = Duration.ofNanos((long) (messages / fillRate * 1e9) + 1);
      OpenLoopPacer.run(
          fillRate,
          start,
          window,
          messages,
          (k, intended) -> {
            Device peer = peers.get((int) (k % peers.size()));
            peer.schedule(Target.direct(target.index()), intended, fill.stats);
          },
          () -> false);
      fill.end("target offline");
      fleet.awaitAnswered(drain);
      double fillSeconds = (System.nanoTime() - start) / 1e9;
      run.out()
          .printf(
              "  round %d: %d messages sent in %.1f s; reconnecting...%n",
              r, messages, fillSeconds);

      CatchUp c = target.connect().get(drain.toMillis() + 60_000, TimeUnit.MILLISECONDS);
      int incomplete = fleet.awaitComplete(fill.stats, drain);
      fill.stats.incompleteAfterDrain.add(incomplete);
      Round round =
          new Round(
              r,
              messages,
              round(fillSeconds),
              ms(c.totalNanos()),
              ms(c.connectNanos()),
              ms(c.authNanos()),
              ms(c.syncNanos()),
              c.requests(),
              c.pages(),
              c.updates(),
              c.groupRequests(),
              c.bytes(),
              Math.round(messages / (c.syncNanos() / 1e9)));
      rounds.add(round);
      run.out()
          .printf(
              "  round %d: synced in %.1f ms (connect %.1f, authenticate %.1f, get_difference %.1f), "
                  + "%d requests, %d pages, %d updates, %d sync_groups, %d bytes%n",
              r,
              round.totalMs(),
              round.connectMs(),
              round.authMs(),
              round.syncMs(),
              round.requests(),
              round.pages(),
              round.updates(),
              round.syncGroupsRequests(),
              round.bytes());
    }

    fleet.finalSync(Duration.ofMinutes(2));
    fleet.awaitComplete(null, Duration.ofSeconds(2));
    fleet.ledger().finish();
    fleet.disconnectAll(Duration.ofSeconds(30));

    Map<String, Object> results = new LinkedHashMap<>();
    results.put("messages", messages);
    results.put("conversations", conversations);
    results.put("pageSize", 1000);
    results.put("rounds", rounds.stream().map(Round::asMap).toList());
    Round last = rounds.get(rounds.size() - 1);
    results.put("catchUpMs", last.totalMs());
    results.put("catchUpRequests", last.requests());
    return run.finish(
        "offline catch-up, "
            + messages
            + " messages in "
            + conversations
            + " conversations, "
            + run.options().encoding.name().toLowerCase(),
        results,
        fleet.counters());
  }

  private static double ms(long nanos) {
    return Math.round(nanos / 1e4) / 100.0;
  }

  private static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }
}
