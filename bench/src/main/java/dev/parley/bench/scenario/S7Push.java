package dev.parley.bench.scenario;

import dev.parley.bench.BenchRun;
import dev.parley.bench.Durations;
import dev.parley.bench.ScenarioCommand;
import dev.parley.bench.account.Account;
import dev.parley.bench.load.OpenLoopPacer;
import dev.parley.bench.push.FakeFcm;
import dev.parley.bench.report.LatencySummary;
import dev.parley.bench.report.RunReport;
import dev.parley.client.Connection;
import dev.parley.client.Futures;
import dev.parley.client.ParleyClient;
import dev.parley.proto.client.FcmTarget;
import dev.parley.proto.client.PushTarget;
import dev.parley.proto.client.RegisterPushTargetRequest;
import dev.parley.proto.client.Request;
import dev.parley.proto.client.SendMessageRequest;
import dev.parley.proto.client.TextContent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * S7, push: R recipients register an FCM token on their session and go offline; S senders, online,
 * message them one to one at a fixed rate. The server's push role notifies the recipients through
 * the bench's fake FCM ({@link FakeFcm}, pointed at by {@code bench fcm-credentials}). Reported:
 * pushes accepted per second by the provider, the latency from each notified message's commit
 * ({@code sent_at_ms}) to the provider's acceptance, and how many messages one push stood for
 * (coalescing). The run FAILS when a recipient's newest message never produced a push.
 */
@Command(
    name = "s7",
    mixinStandardHelpOptions = true,
    description =
        "Push: offline recipients with FCM tokens, senders messaging them; notifications/s at a fake "
            + "FCM on 127.0.0.1 and latency from the message's commit to the provider.")
public final class S7Push extends ScenarioCommand {
  @Option(
      names = "--senders",
      paramLabel = "S",
      defaultValue = "20",
      description = "Online senders. Default: ${DEFAULT-VALUE}.")
  int senders;

  @Option(
      names = "--recipients",
      paramLabel = "R",
      defaultValue = "200",
      description = "Offline recipients with an FCM token. Default: ${DEFAULT-VALUE}.")
  int recipients;

  @Option(
      names = "--rate",
      paramLabel = "MSG/S",
      defaultValue = "100",
      description = "Messages per second, all senders together. Default: ${DEFAULT-VALUE}.")
  double rate;

  @Option(
      names = "--duration",
      paramLabel = "DURATION",
      defaultValue = "30s",
      converter = Durations.class,
      description = "How long the senders send. Default: ${DEFAULT-VALUE}.")
  Duration duration;

  @Option(
      names = "--fake-port",
      paramLabel = "PORT",
      defaultValue = "19600",
      description =
          "Port of the fake FCM (the one given to fcm-credentials). Default: ${DEFAULT-VALUE}.")
  int fakePort;

  @Option(
      names = "--provider-latency",
      paramLabel = "DURATION",
      defaultValue = "0ms",
      converter = Durations.class,
      description = "How long the fake takes to answer each send. Default: ${DEFAULT-VALUE}.")
  Duration providerLatency;

  @Option(
      names = "--drain",
      paramLabel = "DURATION",
      defaultValue = "30s",
      converter = Durations.class,
      description =
          "After sending, wait at most this long for every recipient's newest message to be pushed. "
              + "Default: ${DEFAULT-VALUE}.")
  Duration drain;

  private final Histogram commitToProvider = new ConcurrentHistogram(3_600_000_000L, 3);
  private final Map<String, Long> committedAtMs = new ConcurrentHashMap<>();
  private final Map<Long, Long> newestSeqByConversation = new ConcurrentHashMap<>();
  private final Map<Long, Long> newestPushedSeqByConversation = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> problems = new ConcurrentHashMap<>();
  private final LongAdder pushes = new LongAdder();
  private final LongAdder pushesOfThisRun = new LongAdder();
  private final LongAdder sent = new LongAdder();
  // Tokens of this run's recipients; pushes to others (an earlier run's) are counted apart.
  private volatile String tokenPrefix = "";

  @Override
  protected int accountsNeeded(int available) {
    if (senders < 1 || recipients < 1 || rate <= 0) {
      throw new IllegalArgumentException("need --senders >= 1, --recipients >= 1, --rate > 0");
    }
    return senders + recipients;
  }

  @Override
  protected RunReport run(BenchRun run) throws Exception {
    List<Account> accounts = run.accounts(senders + recipients);
    String tokenPrefix = "bench-" + run.runId().replaceAll("[^A-Za-z0-9]", "") + "-";
    try (FakeFcm fcm = new FakeFcm(fakePort, providerLatency, this::arrived);
        ParleyClient client =
            ParleyClient.builder(run.options().server)
                .encoding(run.options().encoding)
                .requestTimeout(Duration.ofSeconds(60))
                .build()) {
      run.out().printf("s7: %d recipients register FCM tokens and go offline...%n", recipients);
      List<Long> recipientIds = new ArrayList<>();
      for (Account a : accounts.subList(senders, senders + recipients)) {
        try (Connection c = S6Media.connect(client, a)) {
          Futures.await(
              c.send(
                  Request.newBuilder()
                      .setRegisterPushTarget(
                          RegisterPushTargetRequest.newBuilder()
                              .setTarget(
                                  PushTarget.newBuilder()
                                      .setFcm(
                                          FcmTarget.newBuilder()
                                              .setToken(tokenPrefix + a.userId()))))));
        }
        recipientIds.add(a.userId());
      }
      List<Connection> out = new ArrayList<>();
      for (Account a : accounts.subList(0, senders)) out.add(S6Media.connect(client, a));
      this.tokenPrefix = tokenPrefix;
      run.out()
          .printf(
              "s7: %d senders message %d offline recipients at %.0f msg/s for %s%n",
              senders, recipients, rate, Durations.format(duration));

      BenchRun.Phase phase = run.beginPhase(null, "push", rate);
      long start = System.nanoTime();
      long count =
          OpenLoopPacer.run(
              rate,
              start,
              duration,
              Long.MAX_VALUE,
              (k, intended) -> {
                Connection from = out.get((int) (k % senders));
                long to = recipientIds.get((int) (k % recipients));
                send(from, to, run.runId() + "-" + k);
              },
              () -> false);
      double seconds = (System.nanoTime() - start) / 1e9;
      phase.end("");

      long deadline = System.nanoTime() + drain.toNanos();
      while (System.nanoTime() < deadline && !allNewestPushed()) Thread.sleep(100);
      long drained = System.nanoTime();
      for (Connection c : out) c.close();

      long unnotified =
          newestSeqByConversation.entrySet().stream()
              .filter(
                  e -> newestPushedSeqByConversation.getOrDefault(e.getKey(), 0L) < e.getValue())
              .count();
      List<String> failures = new ArrayList<>();
      if (unnotified > 0) {
        failures.add(unnotified + " recipients' newest message was not pushed within " + drain);
      }
      double pushSeconds = (drained - start) / 1e9;
      Map<String, Object> results = new LinkedHashMap<>();
      results.put("senders", senders);
      results.put("recipients", recipients);
      results.put("messagesScheduled", count);
      results.put("messagesSent", sent.sum());
      results.put("sendSeconds", Math.round(seconds * 100) / 100.0);
      results.put("pushesAccepted", pushesOfThisRun.sum());
      results.put("pushesPerSecond", Math.round(pushesOfThisRun.sum() / pushSeconds * 100) / 100.0);
      results.put(
          "messagesPerPush",
          pushesOfThisRun.sum() == 0
              ? 0
              : Math.round(sent.sum() * 100.0 / pushesOfThisRun.sum()) / 100.0);
      results.put("commitToProviderMs", LatencySummary.of(commitToProvider));
      results.put("accessTokensIssued", fcm.tokensIssued());
      results.put("malformedSends", fcm.malformed());
      results.put("recipientsNewestNotPushed", unnotified);
      Map<String, Long> counted = new LinkedHashMap<>();
      problems.forEach((k, v) -> counted.put(k, v.sum()));
      results.put("problems", counted);
      counted.forEach((k, v) -> run.note(v + " × " + k));
      run.out()
          .printf(
              "s7: %d messages, %d pushes (%.1f/s, %.2f messages per push); commit→provider %s ms;"
                  + " newest not pushed %d; problems %s%n",
              sent.sum(),
              pushesOfThisRun.sum(),
              pushesOfThisRun.sum() / pushSeconds,
              pushesOfThisRun.sum() == 0 ? 0.0 : sent.sum() / (double) pushesOfThisRun.sum(),
              LatencySummary.of(commitToProvider).brief(),
              unnotified,
              counted);
      return run.finish(
          "push, "
              + senders
              + " senders, "
              + recipients
              + " offline FCM recipients, "
              + rate
              + " msg/s",
          results,
          null,
          failures);
    }
  }

  private void send(Connection from, long to, String clientMsgId) {
    var unused =
        from.sendMessage(
                SendMessageRequest.newBuilder()
                    .setUserId(to)
                    .setClientMsgId(clientMsgId)
                    .setText(TextContent.newBuilder().setText("s7 " + clientMsgId))
                    .build())
            .whenComplete(
                (r, failure) -> {
                  if (failure != null) {
                    problem("send failed: " + S6Media.reason(failure));
                    return;
                  }
                  sent.increment();
                  committedAtMs.put(r.getConversationId() + ":" + r.getSeq(), r.getSentAtMs());
                  newestSeqByConversation.merge(r.getConversationId(), r.getSeq(), Math::max);
                });
  }

  /** On the fake's threads: one push accepted. */
  private void arrived(FakeFcm.Arrival a) {
    pushes.increment();
    if (!a.token().startsWith(tokenPrefix) || tokenPrefix.isEmpty()) return;
    pushesOfThisRun.increment();
    String conversation = a.data().get("conversation_id");
    String seq = a.data().get("seq");
    if (conversation == null || seq == null) {
      problem("push without conversation_id and seq in its data");
      return;
    }
    Long committed = committedAtMs.get(conversation + ":" + seq);
    if (committed == null) {
      // The send's answer may arrive after the push: the push is counted, not timed.
      problem("push before the send's answer (not timed)");
    } else {
      commitToProvider.recordValue(Math.max(0, a.arrivedAtMs() - committed) * 1000);
    }
    newestPushedSeqByConversation.merge(
        Long.parseLong(conversation), Long.parseLong(seq), Math::max);
  }

  private boolean allNewestPushed() {
    for (Map.Entry<Long, Long> e : newestSeqByConversation.entrySet()) {
      if (newestPushedSeqByConversation.getOrDefault(e.getKey(), 0L) < e.getValue()) return false;
    }
    return true;
  }

  private void problem(String what) {
    problems.computeIfAbsent(what, k -> new LongAdder()).increment();
  }
}
