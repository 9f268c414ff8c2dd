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
 * S5, soak: a mixed load for a long time. Half the users (by default) are in groups, the others in
 * pairs; messages go to a group with probability {@code --group-share}, else between the two users
 * of a pair. Meanwhile {@code --reconnect-percent} of the devices per minute disconnect cleanly,
 * stay away for {@code --offline}, and reconnect with a cursor sync (get_difference from their last
 * applied pts, then sync_groups for their groups from the seqs they hold), so messages for them
 * arrive by sync. Senders also edit their last message ({@code --edit-share}), react to the last
 * one they received ({@code --reaction-share}) and send typing indicators ({@code --typing-share}),
 * so edit and reaction entries flow through the same logs, feeds and syncs, and ephemeral typing
 * events beside them. One phase per {@code --interval}: latency must stay stable over the phases,
 * and nothing may be lost.
 */
@Command(
    name = "s5",
    mixinStandardHelpOptions = true,
    description =
        "Soak: pairs and groups at a steady rate for a long time, with reconnects (cursor sync); latency per interval.")
public final class S5Soak extends ScenarioCommand {
  @Option(
      names = "--duration",
      paramLabel = "DURATION",
      defaultValue = "10m",
      converter = Durations.class,
      description = "Length of the soak. Default: ${DEFAULT-VALUE}.")
  Duration duration;

  @Option(
      names = "--interval",
      paramLabel = "DURATION",
      defaultValue = "1m",
      converter = Durations.class,
      description = "Length of one reported phase. Default: ${DEFAULT-VALUE}.")
  Duration interval;

  @Option(
      names = "--rate",
      paramLabel = "MSG/S",
      defaultValue = "100",
      description = "Messages per second. Default: ${DEFAULT-VALUE}.")
  double rate;

  @Option(
      names = "--group-share",
      paramLabel = "FRACTION",
      defaultValue = "0.3",
      description = "Fraction of messages that go to groups. Default: ${DEFAULT-VALUE}.")
  double groupShare;

  @Option(
      names = "--group-size",
      paramLabel = "N",
      defaultValue = "20",
      description = "Members per group. Default: ${DEFAULT-VALUE}.")
  int groupSize;

  @Option(
      names = "--grouped-users",
      paramLabel = "FRACTION",
      defaultValue = "0.5",
      description =
          "Fraction of the users that are in groups (the rest are in pairs). Default: ${DEFAULT-VALUE}.")
  double groupedUsers;

  @Option(
      names = "--reconnect-percent",
      paramLabel = "PERCENT",
      defaultValue = "1",
      description =
          "Devices that disconnect and reconnect per minute, in percent. Default: ${DEFAULT-VALUE}.")
  double reconnectPercent;

  @Option(
      names = "--offline",
      paramLabel = "DURATION",
      defaultValue = "2s",
      converter = Durations.class,
      description = "How long a reconnecting device stays away. Default: ${DEFAULT-VALUE}.")
  Duration offline;

  @Option(
      names = "--edit-share",
      paramLabel = "FRACTION",
      defaultValue = "0.05",
      description =
          "Per message sent, the chance that its sender also edits its last acknowledged message. Default: ${DEFAULT-VALUE}.")
  double editShare;

  @Option(
      names = "--reaction-share",
      paramLabel = "FRACTION",
      defaultValue = "0.1",
      description =
          "Per message sent, the chance that its sender also reacts to the last message it received. Default: ${DEFAULT-VALUE}.")
  double reactionShare;

  @Option(
      names = "--typing-share",
      paramLabel = "FRACTION",
      defaultValue = "0.2",
      description =
          "Per message sent, the chance that its sender also sends a typing indicator in its last conversation. Default: ${DEFAULT-VALUE}.")
  double typingShare;

  @Option(
      names = "--drain",
      paramLabel = "DURATION",
      defaultValue = "30s",
      converter = Durations.class,
      description =
          "At the end, wait at most this long for every message to complete. Default: ${DEFAULT-VALUE}.")
  Duration drain;

  @Option(
      names = "--users",
      paramLabel = "U",
      description = "Users (default: every account in the file).")
  Integer users;

  /**
   * Beside a message, its sender may also edit its last message or react to the last one it got
   * (issue 12: the soak mixes them in), decided by other bits of the same hash.
   */
  private void mixIn(Device sender, long h) {
    long bits = Senders.mix(h);
    if (Math.floorMod(bits, 10_000) < editShare * 10_000) sender.editLastMessage();
    if (Math.floorMod(bits >>> 20, 10_000) < reactionShare * 10_000) sender.reactToLastReceived();
    if (Math.floorMod(bits >>> 40, 10_000) < typingShare * 10_000) sender.typeInLastConversation();
  }

  @Override
  protected int accountsNeeded(int available) {
    return users != null ? users : available;
  }

  @Override
  protected RunReport run(BenchRun run) throws Exception {
    int u = accountsNeeded(run.accountsAvailable());
    Fleet fleet = run.fleet(run.accounts(u), true);
    List<Device> devices = fleet.devices();
    int groups = groupShare > 0 ? Math.max(1, (int) (u * groupedUsers) / groupSize) : 0;
    int grouped = Math.min(u, groups * groupSize);
    int pairs = (u - grouped) / 2;
    if (groups > 0 && groupSize > u)
      throw new IllegalArgumentException("--group-size " + groupSize + " > " + u + " users");
    if (pairs == 0 && groupShare < 1)
      throw new IllegalArgumentException("not enough users for pairs: lower --grouped-users");
    run.out()
        .printf(
            "s5: %d users: %d groups of %d, %d pairs; connecting...%n",
            u, groups, groupSize, pairs);
    int failed = fleet.connectAll(devices, Duration.ofMinutes(5));
    if (failed > 0) throw new IllegalStateException(failed + " users could not connect");

    long[] conversation = new long[groups];
    int[][][] recipients = new int[groups][groupSize][];
    for (int g = 0; g < groups; g++) {
      CreateGroupRequest.Builder create =
          CreateGroupRequest.newBuilder().setTitle("soak " + run.runId() + " " + g);
      for (int j = 1; j < groupSize; j++)
        create.addUserIds(devices.get(g * groupSize + j).account().userId());
      conversation[g] =
          devices
              .get(g * groupSize)
              .call(Request.newBuilder().setCreateGroup(create))
              .get(30, TimeUnit.SECONDS)
              .getCreateGroup()
              .getConversation()
              .getConversationId();
      for (int j = 0; j < groupSize; j++) {
        int[] r = new int[groupSize - 1];
        int n = 0;
        for (int i = 0; i < groupSize; i++)
          if (i != j) r[n++] = devices.get(g * groupSize + i).index();
        recipients[g][j] = r;
      }
    }

    double perMinute = u * reconnectPercent / 100.0;
    Duration every =
        perMinute > 0 ? Duration.ofMillis(Math.max(1, (long) (60_000 / perMinute))) : Duration.ZERO;
    ReconnectChurn churn = ReconnectChurn.start(fleet, devices, every, offline);

    long start = System.nanoTime();
    long end = start + duration.toNanos();
    long[] next = {0};
    List<Double> p99s = new ArrayList<>();
    int phaseNo = 0;
    for (long phaseStart = start; phaseStart - end < 0; phaseStart += interval.toNanos()) {
      phaseNo++;
      BenchRun.Phase phase = run.beginPhase(fleet.ledger(), "i" + phaseNo, rate);
      long length = Math.min(interval.toNanos(), end - phaseStart);
      OpenLoopPacer.run(
          rate,
          phaseStart,
          Duration.ofNanos(length),
          Long.MAX_VALUE,
          (k, intended) -> {
            long m = next[0]++;
            long h = Senders.mix(m);
            boolean toGroup =
                groups > 0 && (pairs == 0 || Math.floorMod(h, 1000) < groupShare * 1000);
            if (toGroup) {
              int g = (int) Math.floorMod(h >>> 10, (long) groups);
              int j = (int) Math.floorMod(h >>> 30, (long) groupSize);
              Device d = devices.get(g * groupSize + j);
              if (d.acceptingSends()) {
                d.schedule(Target.group(conversation[g], recipients[g][j]), intended, phase.stats);
                mixIn(d, h);
              }
            } else {
              int p = (int) Math.floorMod(h >>> 10, (long) pairs);
              boolean first = ((h >>> 40) & 1) == 0;
              Device a = devices.get(grouped + 2 * p);
              Device b = devices.get(grouped + 2 * p + 1);
              Device from = first ? a : b;
              Device to = first ? b : a;
              if (from.acceptingSends()) {
                from.schedule(Target.direct(to.index()), intended, phase.stats);
                mixIn(from, h);
              }
            }
          },
          () -> false);
      phase.end("");
      LatencySummary e2e = LatencySummary.of(phase.stats.endToEnd);
      p99s.add(e2e.p99Ms());
      run.out()
          .printf(
              "  %s: sent %d, delivered %d (+%d by sync), errors %d, send→recv p50/p99/p99.9/max %s ms, %d reconnects so far%n",
              phase.stats.name,
              phase.stats.sent.sum(),
              phase.stats.delivered.sum(),
              phase.stats.deliveredViaSync.sum(),
              phase.stats.errorCount(),
              e2e.brief(),
              fleet.counters().reconnects.sum());
    }
    churn.stop(drain);

    fleet.awaitAnswered(drain);
    fleet.awaitComplete(null, drain);
    fleet.finalSync(Duration.ofMinutes(2));
    fleet.awaitComplete(null, Duration.ofSeconds(2));
    fleet.ledger().finish();
    fleet.disconnectAll(Duration.ofSeconds(30));

    // Stable: no interval's p99 above twice the median interval's p99 (+5 ms for noise at low
    // latencies). The first interval is warm-up (JIT, pools) and left out when there are three or
    // more.
    List<Double> sorted = new ArrayList<>(p99s.size() >= 3 ? p99s.subList(1, p99s.size()) : p99s);
    sorted.sort(Double::compare);
    double median = sorted.isEmpty() ? 0 : sorted.get(sorted.size() / 2);
    double worst = sorted.isEmpty() ? 0 : sorted.get(sorted.size() - 1);
    boolean stable = worst <= 2 * median + 5;
    Map<String, Object> results = new LinkedHashMap<>();
    results.put("users", u);
    results.put("groups", groups);
    results.put("pairs", pairs);
    results.put("p99ByInterval", p99s);
    results.put("p99Median", median);
    results.put("p99Worst", worst);
    results.put("latencyStable", stable);
    results.put("edits", fleet.extras().edits.sum());
    results.put("reactions", fleet.extras().reactions.sum());
    results.put("typing", fleet.extras().typing.sum());
    results.put("typingReceived", fleet.extras().typingReceived.sum());
    results.put("extrasSkipped", fleet.extras().skipped.sum());
    results.put("extrasErrors", fleet.extras().errors());
    run.out()
        .printf(
            "  mixed in: %d edits, %d reactions, %d typing (%d typing events received; %d skipped: nothing to edit or react to yet), errors %s%n",
            fleet.extras().edits.sum(),
            fleet.extras().reactions.sum(),
            fleet.extras().typing.sum(),
            fleet.extras().typingReceived.sum(),
            fleet.extras().skipped.sum(),
            fleet.extras().errors());
    if (!stable)
      run.note(
          "latency not stable: the worst interval's p99 ("
              + worst
              + " ms) is above 2 x median + 5 ms");
    return run.finish(
        "soak "
            + Durations.format(duration)
            + ", "
            + rate
            + " msg/s, "
            + groups
            + " groups of "
            + groupSize
            + " + "
            + pairs
            + " pairs, "
            + reconnectPercent
            + " %/min reconnects",
        results,
        fleet.counters());
  }
}
