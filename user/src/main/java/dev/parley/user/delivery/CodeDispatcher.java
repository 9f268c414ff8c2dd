package dev.parley.user.delivery;

import dev.parley.common.error.ParleyException;
import dev.parley.proto.client.Error.Reason;
import dev.parley.user.UserMetrics;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends codes off the request path. A request only enqueues, so its response time reveals neither
 * how long delivery takes nor whether it failed, and a slow SMTP server cannot hold request
 * threads.
 *
 * <p>One {@link DeliveryLane} per channel, so a hanging SMS provider does not hold up e-mail. Each
 * lane's queue is bounded by what it can send before a code expires (threads x code TTL / send
 * timeout): a longer queue would only hold codes that are dead on arrival. A message whose code has
 * expired by the time a thread takes it is dropped (outcome=expired), never sent: with a slow
 * provider users got SMS whose code was already refused. When a lane cannot take a message (queue
 * full) or its provider is known down, {@link #requireAvailable} says so before a code is even
 * made, and the client gets UNAVAILABLE instead of a silent loss.
 */
public final class CodeDispatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CodeDispatcher.class);
  static final int THREADS = 2;
  static final Duration RETRY_AFTER = Duration.ofSeconds(30);

  private final DeliveryLane mail;
  private final DeliveryLane sms;
  private final UserMetrics metrics;
  private final Clock clock;

  /**
   * @param mailQueue and smsQueue: messages that may wait per channel (see {@link #queueFor})
   */
  public CodeDispatcher(
      CodeSender mail,
      int mailQueue,
      CodeSender sms,
      int smsQueue,
      UserMetrics metrics,
      Clock clock) {
    this.metrics = metrics;
    this.clock = clock;
    this.mail = new DeliveryLane("email", mail, THREADS, mailQueue, clock);
    this.sms = new DeliveryLane("sms", sms, THREADS, smsQueue, clock);
  }

  /**
   * The queue that {@link #THREADS} threads can send within the code TTL at one timeout per send.
   */
  public static int queueFor(Duration codeTtl, Duration sendTimeout) {
    long perThread = codeTtl.toMillis() / Math.max(1, sendTimeout.toMillis());
    return (int) Math.max(1, Math.min(10_000, THREADS * perThread));
  }

  /** Throws UNAVAILABLE when the channel's provider is known down or its queue is full. */
  public void requireAvailable(String channel) {
    DeliveryLane lane = lane(channel);
    if (lane.full() || lane.knownDown()) {
      metrics.codeSent(channel, "unavailable");
      throw new ParleyException(
          Reason.UNAVAILABLE,
          "Codes cannot be sent by " + channel + " right now; try again later",
          "",
          RETRY_AFTER);
    }
  }

  /** Queues the message for delivery; never blocks and never throws. */
  public void dispatch(CodeMessage message) {
    String channel = message.to().channel();
    try {
      lane(channel).execute(() -> send(message, channel));
    } catch (RejectedExecutionException e) {
      log.warn(
          "Code delivery queue full or stopped; dropped the code for {}", message.to().masked());
      metrics.codeSent(channel, "rejected");
    }
  }

  private DeliveryLane lane(String channel) {
    return "email".equals(channel) ? mail : sms;
  }

  private void send(CodeMessage message, String channel) {
    if (!clock.instant().isBefore(message.expiresAt())) {
      log.warn(
          "Dropped the code for {}: it expired while waiting for delivery", message.to().masked());
      metrics.codeSent(channel, "expired");
      return;
    }
    DeliveryLane lane = lane(channel);
    try {
      lane.sender().send(message);
      lane.succeeded();
      metrics.codeSent(channel, "sent");
    } catch (Exception e) {
      lane.failed();
      // Provider and SMTP errors may quote the recipient: mask it there too.
      String error = e.toString().replace(message.to().value(), message.to().masked());
      log.warn("Could not deliver a code by {} to {}: {}", channel, message.to().masked(), error);
      metrics.codeSent(channel, "failed");
    }
  }

  /** Stops taking messages and waits briefly for the queued ones. */
  @Override
  public void close() {
    mail.close();
    sms.close();
  }
}
