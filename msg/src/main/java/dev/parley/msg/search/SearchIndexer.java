package dev.parley.msg.search;

import dev.parley.msg.core.UpdateSink;
import dev.parley.msg.core.log.Appended;
import dev.parley.msg.core.log.SendPressure;
import dev.parley.msg.feed.FeedItem;
import dev.parley.msg.search.IndexPlan.Slice;
import dev.parley.msg.store.Entries;
import dev.parley.msg.store.Entry;
import dev.parley.msg.store.Tx;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the search index (a {@link SearchBackend}: msg.search_docs, or OpenSearch) in step with the
 * conversation logs, off the send path (design.md 14.4, 14.6).
 *
 * <p>The durable position is per conversation (the backend's {@link SearchBackend#progress} table),
 * moved in the transaction that writes the rows, or, for OpenSearch, right after the bulk request
 * that wrote the documents succeeded; since a conversation's entries commit gap-free in seq order
 * (design.md 8.2), an indexer that resumes from it after a crash skips nothing and an entry applied
 * twice gives the same row. The publisher wakes it with the conversation of each appended entry
 * ({@link #changed}); a scan at start and every {@code scanEvery} finds what wake-ups missed (a
 * restart, a full queue, another msg instance's appends).
 *
 * <p>Batching: one transaction takes up to {@link #CONVERSATIONS} conversations from the {@link
 * IndexQueue} and applies up to {@link #BATCH} of their entries ({@link IndexPlan}), with one
 * {@link SearchBackend#apply} and one commit, which is not waited for ({@code synchronous_commit =
 * off}: the rows and the positions commit together, so a crash can only lose both, and the entries
 * are still in the log to be applied again). A conversation with more entries than its share goes
 * to the back of the queue. Between passes a thread lets wake-ups gather ({@link Gathering}, {@code
 * msg.search.indexer-gather}), so that under a stream of sends each pass carries many entries
 * rather than the handful that arrived while the last one ran.
 *
 * <p>Giving way ({@link GiveWay}, {@code msg.search.indexer-yield-above}, 50 ms by default): while
 * sends queue for the log writer, a thread rests three times as long as each pass took and makes
 * its passes small. On a machine whose database or CPU is the bottleneck, the indexer's work takes
 * throughput from sends exactly when there is none to spare; giving way, the index moves at a
 * quarter of its speed instead, and catches up at full speed once the pressure ends. Under normal
 * load sends do not queue and the indexer never gives way. The pressure does not say what made
 * sends wait (a search load can), so giving way has a limit ({@code
 * msg.search.indexer-yield-at-most}, a minute): an index that has trailed that long is brought up
 * to date at full speed (design.md 14.4).
 *
 * <p>Disabled (no threads: {@code msg.search.indexer-enabled: false}) it ignores wake-ups: nothing
 * is indexed, and the positions stay where they are until an enabled indexer resumes.
 */
public final class SearchIndexer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SearchIndexer.class);

  /** Entries applied per transaction, at most. */
  static final int BATCH = 500;

  /**
   * Conversations per transaction, at most (each costs a locked row and a slice of the query); as
   * many waiting start a pass without {@link Gathering} more.
   */
  static final int CONVERSATIONS = 250;

  private static final int QUEUE = 65_536;

  /** Conversations the scan reads per query. */
  private static final int SCAN_PAGE = 1_000;

  /** How long an idle thread waits for a wake-up before it looks whether a scan is due. */
  private static final Duration IDLE = Duration.ofMillis(200);

  /** How long the indexer waits after a failed pass. */
  private static final Duration RETRY_PAUSE = Duration.ofSeconds(1);

  private final Tx tx;
  private final Entries entries;
  private final SearchBackend backend;
  private final Duration scanEvery;
  private final IndexQueue queue = new IndexQueue(QUEUE);
  private final GiveWay giveWay;
  private final Gathering gathering;
  private final Counter indexed;
  private final Counter passes;
  private final Counter yielded;
  private final AtomicBoolean scanning = new AtomicBoolean();
  private volatile boolean closing;
  private volatile boolean prepared;
  private volatile long nextScanNanos;

  /** The last scan stopped at a full queue: scan again as soon as the queue has drained. */
  private volatile boolean moreToScan;

  private final List<Thread> threads = new ArrayList<>();

  /**
   * @param pressure when sends queue, so that the indexer gives way to them
   * @param yieldAtMost how long the indexer may trail while giving way before it stops giving way
   *     until caught up ({@code msg.search.indexer-yield-at-most}; {@link GiveWay})
   * @param gather how long a thread lets wake-ups gather between passes ({@code
   *     msg.search.indexer-gather}; {@link Gathering}); zero: never
   * @param threads indexer threads ({@code msg.search.indexer-threads}); 0: disabled
   */
  public SearchIndexer(
      Tx tx,
      Entries entries,
      SearchBackend backend,
      Duration scanEvery,
      SendPressure pressure,
      Duration yieldAtMost,
      Duration gather,
      MeterRegistry metrics,
      int threads) {
    this.tx = tx;
    this.entries = entries;
    this.backend = backend;
    this.scanEvery = scanEvery;
    this.giveWay = new GiveWay(pressure, BATCH, yieldAtMost, System::nanoTime, Thread::sleep);
    this.gathering = new Gathering(gather, CONVERSATIONS, System::nanoTime, Thread::sleep);
    this.indexed =
        Counter.builder("parley_search_indexed_entries_total")
            .description("Log entries the search indexer has applied")
            .register(metrics);
    this.passes =
        Counter.builder("parley_search_indexer_passes_total")
            .description("Transactions in which the search indexer applied entries")
            .register(metrics);
    this.yielded =
        Counter.builder("parley_search_indexer_yielded_seconds_total")
            .description("Time the search indexer's threads waited because sends were queueing")
            .register(metrics);
    this.nextScanNanos = System.nanoTime();
    for (int i = 0; i < threads; i++)
      this.threads.add(
          Thread.ofPlatform().name("search-indexer-" + i).daemon(true).start(this::run));
  }

  /** Conversation {@code conversationId} has new entries (called on the publisher's thread). */
  public void changed(long conversationId) {
    // A full queue is harmless: the periodic scan finds the conversation.
    if (!threads.isEmpty()) queue.offer(conversationId);
  }

  /** {@code next}, and a wake-up for every conversation an entry is appended to. */
  public UpdateSink wakingOn(UpdateSink next) {
    return new UpdateSink() {
      @Override
      public void appended(Appended appended) {
        changed(appended.entry().conversationId());
        next.appended(appended);
      }

      @Override
      public void published(List<FeedItem> items, long[] pts) {
        next.published(items, pts);
      }
    };
  }

  /**
   * Sets every conversation's position back to the start and wakes the indexer, which rebuilds each
   * conversation's rows under the active key while search keeps answering (a key rotation, a
   * tokenizer change). Returns the number of positions reset.
   */
  public int reindex() {
    int reset = tx.write(backend.progress()::reset);
    scanNow();
    return reset;
  }

  /** Makes the next pass scan every conversation now (after a reindex, or in tests). */
  public void scanNow() {
    nextScanNanos = System.nanoTime();
  }

  private void run() {
    long lastPassStart = System.nanoTime();
    long lastPassEnd = lastPassStart;
    boolean lastPassLeftWork = false;
    while (!closing) {
      List<Long> taken = List.of();
      try {
        prepare();
        scanIfDue();
        // Resting before taking lets the queue gather, so that the one pass covers more. Giving
        // way first: its rest is the one sends caused (and counted); the window only tops it up.
        GiveWay.Turn turn = giveWay.beforePass(lastPassEnd, lastPassEnd - lastPassStart);
        if (turn.waitedNanos() > 0) yielded.increment(turn.waitedNanos() / 1e9);
        gathering.beforePass(lastPassStart, lastPassLeftWork, queue::size);
        taken = queue.take(CONVERSATIONS, IDLE);
        if (!taken.isEmpty()) {
          lastPassStart = System.nanoTime();
          lastPassLeftWork = index(taken, turn.budget());
          lastPassEnd = System.nanoTime();
          giveWay.afterPass(lastPassLeftWork, lastPassEnd);
        }
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        // No position moved: the conversations go back to the front and are tried again. The
        // pause keeps an index that is down (OpenSearch) from turning this loop into a busy one.
        queue.finish(taken, taken, List.of());
        log.warn("Search indexing failed; retrying on the next pass", e);
        try {
          Thread.sleep(RETRY_PAUSE);
        } catch (InterruptedException stop) {
          return;
        }
      }
    }
  }

  /** Until the backend is ready: an index created empty is rebuilt from the start. */
  private synchronized void prepare() {
    if (prepared) return;
    if (backend.prepare()) {
      int reset = tx.write(backend.progress()::reset);
      log.info("Search index created; {} conversations will be indexed from the start", reset);
    }
    prepared = true;
  }

  /** One thread at a time queues every conversation whose log is ahead of the index. */
  private void scanIfDue() {
    boolean due = System.nanoTime() - nextScanNanos >= 0 || (moreToScan && queue.size() == 0);
    if (!due || !scanning.compareAndSet(false, true)) return;
    try {
      nextScanNanos = System.nanoTime() + scanEvery.toNanos();
      moreToScan = false;
      long after = 0;
      List<Long> page;
      do {
        long from = after;
        page = tx.read(h -> backend.progress().lagging(h, from, SCAN_PAGE));
        for (long c : page) {
          if (!queue.add(c)) {
            moreToScan = true;
            return;
          }
        }
        if (!page.isEmpty()) after = page.get(page.size() - 1);
      } while (page.size() == SCAN_PAGE && !closing);
    } finally {
      scanning.set(false);
    }
  }

  /**
   * One transaction over {@code taken}; then each goes back to the queue if it has more. True when
   * some did: the budget, not the work, ended the pass.
   */
  private boolean index(List<Long> taken, int budget) {
    Pass pass = tx.write(h -> apply(h, taken, budget));
    IndexPlan plan = pass.plan();
    queue.finish(taken, plan.notReached(), plan.unfinished());
    indexed.increment(pass.entries());
    if (pass.entries() > 0) passes.increment();
    return !plan.notReached().isEmpty() || !plan.unfinished().isEmpty();
  }

  private record Pass(IndexPlan plan, int entries) {}

  private Pass apply(Handle h, List<Long> taken, int budget) {
    // Safe without waiting for the flush: see the class comment and design.md 14.4.
    h.execute("SET LOCAL synchronous_commit = off");
    IndexPlan plan = IndexPlan.of(taken, backend.progress().lockAll(h, taken), budget);
    int n = plan.slices().size();
    if (n == 0) return new Pass(plan, 0);
    long[] conversations = new long[n];
    long[] froms = new long[n];
    long[] tos = new long[n];
    for (int i = 0; i < n; i++) {
      Slice s = plan.slices().get(i);
      conversations[i] = s.conversationId();
      froms[i] = s.from();
      tos[i] = s.to();
    }
    List<Entry> batch = entries.ranges(h, conversations, froms, tos);
    List<IndexChange> changes = new ArrayList<>();
    for (Entry e : batch) changes(h, e, changes);
    backend.apply(h, changes);
    backend.progress().setAll(h, conversations, tos);
    return new Pass(plan, batch.size());
  }

  /** What entry {@code e} means for the index, appended to {@code out}. */
  private void changes(Handle h, Entry e, List<IndexChange> out) {
    switch (e.kind()) {
      case TEXT, IMAGE, FILE -> out.add(current(e));
      case EDIT ->
          entries
              .byKeys(h, new long[] {e.conversationId()}, new long[] {e.refSeq()})
              .forEach(target -> out.add(current(target)));
      case RECALL -> out.add(new IndexChange.Remove(e.conversationId(), e.refSeq()));
      default -> {}
    }
  }

  /** The entry's current content (the latest edit), or its removal when there is none. */
  private static IndexChange current(Entry e) {
    String text = e.recalled() ? null : Searchable.text(e.content());
    if (text == null) return new IndexChange.Remove(e.conversationId(), e.seq());
    return new IndexChange.Put(
        e.conversationId(),
        e.seq(),
        e.senderId(),
        e.createdAt(),
        e.kind(),
        Searchable.hasLink(text),
        text);
  }

  @Override
  public void close() {
    closing = true;
    if (threads.isEmpty()) return;
    threads.forEach(Thread::interrupt);
    try {
      for (Thread t : threads) t.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      backend.close();
    }
  }
}
