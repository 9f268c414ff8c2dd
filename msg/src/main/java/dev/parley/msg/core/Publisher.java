package dev.parley.msg.core;

import dev.parley.msg.core.log.Appended;
import dev.parley.msg.feed.FeedItem;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes committed updates off the threads that wrote them (log writers holding database
 * connections, request threads) and hands them to the {@link UpdateSink} on one thread of its own,
 * in the order they were handed over (design.md 8.5). Encoding events, publishing to the bus and,
 * in a single node, the gateways' fan-out all happen there.
 *
 * <p>The queue is bounded ({@link #CAPACITY} hand-overs). When it is full — the bus is down or the
 * gateways cannot keep up — new updates are dropped and counted instead of slowing the writers:
 * delivery is best effort, and devices close the gaps from their feeds and group logs.
 */
public final class Publisher implements UpdateSink, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Publisher.class);
  static final int CAPACITY = 65_536;

  private final UpdateSink sink;
  private final BlockingQueue<Runnable> queue = new ArrayBlockingQueue<>(CAPACITY);
  private final Counter dropped;
  private final Thread thread;
  private volatile boolean closing;

  public Publisher(UpdateSink sink, MeterRegistry metrics) {
    this.sink = sink;
    this.dropped =
        Counter.builder("parley_msg_publish_dropped_total")
            .description(
                "Committed updates not published live because the publish queue was full (devices catch up by sync)")
            .register(metrics);
    Gauge.builder("parley_msg_publish_queued", queue, BlockingQueue::size)
        .description("Committed updates waiting to be published")
        .register(metrics);
    this.thread = Thread.ofPlatform().name("msg-publisher").daemon(true).start(this::run);
  }

  @Override
  public void appended(Appended appended) {
    offer(() -> sink.appended(appended));
  }

  @Override
  public void published(List<FeedItem> items, long[] pts) {
    if (!items.isEmpty()) offer(() -> sink.published(items, pts));
  }

  private void offer(Runnable task) {
    if (closing || !queue.offer(task)) dropped.increment();
  }

  private void run() {
    while (true) {
      Runnable task;
      try {
        task = queue.poll(200, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        return;
      }
      if (task == null) {
        if (closing) return;
        continue;
      }
      try {
        task.run();
      } catch (RuntimeException e) {
        log.warn("Publishing an update failed (devices catch up by sync)", e);
      }
    }
  }

  /** Publishes what is queued (for up to five seconds), then stops. */
  @Override
  public void close() {
    closing = true;
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
