package dev.parley.msg.core;

import dev.parley.common.error.ParleyException;
import dev.parley.common.id.Snowflake;
import dev.parley.msg.core.MessageManager.Sent;
import dev.parley.msg.core.SendTransaction.Outcome;
import dev.parley.msg.core.SendTransaction.Request;
import dev.parley.msg.feed.Feed;
import dev.parley.msg.store.Conversations;
import dev.parley.msg.store.Entries;
import dev.parley.msg.store.Members;
import dev.parley.msg.store.Tx;
import dev.parley.proto.client.Error.Reason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit for sends. Requests wait in one queue; a few writer threads each take whatever has
 * gathered (up to a limit) and store it with one {@link SendTransaction}: one commit, one WAL flush
 * and one hold of each hot row lock (a popular user's feed head, a busy group) for many messages.
 *
 * <p>Why: with one transaction per message the cost per message is a dozen round trips plus a WAL
 * flush, and every message to one user serializes on that user's feed head for the whole of its
 * transaction, so a user receiving from many conversations caps the server at a few hundred messages
 * a second. Batches grow by themselves exactly when load does: a lone message goes out at once, a
 * burst shares a transaction.
 *
 * <p>An acknowledgement still leaves only after its batch committed. If a batch fails as a whole
 * (not a refused send: a database error), its requests are retried one per transaction, so one bad
 * request cannot fail its neighbours.
 */
public final class SendBatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SendBatcher.class);

  /** Sends per transaction, and feed rows per transaction (a group message writes one per member). */
  static final int MAX_SENDS = 256;

  static final int MAX_FEED_ROWS = 8_000;

  /** Requests waiting beyond this are refused with UNAVAILABLE (clients retry with the same id). */
  static final int MAX_QUEUED = 50_000;

  /**
   * Load shedding: when the oldest queued send has waited this long, new sends are refused at once
   * with UNAVAILABLE instead of joining a queue that would outlast the client's timeout. A refused
   * send was never stored, so the client knows exactly what happened; a send that timed out while
   * queued may still be stored, which the client only learns by retrying.
   */
  static final Duration MAX_QUEUE_WAIT = Duration.ofSeconds(5);

  private static final int MAX_HINTS = 100_000;

  private record Pending(Request request, int weight, long enqueuedNanos, CompletableFuture<Outcome> result) {}

  private final Tx tx;
  private final SendTransaction work;
  private final UpdateSink sink;
  private final Clock clock;
  private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>(MAX_QUEUED);
  private final List<Thread> writers = new ArrayList<>();
  private final DistributionSummary batchSizes;
  private final Counter shed;
  private final Duration maxQueueWait;
  private final LongSupplier ticker;
  /** Members per conversation as last seen: how many feed rows a send will write, to size batches. */
  private final Map<Long, Integer> recipientHints = new ConcurrentHashMap<>();
  private volatile boolean closing;

  /** Starts {@code writerCount} writers; each holds a database connection while it stores a batch. */
  public static SendBatcher start(
      Tx tx,
      Conversations conversations,
      Members members,
      Entries entries,
      Feed feed,
      RelationRules rules,
      Snowflake ids,
      UpdateSink sink,
      Clock clock,
      int writerCount,
      MeterRegistry metrics) {
    SendTransaction work = new SendTransaction(conversations, members, entries, feed, rules, ids);
    return new SendBatcher(tx, work, sink, clock, writerCount, MAX_QUEUE_WAIT, System::nanoTime, metrics);
  }

  /** @param ticker monotonic nanoseconds for queue ages (System::nanoTime; tests pass their own) */
  SendBatcher(
      Tx tx,
      SendTransaction work,
      UpdateSink sink,
      Clock clock,
      int writerCount,
      Duration maxQueueWait,
      LongSupplier ticker,
      MeterRegistry metrics) {
    this.maxQueueWait = maxQueueWait;
    this.ticker = ticker;
    this.shed = Counter.builder("parley_msg_sends_shed_total").description("Sends refused because the send queue was too old").register(metrics);
    this.tx = tx;
    this.work = work;
    this.sink = sink;
    this.clock = clock;
    this.batchSizes =
        DistributionSummary.builder("parley_msg_send_batch_size")
            .description("Messages stored per send transaction (group commit)")
            .publishPercentiles(0.5, 0.99)
            .register(metrics);
    for (int i = 0; i < writerCount; i++) {
      Thread t = Thread.ofPlatform().name("msg-send-writer-" + i).daemon(true).start(this::writeLoop);
      writers.add(t);
    }
  }

  /** Stores one message (with the others gathered meanwhile) and returns once it is committed. */
  Sent send(Request request) {
    if (closing) throw new ParleyException(Reason.UNAVAILABLE, "The server is shutting down");
    int weight = recipientHints.getOrDefault(request.conversationId(), 2);
    long now = ticker.getAsLong();
    Pending oldest = queue.peek();
    if (oldest != null && now - oldest.enqueuedNanos() > maxQueueWait.toNanos()) {
      shed.increment();
      throw new ParleyException(Reason.UNAVAILABLE, "The server is overloaded; retry shortly");
    }
    Pending p = new Pending(request, weight, now, new CompletableFuture<>());
    if (!queue.offer(p)) {
      shed.increment();
      throw new ParleyException(Reason.UNAVAILABLE, "The server is overloaded; retry shortly");
    }
    Outcome outcome;
    try {
      // Bounded so that a request queued just as the writers stopped cannot hang its caller; the
      // outcome is then unknown, as after any timeout, and a retry with the same id settles it.
      outcome = p.result().orTimeout(2, TimeUnit.MINUTES).join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) throw r;
      if (e.getCause() instanceof java.util.concurrent.TimeoutException) {
        throw new ParleyException(Reason.UNAVAILABLE, "The message could not be stored in time; retry with the same client_msg_id");
      }
      throw e;
    }
    if (outcome.refused() != null) throw outcome.refused();
    return outcome.sent();
  }

  private void writeLoop() {
    List<Pending> batch = new ArrayList<>();
    while (true) {
      try {
        Pending first = queue.poll(200, TimeUnit.MILLISECONDS);
        if (first == null) {
          if (closing) return;
          continue;
        }
        batch.add(first);
        int weight = first.weight();
        while (batch.size() < MAX_SENDS && weight < MAX_FEED_ROWS) {
          Pending next = queue.poll();
          if (next == null) break;
          batch.add(next);
          weight += next.weight();
        }
        store(batch);
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        // store() completes every future; this is a bug guard so a writer never dies silently.
        log.error("Send writer failed", e);
      } finally {
        for (Pending p : batch) p.result().completeExceptionally(new IllegalStateException("send not completed"));
        batch.clear();
      }
    }
  }

  private void store(List<Pending> batch) {
    batchSizes.record(batch.size());
    List<Request> requests = batch.stream().map(Pending::request).toList();
    List<Outcome> outcomes;
    try {
      outcomes = tx.write(h -> work.run(h, requests, clock.instant()));
    } catch (RuntimeException e) {
      if (batch.size() == 1) {
        batch.getFirst().result().completeExceptionally(e);
        return;
      }
      log.warn("A batch of {} sends failed ({}); storing them one by one", batch.size(), e.toString());
      for (Pending p : batch) store(List.of(p));
      return;
    }
    // Published before the answers go out, as a single send did: the sender's ack never overtakes
    // the event its other devices get.
    for (Outcome o : outcomes) if (o.appended() != null) publish(o);
    for (int i = 0; i < batch.size(); i++) batch.get(i).result().complete(outcomes.get(i));
  }

  private void publish(Outcome o) {
    if (recipientHints.size() > MAX_HINTS) recipientHints.clear();
    recipientHints.put(o.appended().entry().conversationId(), o.appended().recipients().length);
    try {
      sink.appended(o.appended());
    } catch (RuntimeException e) {
      // Delivery is best effort (the feed has it); the message is stored and must be acknowledged.
      log.warn("Publishing entry {}/{} failed", o.appended().entry().conversationId(), o.appended().entry().seq(), e);
    }
  }

  /** Sends waiting for a writer. */
  int queued() {
    return queue.size();
  }

  /**
   * Stops taking sends, lets the writers finish what is queued, waits for them; whatever is still
   * queued then (writers gone or too slow) is answered UNAVAILABLE: those sends were never stored.
   */
  @Override
  public void close() {
    closing = true;
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    for (Thread t : writers) {
      try {
        t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    for (Pending p; (p = queue.poll()) != null; ) {
      p.result().completeExceptionally(new ParleyException(Reason.UNAVAILABLE, "The server is shutting down"));
    }
  }
}
