package dev.parley.user.delivery;

import dev.parley.user.UserMetrics;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends codes off the request path. A request only enqueues, so its response time reveals neither how
 * long delivery takes nor whether it failed, and a slow SMTP server cannot hold request threads.
 *
 * <p>Bounded on purpose: {@value #THREADS} threads and a queue of {@value #QUEUE} messages. When the
 * queue is full the message is dropped (logged, counted as outcome=rejected); the user asks again after
 * the cool-down. Unbounded queueing would only turn a delivery outage into memory exhaustion.
 */
public final class CodeDispatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CodeDispatcher.class);
  static final int THREADS = 2;
  static final int QUEUE = 1000;

  private final CodeSender mail;
  private final CodeSender sms;
  private final UserMetrics metrics;
  private final ThreadPoolExecutor executor;

  public CodeDispatcher(CodeSender mail, CodeSender sms, UserMetrics metrics) {
    this.mail = mail;
    this.sms = sms;
    this.metrics = metrics;
    AtomicInteger n = new AtomicInteger();
    this.executor =
        new ThreadPoolExecutor(
            THREADS,
            THREADS,
            30,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(QUEUE),
            r -> {
              Thread t = new Thread(r, "parley-code-delivery-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    executor.allowCoreThreadTimeOut(true);
  }

  /** Queues the message for delivery; never blocks and never throws. */
  public void dispatch(CodeMessage message) {
    String channel = message.to().channel();
    try {
      executor.execute(() -> send(message, channel));
    } catch (RejectedExecutionException e) {
      log.warn("Code delivery queue full or stopped; dropped the code for a {} recipient", channel);
      metrics.codeSent(channel, "rejected");
    }
  }

  private void send(CodeMessage message, String channel) {
    try {
      (message.to().isEmail() ? mail : sms).send(message);
      metrics.codeSent(channel, "sent");
    } catch (Exception e) {
      log.warn("Could not deliver a code by {} to {}: {}", channel, message.to(), e.toString());
      metrics.codeSent(channel, "failed");
    }
  }

  /** Stops taking messages and waits briefly for the queued ones. */
  @Override
  public void close() {
    executor.shutdown();
    try {
      if (!executor.awaitTermination(5, TimeUnit.SECONDS)) executor.shutdownNow();
    } catch (InterruptedException e) {
      executor.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
