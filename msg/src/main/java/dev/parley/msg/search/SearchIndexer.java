package dev.parley.msg.search;

import dev.parley.msg.core.UpdateSink;
import dev.parley.msg.core.log.Appended;
import dev.parley.msg.feed.FeedItem;
import dev.parley.msg.store.Entries;
import dev.parley.msg.store.Entry;
import dev.parley.msg.store.Tx;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Handle;
import org.jspecify.annotations.Nullable;
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
 * <p>Disabled ({@code msg.search.indexer-enabled: false}) it keeps no thread and ignores wake-ups:
 * nothing is indexed, and the positions stay where they are until an enabled indexer resumes.
 */
public final class SearchIndexer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SearchIndexer.class);

  /** Entries applied per transaction. */
  static final int BATCH = 500;

  private static final int QUEUE = 65_536;

  /** How long the indexer waits after a failed pass. */
  private static final Duration RETRY_PAUSE = Duration.ofSeconds(1);

  private final Tx tx;
  private final Entries entries;
  private final SearchBackend backend;
  private final Duration scanEvery;
  private final LinkedBlockingQueue<Long> queue = new LinkedBlockingQueue<>(QUEUE);
  private final Set<Long> queued = ConcurrentHashMap.newKeySet();
  private final Counter indexed;
  private volatile boolean closing;
  private boolean prepared;
  private volatile long nextScanNanos;
  private final @Nullable Thread thread;

  public SearchIndexer(
      Tx tx,
      Entries entries,
      SearchBackend backend,
      Duration scanEvery,
      MeterRegistry metrics,
      boolean enabled) {
    this.tx = tx;
    this.entries = entries;
    this.backend = backend;
    this.scanEvery = scanEvery;
    this.indexed =
        Counter.builder("parley_search_indexed_entries_total")
            .description("Log entries the search indexer has applied")
            .register(metrics);
    this.nextScanNanos = System.nanoTime();
    this.thread =
        enabled ? Thread.ofPlatform().name("search-indexer").daemon(true).start(this::run) : null;
  }

  /** Conversation {@code conversationId} has new entries (called on the publisher's thread). */
  public void changed(long conversationId) {
    if (thread == null) return;
    // A full queue is harmless: the periodic scan finds the conversation.
    if (queued.add(conversationId) && !queue.offer(conversationId)) queued.remove(conversationId);
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
    queue.offer(0L);
  }

  private void run() {
    while (!closing) {
      try {
        prepare();
        if (System.nanoTime() - nextScanNanos >= 0) {
          nextScanNanos = System.nanoTime() + scanEvery.toNanos();
          scan();
        }
        Long c = queue.poll(200, TimeUnit.MILLISECONDS);
        if (c == null || c == 0L) continue;
        queued.remove(c);
        catchUp(c);
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        // The position did not move: the next wake-up or scan retries. The pause keeps an index
        // that is down (OpenSearch) from turning this loop into a busy one.
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
  private void prepare() {
    if (prepared) return;
    if (backend.prepare()) {
      int reset = tx.write(backend.progress()::reset);
      log.info("Search index created; {} conversations will be indexed from the start", reset);
    }
    prepared = true;
  }

  private void scan() {
    List<Long> lagging;
    do {
      lagging = tx.read(h -> backend.progress().lagging(h, 1_000));
      for (long c : lagging) {
        if (closing) return;
        catchUp(c);
      }
    } while (lagging.size() == 1_000);
  }

  /** Applies every entry of the conversation the index has not seen yet. */
  public void catchUp(long conversationId) {
    while (!closing && tx.write(h -> applyBatch(h, conversationId))) {
      // one more batch
    }
  }

  /** One batch in one transaction; true when more entries may follow. */
  private boolean applyBatch(Handle h, long conversationId) {
    Optional<Long> position = backend.progress().lock(h, conversationId);
    if (position.isEmpty()) return false; // another msg instance is indexing it
    long from = position.get();
    long last =
        h.createQuery("SELECT last_seq FROM msg.conversations WHERE conversation_id = :c")
            .bind("c", conversationId)
            .mapTo(Long.class)
            .one();
    if (last <= from) return false;
    List<Entry> batch = entries.range(h, conversationId, from + 1, last, BATCH, true);
    List<IndexChange> changes = new ArrayList<>();
    for (Entry e : batch) changes(h, e, changes);
    backend.apply(h, changes);
    boolean more = batch.size() == BATCH;
    backend.progress().set(h, conversationId, more ? batch.get(batch.size() - 1).seq() : last);
    indexed.increment(batch.size());
    return more;
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
    if (thread == null) return;
    thread.interrupt();
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      backend.close();
    }
  }
}
