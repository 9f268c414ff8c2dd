package dev.parley.msg.core.log;

import dev.parley.common.error.ParleyException;
import dev.parley.common.grpc.TraceContext;
import dev.parley.common.id.Snowflake;
import dev.parley.common.trace.TraceParent;
import dev.parley.msg.core.FileAttachments;
import dev.parley.msg.core.RelationRules;
import dev.parley.msg.core.UpdateSink;
import dev.parley.msg.store.BatchStatements;
import dev.parley.msg.store.Conversations;
import dev.parley.msg.store.Entries;
import dev.parley.msg.store.Entry;
import dev.parley.msg.store.Feed;
import dev.parley.msg.store.Tx;
import dev.parley.proto.client.Error.Reason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one writer of conversation logs (design.md 8.2). Every append — messages, first messages,
 * recalls, group changes — is a {@link LogCommand} submitted here; nothing else allocates a seq.
 *
 * <p><b>Group commit.</b> Commands wait in one queue; a few writer threads each take whatever has
 * gathered (up to a limit) and apply it as one {@link LogBatch}: one commit, one WAL flush and one
 * hold of each hot row lock (a popular user's feed head, a busy group) for many commands. Batches
 * grow by themselves exactly when load does: a lone command goes out at once, a burst shares a
 * transaction.
 *
 * <p>An outcome is answered only after its batch committed, and after the batch's entries were
 * handed to the {@link UpdateSink} (the publisher, which encodes and fans out on its own thread).
 * If a batch fails as a whole (not a refused command: a database error), its commands are retried
 * one per transaction, so one bad command cannot fail its neighbours.
 *
 * <p><b>Traces.</b> Each command is a span ({@code msg send}, {@code msg recall}, …) from
 * submission to answer, in the trace of the request that submitted it, with three children: {@code
 * msg.queue_wait} (until a writer took its batch), {@code msg.transaction} (the batch's statements,
 * shared by every command in it: attribute {@code parley.batch.size}) and {@code msg.commit} (the
 * commit's round trip). A batch serves many traces, so its transaction appears once in each. The
 * writer only notes a traced command's transaction times ({@link Transaction}); the submitting
 * thread builds the spans, so that tracing adds no work to the writer, the one serial step of a
 * send.
 */
public final class LogWriter implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LogWriter.class);

  /** Commands per transaction, and feed rows per transaction (a direct message writes two). */
  static final int MAX_COMMANDS = 256;

  static final int MAX_FEED_ROWS = 8_000;

  /** Commands waiting beyond this are refused with UNAVAILABLE (clients retry with the same id). */
  static final int MAX_QUEUED = 50_000;

  /**
   * Load shedding: when the oldest queued command has waited this long, new ones are refused at
   * once with UNAVAILABLE instead of joining a queue that would outlast the client's timeout. A
   * refused send was never stored, so the client knows exactly what happened; a send that timed out
   * while queued may still be stored, which the client only learns by retrying.
   */
  static final Duration MAX_QUEUE_WAIT = Duration.ofSeconds(5);

  private static final int MAX_HINTS = 100_000;

  private static final AttributeKey<Long> BATCH_SIZE = AttributeKey.longKey("parley.batch.size");

  /**
   * Span times come from the wall clock, as the tracer's own do; the injected clock may be a
   * test's.
   */
  private static final Clock SPAN_CLOCK = Clock.systemUTC();

  private record Pending(
      LogCommand command,
      int weight,
      long enqueuedNanos,
      CompletableFuture<LogOutcome> result,
      Span span,
      Span queueWait,
      @Nullable Queue<Transaction> transactions) {}

  /**
   * A batch transaction a traced command took part in: more than one when its batch failed and it
   * was retried alone.
   */
  private record Transaction(
      Instant started, Instant applied, Instant committed, int batchSize, boolean failed) {}

  private final Tx tx;
  private final LogBatch work;
  private final UpdateSink sink;
  private final Clock clock;
  private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>(MAX_QUEUED);
  private final List<Thread> writers = new ArrayList<>();
  private final DistributionSummary batchSizes;
  private final Timer queueWait;
  private final Timer transactions;
  private final Counter shed;
  private final Duration maxQueueWait;
  private final LongSupplier ticker;
  private final Tracer tracer;
  private final SendPressure pressure;

  /**
   * Feed rows the last append of a conversation wrote: how heavy its next command is, to size
   * batches.
   */
  private final Map<Long, Integer> feedRowHints = new ConcurrentHashMap<>();

  private volatile boolean closing;

  /**
   * Starts {@code writerCount} writers; each holds a database connection while it stores a batch.
   */
  public static LogWriter start(
      Tx tx,
      Conversations conversations,
      BatchStatements statements,
      Entries entries,
      Feed feed,
      RelationRules relationRules,
      FileAttachments files,
      Snowflake ids,
      int maxGroupMembers,
      Duration recallWindow,
      Duration editWindow,
      int maxDistinctReactions,
      int maxPinnedMessages,
      UpdateSink sink,
      Clock clock,
      int writerCount,
      SendPressure pressure,
      MeterRegistry metrics,
      Tracer tracer) {
    CommandRules rules =
        new CommandRules(
            maxGroupMembers, recallWindow, editWindow, maxDistinctReactions, maxPinnedMessages);
    LogBatch work =
        new LogBatch(conversations, statements, entries, feed, relationRules, files, ids, rules);
    return new LogWriter(
        tx,
        work,
        sink,
        clock,
        writerCount,
        MAX_QUEUE_WAIT,
        System::nanoTime,
        pressure,
        metrics,
        tracer);
  }

  /**
   * @param ticker monotonic nanoseconds for queue ages (System::nanoTime; tests pass their own)
   */
  LogWriter(
      Tx tx,
      LogBatch work,
      UpdateSink sink,
      Clock clock,
      int writerCount,
      Duration maxQueueWait,
      LongSupplier ticker,
      SendPressure pressure,
      MeterRegistry metrics,
      Tracer tracer) {
    this.tracer = tracer;
    this.pressure = pressure;
    this.maxQueueWait = maxQueueWait;
    this.ticker = ticker;
    this.shed =
        Counter.builder("parley_msg_sends_shed_total")
            .description("Log commands refused because the queue was too old")
            .register(metrics);
    this.tx = tx;
    this.work = work;
    this.sink = sink;
    this.clock = clock;
    this.batchSizes =
        DistributionSummary.builder("parley_msg_send_batch_size")
            .description("Log commands applied per transaction (group commit)")
            .publishPercentiles(0.5, 0.99)
            .register(metrics);
    this.queueWait =
        Timer.builder("parley.msg.log.queue.wait")
            .description("Time a log command waited for a writer")
            .publishPercentiles(0.5, 0.99)
            .register(metrics);
    this.transactions =
        Timer.builder("parley.msg.log.transaction")
            .description(
                "Time to apply and commit one batch of log commands (from the first statement to the commit's answer)")
            .publishPercentiles(0.5, 0.99)
            .register(metrics);
    for (int i = 0; i < writerCount; i++) {
      Thread t =
          Thread.ofPlatform().name("msg-log-writer-" + i).daemon(true).start(this::writeLoop);
      writers.add(t);
    }
  }

  /**
   * Applies one command (with the others gathered meanwhile) and returns its outcome once
   * committed.
   *
   * @throws ParleyException UNAVAILABLE when the writer is overloaded or shutting down (nothing was
   *     stored), or when the outcome could not be learned in time (it may have been stored: retry)
   */
  public LogOutcome submit(LogCommand command) {
    if (closing) throw new ParleyException(Reason.UNAVAILABLE, "The server is shutting down");
    long now = ticker.getAsLong();
    Pending oldest = queue.peek();
    if (oldest != null && now - oldest.enqueuedNanos() > maxQueueWait.toNanos()) {
      shed.increment();
      throw new ParleyException(Reason.UNAVAILABLE, "The server is overloaded; retry shortly");
    }
    Span span = tracer.spanBuilder(spanName(command)).setParent(requestSpan()).startSpan();
    Span queueWait =
        tracer.spanBuilder("msg.queue_wait").setParent(Context.root().with(span)).startSpan();
    Pending p =
        new Pending(
            command,
            weight(command),
            now,
            new CompletableFuture<>(),
            span,
            queueWait,
            span.isRecording() ? new ConcurrentLinkedQueue<>() : null);
    try {
      if (!queue.offer(p)) {
        shed.increment();
        throw new ParleyException(Reason.UNAVAILABLE, "The server is overloaded; retry shortly");
      }
      // Bounded so that a command queued just as the writers stopped cannot hang its caller; the
      // outcome is then unknown, as after any timeout, and a retry with the same id settles it.
      return p.result().orTimeout(2, TimeUnit.MINUTES).join();
    } catch (CompletionException e) {
      span.setStatus(StatusCode.ERROR);
      if (e.getCause() instanceof RuntimeException r) throw r;
      if (e.getCause() instanceof java.util.concurrent.TimeoutException) {
        throw new ParleyException(
            Reason.UNAVAILABLE, "The change could not be stored in time; retry");
      }
      throw e;
    } catch (RuntimeException e) {
      span.setStatus(StatusCode.ERROR);
      throw e;
    } finally {
      traceTransactions(p);
      span.end();
    }
  }

  /**
   * The gateway's request span when it was sampled; else a root, whose trace id is still the
   * request's (LogTraceIds) and whose sampling, decided by that id, agrees with the gateway's.
   */
  private static Context requestSpan() {
    SpanContext caller = TraceContext.parent();
    return caller.isSampled() ? TraceParent.parentOf(caller) : Context.root();
  }

  private static String spanName(LogCommand c) {
    return switch (c) {
      case LogCommand.Send s -> "msg send";
      case LogCommand.Recall r -> "msg recall";
      case LogCommand.Edit e -> "msg edit";
      case LogCommand.React r -> "msg react";
      case LogCommand.Pin p -> "msg pin";
      default -> "msg group change";
    };
  }

  private int weight(LogCommand c) {
    return switch (c) {
      case LogCommand.Send s -> 1 + feedRowHints.getOrDefault(s.conversationId(), 2);
      case LogCommand.Recall r -> 1 + feedRowHints.getOrDefault(r.conversationId(), 2);
      case LogCommand.Edit e -> 1 + feedRowHints.getOrDefault(e.conversationId(), 2);
      case LogCommand.React r -> 1 + feedRowHints.getOrDefault(r.conversationId(), 2);
      case LogCommand.Pin p -> 1 + feedRowHints.getOrDefault(p.conversationId(), 2);
      default -> 1 + 200; // group changes: up to one feed row per member
    };
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
        while (batch.size() < MAX_COMMANDS && weight < MAX_FEED_ROWS) {
          Pending next = queue.poll();
          if (next == null) break;
          batch.add(next);
          weight += next.weight();
        }
        pressure.waited(ticker.getAsLong() - first.enqueuedNanos());
        store(batch);
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        // store() completes every future; this is a bug guard so a writer never dies silently.
        log.error("Log writer failed", e);
      } finally {
        for (Pending p : batch)
          p.result().completeExceptionally(new IllegalStateException("command not completed"));
        batch.clear();
      }
    }
  }

  private void store(List<Pending> batch) {
    batchSizes.record(batch.size());
    long started = ticker.getAsLong();
    Instant startedAt = SPAN_CLOCK.instant();
    for (Pending p : batch) queueWait.record(started - p.enqueuedNanos(), TimeUnit.NANOSECONDS);
    List<LogCommand> commands = batch.stream().map(Pending::command).toList();
    LogBatch.Result result;
    Instant[] appliedAt = {startedAt};
    try {
      result =
          tx.write(
              h -> {
                LogBatch.Result applied = work.run(h, commands, clock.instant());
                appliedAt[0] = SPAN_CLOCK.instant(); // the commit follows when this returns
                return applied;
              });
      transactions.record(ticker.getAsLong() - started, TimeUnit.NANOSECONDS);
      noteTransaction(batch, startedAt, appliedAt[0], SPAN_CLOCK.instant(), false);
    } catch (RuntimeException e) {
      noteTransaction(batch, startedAt, SPAN_CLOCK.instant(), SPAN_CLOCK.instant(), true);
      if (batch.size() == 1) {
        batch.getFirst().result().completeExceptionally(e);
        return;
      }
      log.warn(
          "A batch of {} log commands failed ({}); applying them one by one",
          batch.size(),
          e.toString());
      for (Pending p : batch) store(List.of(p));
      return;
    }
    for (Appended a : traced(batch, result)) publish(a);
    for (int i = 0; i < batch.size(); i++) batch.get(i).result().complete(result.outcomes().get(i));
  }

  /**
   * The batch's appended entries, each with the span of the command that wrote it if that one is
   * sampled, so that its publication joins the command's trace.
   */
  private static List<Appended> traced(List<Pending> batch, LogBatch.Result result) {
    Map<List<Long>, SpanContext> spans = new HashMap<>();
    for (int i = 0; i < batch.size(); i++) {
      SpanContext span = batch.get(i).span().getSpanContext();
      if (span.isSampled() && result.outcomes().get(i) instanceof LogOutcome.Stored stored) {
        for (Entry e : stored.entries()) spans.put(List.of(e.conversationId(), e.seq()), span);
      }
    }
    if (spans.isEmpty()) return result.appended();
    List<Appended> traced = new ArrayList<>(result.appended().size());
    for (Appended a : result.appended()) {
      SpanContext span = spans.get(List.of(a.entry().conversationId(), a.entry().seq()));
      traced.add(span == null ? a : a.tracedBy(span));
    }
    return traced;
  }

  /** The batch's times, for each traced command of it to trace (writer thread: no spans here). */
  private static void noteTransaction(
      List<Pending> batch, Instant started, Instant applied, Instant committed, boolean failed) {
    for (Pending p : batch) {
      Queue<Transaction> traced = p.transactions();
      if (traced != null) {
        traced.add(new Transaction(started, applied, committed, batch.size(), failed));
      }
    }
  }

  /**
   * On the submitting thread, once the command is answered: its queue wait (until its first
   * transaction began), and each transaction and commit it took part in.
   */
  private void traceTransactions(Pending p) {
    Queue<Transaction> transactions = p.transactions();
    Transaction first = transactions == null ? null : transactions.peek();
    if (transactions == null || first == null) {
      p.queueWait().end();
      return;
    }
    p.queueWait().end(first.started());
    for (Transaction t : transactions) {
      Span transaction =
          tracer
              .spanBuilder("msg.transaction")
              .setParent(Context.root().with(p.span()))
              .setStartTimestamp(t.started())
              .setAttribute(BATCH_SIZE, (long) t.batchSize())
              .startSpan();
      if (t.failed()) transaction.setStatus(StatusCode.ERROR);
      transaction.end(t.applied());
      tracer
          .spanBuilder("msg.commit")
          .setParent(Context.root().with(p.span()))
          .setStartTimestamp(t.applied())
          .startSpan()
          .end(t.committed());
    }
  }

  private void publish(Appended a) {
    if (feedRowHints.size() > MAX_HINTS) feedRowHints.clear();
    int feedRows = 0;
    for (long p : a.pts()) if (p != 0) feedRows++;
    feedRowHints.put(a.entry().conversationId(), feedRows);
    try {
      sink.appended(a);
    } catch (RuntimeException e) {
      // Delivery is best effort (feeds and logs have it); the entry is stored and must be answered.
      log.warn("Publishing entry {}/{} failed", a.entry().conversationId(), a.entry().seq(), e);
    }
  }

  /** Commands waiting for a writer. */
  int queued() {
    return queue.size();
  }

  /**
   * Stops taking commands, lets the writers finish what is queued, waits for them; whatever is
   * still queued then (writers gone or too slow) is answered UNAVAILABLE: those were never stored.
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
      p.result()
          .completeExceptionally(
              new ParleyException(Reason.UNAVAILABLE, "The server is shutting down"));
    }
  }
}
