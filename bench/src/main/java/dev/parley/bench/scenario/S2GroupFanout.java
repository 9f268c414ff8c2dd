package dev.parley.bench.scenario;

import dev.parley.bench.BenchRun;
import dev.parley.bench.Durations;
import dev.parley.bench.ScenarioCommand;
import dev.parley.bench.load.Device;
import dev.parley.bench.load.Fleet;
import dev.parley.bench.load.OpenLoopPacer;
import dev.parley.bench.load.Target;
import dev.parley.bench.report.LatencySummary;
import dev.parley.bench.report.RunReport;
import dev.parley.proto.client.CreateGroupRequest;
import dev.parley.proto.client.Request;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * S2, group fan-out: G groups of up to 200 members, all online; members post at an aggregate rate.
 * Every message must reach every other member; reported per rate: deliveries per second, the
 * send-to-receive latency of each delivery, and the time until the <em>last</em> member got each
 * message. With fewer accounts than G × size the groups overlap (group g takes the members starting
 * at g × size, wrapping around).
 */
@Command(
    name = "s2",
    mixinStandardHelpOptions = true,
    description =
        "Group fan-out: groups of 200 online members post at a rate; deliveries/s and time to the last recipient.")
public final class S2GroupFanout extends ScenarioCommand {
  @Option(
      names = "--groups",
      paramLabel = "G",
      defaultValue = "1",
      description = "Groups. Default: ${DEFAULT-VALUE}.")
  int groups;

  @Option(
      names = "--group-size",
      paramLabel = "N",
      defaultValue = "200",
      description = "Members per group (2..200). Default: ${DEFAULT-VALUE}.")
  int groupSize;

  @Option(
      names = "--rate",
      paramLabel = "MSG/S",
      split = ",",
      defaultValue = "20",
      description =
          "Messages per second over all groups; several (10,20,40) run one after another. Default: ${DEFAULT-VALUE}.")
  List<Double> rates;

  @Option(
      names = "--duration",
      paramLabel = "DURATION",
      defaultValue = "30s",
      converter = Durations.class,
      description = "Length of each rate. Default: ${DEFAULT-VALUE}.")
  Duration duration;

  @Option(
      names = "--drain",
      paramLabel = "DURATION",
      defaultValue = "15s",
      converter = Durations.class,
      description =
          "After each rate, wait at most this long for its messages to reach everybody. Default: ${DEFAULT-VALUE}.")
  Duration drain;

  @Option(
      names = "--users",
      paramLabel = "U",
      description = "Accounts to draw members from (default: min(all, G x size)).")
  Integer users;

  @Override
  protected int accountsNeeded(int available) {
    if (groupSize < 2 || groupSize > 200)
      throw new IllegalArgumentException("--group-size must be 2..200");
    return users != null ? users : Math.min(available, groups * groupSize);
  }

  @Override
  protected RunReport run(BenchRun run) throws Exception {
    int userCount = accountsNeeded(run.accountsAvailable());
    if (userCount < groupSize) {
      throw new IllegalArgumentException(
          "groups of "
              + groupSize
              + " need at least "
              + groupSize
              + " accounts, have "
              + userCount);
    }
    Fleet fleet = run.fleet(run.accounts(userCount), true);
    List<Device> devices = fleet.devices();
    run.out().printf("s2: connecting %d users...%n", devices.size());
    int failed = fleet.connectAll(devices, Duration.ofMinutes(5));
    if (failed > 0) throw new IllegalStateException(failed + " users could not connect");

    // Group g: positions g*size .. g*size+size-1 (mod users); position 0 creates it.
    int[][] members = new int[groups][groupSize];
    long[] conversation = new long[groups];
    for (int g = 0; g < groups; g++) {
      for (int j = 0; j < groupSize; j++) members[g][j] = (g * groupSize + j) % userCount;
      CreateGroupRequest.Builder create =
          CreateGroupRequest.newBuilder().setTitle("bench " + run.runId() + " " + g);
      for (int j = 1; j < groupSize; j++)
        create.addUserIds(devices.get(members[g][j]).account().userId());
      conversation[g] =
          devices
              .get(members[g][0])
              .call(Request.newBuilder().setCreateGroup(create))
              .get(30, TimeUnit.SECONDS)
              .getCreateGroup()
              .getConversation()
              .getConversationId();
    }
    // Recipients of a message from member j of group g: every other member's bench index.
    int[][][] recipients = new int[groups][groupSize][];
    for (int g = 0; g < groups; g++) {
      for (int j = 0; j < groupSize; j++) {
        int[] r = new int[groupSize - 1];
        int n = 0;
        for (int i = 0; i < groupSize; i++) if (i != j) r[n++] = devices.get(members[g][i]).index();
        recipients[g][j] = r;
      }
    }
    run.out().printf("s2: %d groups of %d created%n", groups, groupSize);

    List<Map<String, Object>> perRate = new ArrayList<>();
    long[] next = {0};
    int stepNo = 0;
    for (double rate : rates) {
      stepNo++;
      BenchRun.Phase phase = run.beginPhase(fleet.ledger(), "rate" + stepNo, rate);
      OpenLoopPacer.run(
          rate,
          System.nanoTime(),
          duration,
          Long.MAX_VALUE,
          (k, intended) -> {
            long m = next[0]++;
            int g = (int) (m % groups);
            int j = (int) ((m / groups) % groupSize);
            Device sender = devices.get(members[g][j]);
            if (!sender.acceptingSends()) return;
            sender.schedule(Target.group(conversation[g], recipients[g][j]), intended, phase.stats);
          },
          () -> false);
      phase.end("");
      int incomplete = fleet.awaitComplete(phase.stats, drain);
      phase.stats.incompleteAfterDrain.add(incomplete);
      LatencySummary last = LatencySummary.of(phase.stats.lastRecipient);
      double seconds = phase.stats.seconds();
      run.out()
          .printf(
              "  %.0f msg/s: %d sent, %d deliveries (%.0f/s), last recipient p99 %.2f ms, send→recv p99 %.2f ms%n",
              rate,
              phase.stats.sent.sum(),
              phase.stats.delivered.sum(),
              phase.stats.delivered.sum() / seconds,
              last.p99Ms(),
              LatencySummary.of(phase.stats.endToEnd).p99Ms());
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("rate", rate);
      r.put("deliveriesPerSecond", Math.round(phase.stats.delivered.sum() / seconds));
      r.put("lastRecipientP99Ms", last.p99Ms());
      perRate.add(r);
      if (incomplete > 0) phase.note(incomplete + " messages incomplete after the drain");
    }

    fleet.awaitAnswered(drain);
    fleet.finalSync(Duration.ofMinutes(2));
    fleet.awaitComplete(null, Duration.ofSeconds(2));
    fleet.ledger().finish();
    fleet.disconnectAll(Duration.ofSeconds(30));

    Map<String, Object> results = new LinkedHashMap<>();
    results.put("groups", groups);
    results.put("groupSize", groupSize);
    results.put("users", userCount);
    results.put("perRate", perRate);
    return run.finish(
        "group fan-out, "
            + groups
            + " groups of "
            + groupSize
            + ", "
            + run.options().encoding.name().toLowerCase()
            + ", "
            + run.options().payload
            + " B",
        results,
        fleet.counters());
  }
}
