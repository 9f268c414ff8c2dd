package dev.parley.bench.scenario;

import dev.parley.bench.BenchRun;
import dev.parley.bench.Durations;
import dev.parley.bench.ScenarioCommand;
import dev.parley.bench.load.Device;
import dev.parley.bench.load.Fleet;
import dev.parley.bench.load.OpenLoopPacer;
import dev.parley.bench.report.LatencySummary;
import dev.parley.bench.report.RunReport;
import dev.parley.bench.search.Corpus;
import dev.parley.bench.search.Findable;
import dev.parley.bench.search.IndexProgress;
import dev.parley.bench.search.Plan;
import dev.parley.bench.search.Queries;
import dev.parley.bench.search.Sends;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * S8, search (issue 13 items 5 and 9): loads a multilingual history through the real send path,
 * then measures what search costs and how fast it is.
 *
 * <ol>
 *   <li><b>load</b>: M messages over U users and C one-to-one conversations ({@link Plan}, fixed
 *       seed), texts from {@link Corpus}; user 0, the heavy user, is in conversations holding H of
 *       them. Sent with {@code send_message} by the members themselves, closed loop with a window
 *       of requests in flight (the fastest the server takes them), while the indexer indexes live.
 *   <li><b>index catch-up</b>: the time from the last ack until the indexer goes quiet, from {@code
 *       parley_search_indexed_entries_total}.
 *   <li><b>search</b>: the heavy user asks the {@link Queries#MIX} one request at a time; latency
 *       p50/p99/max per kind and overall.
 *   <li><b>findable</b>: under a moderate background send rate, probes with a word of their own;
 *       the time from each probe's ack until a search finds it ({@link Findable}).
 *   <li><b>reindex</b> (optional): {@code POST /search/reindex} on the admin port, and the
 *       indexer's throughput rebuilding everything: indexing speed while catching up.
 * </ol>
 *
 * <p>What indexing costs the send path (S1 with {@code msg.search.indexer-enabled} on and off)
 * needs a server restart between runs: docs/benchmarks.md shows how.
 */
@Command(
    name = "s8",
    aliases = "search",
    mixinStandardHelpOptions = true,
    description =
        "Search: loads a multilingual history through send_message, then measures search latency for a "
            + "heavy user, indexing throughput and how soon a message is findable after its ack.")
public final class S8Search extends ScenarioCommand {
  @Option(
      names = "--users",
      paramLabel = "U",
      defaultValue = "1000",
      description = "Users (accounts). Default: ${DEFAULT-VALUE}.")
  int users;

  @Option(
      names = "--conversations",
      paramLabel = "C",
      defaultValue = "5000",
      description = "One-to-one conversations. Default: ${DEFAULT-VALUE}.")
  int conversations;

  @Option(
      names = "--messages",
      paramLabel = "M",
      defaultValue = "1000000",
      description = "Messages loaded. Default: ${DEFAULT-VALUE}.")
  int messages;

  @Option(
      names = "--heavy-conversations",
      paramLabel = "N",
      defaultValue = "50",
      description = "Conversations of the heavy user (user 0). Default: ${DEFAULT-VALUE}.")
  int heavyConversations;

  @Option(
      names = "--heavy-messages",
      paramLabel = "H",
      defaultValue = "100000",
      description =
          "Messages in the heavy user's conversations (its visible history). Default: ${DEFAULT-VALUE}.")
  int heavyMessages;

  @Option(
      names = "--seed",
      defaultValue = "13",
      description = "Seed of the plan and the texts. Default: ${DEFAULT-VALUE}.")
  long seed;

  @Option(
      names = "--skip-load",
      description =
          "Measure over what an earlier run with the same sizes and seed loaded (the plan still names "
              + "the conversations; one message per heavy conversation is sent to learn their ids).")
  boolean skipLoad;

  @Option(
      names = "--load-window",
      paramLabel = "N",
      defaultValue = "256",
      description = "Sends in flight at once while loading. Default: ${DEFAULT-VALUE}.")
  int loadWindow;

  @Option(
      names = "--searches",
      paramLabel = "N",
      defaultValue = "1300",
      description = "Measured searches (the mix in turn). Default: ${DEFAULT-VALUE}.")
  int searches;

  @Option(
      names = "--search-warmup",
      paramLabel = "N",
      defaultValue = "130",
      description = "Searches before measuring. Default: ${DEFAULT-VALUE}.")
  int searchWarmup;

  @Option(
      names = "--limit",
      paramLabel = "N",
      defaultValue = "20",
      description = "Hits per page. Default: ${DEFAULT-VALUE}.")
  int limit;

  @Option(
      names = "--background-rate",
      paramLabel = "MSG/S",
      defaultValue = "200",
      description =
          "Messages per second sent by the other users while the probes run. Default: ${DEFAULT-VALUE}.")
  double backgroundRate;

  @Option(
      names = "--probes",
      paramLabel = "N",
      defaultValue = "300",
      description = "Findable-after-ack probes. Default: ${DEFAULT-VALUE}.")
  int probes;

  @Option(
      names = "--probe-interval",
      paramLabel = "DURATION",
      defaultValue = "200ms",
      converter = Durations.class,
      description = "Time between probes. Default: ${DEFAULT-VALUE}.")
  Duration probeInterval;

  @Option(
      names = "--probe-poll",
      paramLabel = "DURATION",
      defaultValue = "10ms",
      converter = Durations.class,
      description =
          "How often a probe searches until found, at first; later every tenth of the time since"
              + " its ack. Default: ${DEFAULT-VALUE}.")
  Duration probePoll;

  @Option(
      names = "--reindex",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description =
          "Finally rebuild the whole index (POST /search/reindex on the admin port) and measure it. "
              + "Default: ${DEFAULT-VALUE}.")
  boolean reindex;

  @Option(
      names = "--index-timeout",
      paramLabel = "DURATION",
      defaultValue = "30m",
      converter = Durations.class,
      description = "Longest wait for the indexer to catch up. Default: ${DEFAULT-VALUE}.")
  Duration indexTimeout;

  @Override
  protected int accountsNeeded(int available) {
    return users;
  }

  @Override
  protected RunReport run(BenchRun run) throws Exception {
    URI metrics = run.options().metricsUri();
    if (metrics == null)
      throw new IllegalArgumentException(
          "s8 reads the indexer's progress: --metrics cannot be none");
    IndexProgress index = new IndexProgress(metrics);
    Plan plan = Plan.of(users, conversations, messages, heavyConversations, heavyMessages, seed);
    Fleet fleet = run.fleet(run.accounts(users), true);
    Device[] byIndex = new Device[users];
    for (Device d : fleet.devices()) byIndex[d.index()] = d;
    run.out().printf("s8: connecting %d users...%n", users);
    int failedConnects = fleet.connectAll(fleet.devices(), Duration.ofMinutes(5));
    if (failedConnects > 0)
      throw new IllegalStateException(failedConnects + " of " + users + " users could not connect");
    Sends sends = new Sends(byIndex, fleet::userIdOf, run.runId(), conversations);
    Map<String, Object> results = new LinkedHashMap<>();
    List<String> failures = new ArrayList<>();
    results.put("users", users);
    results.put("conversations", conversations);
    results.put("heavyConversations", heavyConversations);
    results.put("seed", seed);

    if (skipLoad) learnHeavyConversations(run, plan, sends);
    else load(run, plan, sends, index, results);

    run.out().printf("s8: searching as the heavy user (%d queries)...%n", searches);
    BenchRun.Phase searchPhase = run.beginPhase(null, "search", 0);
    Queries queries = new Queries(byIndex[0], sends::conversationId, heavyConversations);
    queries.run(searchWarmup, searches, limit);
    searchPhase.end("one search at a time, after the index caught up");
    LatencySummary all = LatencySummary.of(queries.all().latency);
    results.put("searchMs", all);
    results.put("searchP99WithinTarget", all.p99Ms() <= 50);
    results.put("searchByKind", queries.report());
    for (String kind : queries.neverFound())
      failures.add("search kind " + kind + " never found anything");
    run.out().printf("  search p50/p99/p99.9/max %s ms%n", all.brief());

    findable(run, plan, sends, byIndex[0], results, failures);
    if (reindex) reindex(run, index, results, failures);

    fleet.disconnectAll(Duration.ofSeconds(30));
    results.put("sendErrors", sends.errors());
    return run.finish(
        "search, "
            + messages
            + " messages, "
            + users
            + " users, "
            + conversations
            + " conversations; heavy user in "
            + heavyConversations
            + " conversations of "
            + heavyMessages
            + " messages",
        results,
        fleet.counters(),
        failures);
  }

  /** The plan's messages, as fast as the server takes them with {@code loadWindow} in flight. */
  private void load(
      BenchRun run, Plan plan, Sends sends, IndexProgress index, Map<String, Object> results)
      throws Exception {
    run.out()
        .printf(
            "s8: loading %d messages (%d in the heavy user's %d conversations), %d in flight...%n",
            plan.messages(), heavyMessages, heavyConversations, loadWindow);
    long indexedBefore = index.indexed();
    Corpus corpus = new Corpus(seed);
    Semaphore window = new Semaphore(loadWindow);
    LongAdder heavyAcked = new LongAdder();
    BenchRun.Phase phase = run.beginPhase(null, "load", 0);
    long start = System.nanoTime();
    long nextReport = start + TimeUnit.SECONDS.toNanos(10);
    for (int k = 0; k < plan.messages(); k++) {
      window.acquire();
      boolean heavy = plan.conversationOf(k) < plan.heavyConversations();
      sends
          .send(
              Integer.toString(k),
              plan.senderOf(k),
              plan.peerOf(k),
              plan.conversationOf(k),
              corpus.next())
          .whenComplete(
              (r, e) -> {
                if (e == null && heavy) heavyAcked.increment();
                window.release();
              });
      if (System.nanoTime() - nextReport > 0) {
        nextReport += TimeUnit.SECONDS.toNanos(10);
        double s = (System.nanoTime() - start) / 1e9;
        run.out()
            .printf(
                "  %.0f s: %d acked (%.0f/s), %d indexed%n",
                s, sends.acked(), sends.acked() / s, index.indexed() - indexedBefore);
      }
    }
    window.acquire(loadWindow);
    long loadEnd = System.nanoTime();
    phase.end("closed loop, " + loadWindow + " sends in flight; the indexer indexes meanwhile");
    double seconds = (loadEnd - start) / 1e9;
    long indexedAtLoadEnd = index.indexed() - indexedBefore;
    run.out()
        .printf(
            "  loaded %d (%d failed) in %.1f s: %.0f msg/s; %d indexed by then; waiting for the indexer...%n",
            sends.acked(), sends.failed(), seconds, sends.acked() / seconds, indexedAtLoadEnd);
    IndexProgress.Catch caught =
        index.awaitQuiet(indexedBefore, start, sends.acked(), Duration.ofSeconds(3), indexTimeout);
    double behind = Math.max(0, caught.seconds() - seconds);
    run.out()
        .printf(
            "  indexer quiet %.1f s after the last ack: %d entries, %.0f/s over the load%n",
            behind, caught.entries(), caught.perSecond());

    Map<String, Object> load = new LinkedHashMap<>();
    load.put("messages", sends.acked());
    load.put("failed", sends.failed());
    load.put("heavyUserVisibleMessages", heavyAcked.sum());
    load.put("seconds", round(seconds));
    load.put("messagesPerSecond", Math.round(sends.acked() / seconds));
    load.put("ackMs", LatencySummary.of(sends.ack));
    load.put("indexedByLastAck", indexedAtLoadEnd);
    load.put("indexedEntries", caught.entries());
    load.put("indexerDoneSecondsAfterLastAck", round(behind));
    load.put("indexedPerSecondDuringLoad", caught.perSecond());
    load.put("indexerWentQuiet", caught.quiet());
    results.put("load", load);
  }

  /**
   * Without a load, the heavy user's conversation ids come from one more message in each (the
   * searches restricted to a conversation need them).
   */
  private void learnHeavyConversations(BenchRun run, Plan plan, Sends sends) throws Exception {
    run.out().println("s8: --skip-load: searching what an earlier run loaded");
    List<CompletableFuture<?>> all = new ArrayList<>();
    for (int c = 0; c < plan.heavyConversations(); c++) {
      Plan.Pair p = plan.pairs().get(c);
      all.add(sends.send("learn" + c, p.a(), p.b(), c, "hello again"));
    }
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(2, TimeUnit.MINUTES);
  }

  /**
   * Probes sent by the heavy user while the others send at {@code backgroundRate}; each probe's ack
   * → found.
   */
  private void findable(
      BenchRun run,
      Plan plan,
      Sends sends,
      Device heavy,
      Map<String, Object> results,
      List<String> failures)
      throws Exception {
    run.out()
        .printf(
            "s8: findable after ack: %d probes every %s under %.0f msg/s...%n",
            probes, Durations.format(probeInterval), backgroundRate);
    Findable findable = new Findable(heavy, probePoll.toMillis(), 10_000);
    Corpus corpus = new Corpus(seed + 1);
    int others = plan.pairs().size() - plan.heavyConversations();
    Duration length = probeInterval.multipliedBy(probes);
    BenchRun.Phase phase = run.beginPhase(null, "findable", backgroundRate);
    long start = System.nanoTime();
    LongAdder background = new LongAdder();
    Thread load =
        Thread.ofPlatform()
            .name("s8-background")
            .start(
                () ->
                    OpenLoopPacer.run(
                        backgroundRate,
                        start,
                        length,
                        Long.MAX_VALUE,
                        (k, intended) -> {
                          int c = plan.heavyConversations() + (int) (k % others);
                          Plan.Pair p = plan.pairs().get(c);
                          boolean fromA = (k & 1) == 0;
                          sends
                              .send(
                                  "b" + k,
                                  fromA ? p.a() : p.b(),
                                  fromA ? p.b() : p.a(),
                                  c,
                                  corpus.next())
                              .whenComplete((r, e) -> background.increment());
                        },
                        () -> false));
    Queue<CompletableFuture<Void>> watches = new ConcurrentLinkedQueue<>();
    Corpus probeTexts = new Corpus(seed + 2);
    OpenLoopPacer.run(
        1e9 / probeInterval.toNanos(),
        start,
        length,
        probes,
        (k, intended) -> {
          int c = (int) (k % plan.heavyConversations());
          String word = Findable.word(run.runId(), k);
          CompletableFuture<Void> w = new CompletableFuture<>();
          watches.add(w);
          sends
              .send("p" + k, 0, plan.pairs().get(c).b(), c, probeTexts.next() + " " + word)
              .whenComplete(
                  (r, e) -> {
                    if (e != null) {
                      findable.failed.increment();
                      w.complete(null);
                    } else {
                      findable
                          .watch(word, System.nanoTime())
                          .whenComplete((v, x) -> w.complete(null));
                    }
                  });
        },
        () -> false);
    load.join();
    CompletableFuture.allOf(watches.toArray(CompletableFuture[]::new)).get(1, TimeUnit.MINUTES);
    phase.end(
        "probes every "
            + Durations.format(probeInterval)
            + ", polled every "
            + Durations.format(probePoll));
    LatencySummary afterAck = LatencySummary.of(findable.afterAck);
    long within1s = findable.afterAck.getCountBetweenValues(0, 1_000_000);
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("probes", findable.probes.sum());
    f.put("found", afterAck.count());
    f.put("notFoundWithin10s", findable.notFound.sum());
    f.put("probeSendsFailed", findable.failed.sum());
    f.put("searches", findable.polls.sum());
    f.put("ackToFoundMs", afterAck);
    f.put(
        "foundWithin1sPercent",
        findable.probes.sum() == 0
            ? 0
            : Math.round(within1s * 1000.0 / findable.probes.sum()) / 10.0);
    f.put("backgroundMessages", background.sum());
    f.put("backgroundRate", backgroundRate);
    results.put("findable", f);
    if (findable.notFound.sum() > 0)
      failures.add(findable.notFound.sum() + " probes not findable within 10 s of their ack");
    run.out()
        .printf(
            "  ack → found p50/p99/p99.9/max %s ms; %s %% within 1 s%n",
            afterAck.brief(), f.get("foundWithin1sPercent"));
  }

  /** A full rebuild of the index: how fast the indexer catches up when it is far behind. */
  private void reindex(
      BenchRun run, IndexProgress index, Map<String, Object> results, List<String> failures)
      throws Exception {
    long before = index.indexed();
    BenchRun.Phase phase = run.beginPhase(null, "reindex", 0);
    long start = System.nanoTime();
    String answer = index.reindex();
    run.out().println("s8: " + answer);
    IndexProgress.Catch caught =
        index.awaitQuiet(before, start, 1, Duration.ofSeconds(5), indexTimeout);
    phase.end("the whole index rebuilt online, nothing else running");
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("answer", answer);
    r.put("entries", caught.entries());
    r.put("seconds", round(caught.seconds()));
    r.put("entriesPerSecond", caught.perSecond());
    r.put("finished", caught.quiet());
    results.put("reindex", r);
    if (!caught.quiet())
      failures.add("the reindex did not finish within " + Durations.format(indexTimeout));
    run.out()
        .printf(
            "  reindexed %d entries in %.1f s: %.0f entries/s%n",
            caught.entries(), caught.seconds(), caught.perSecond());
  }

  private static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }
}
