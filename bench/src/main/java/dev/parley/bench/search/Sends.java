package dev.parley.bench.search;

import dev.parley.bench.load.Device;
import dev.parley.proto.client.Request;
import dev.parley.proto.client.SendMessageRequest;
import dev.parley.proto.client.SendMessageResponse;
import dev.parley.proto.client.TextContent;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntToLongFunction;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Sends the plan's messages through the protocol, as a client would: {@code send_message} to the
 * peer's user id (the one-to-one conversation), a client_msg_id that makes a resend harmless, and
 * up to three attempts when the server asks to come back later ({@code UNAVAILABLE}, {@code
 * TOO_MANY_IN_FLIGHT}) or the answer timed out. Remembers each plan conversation's id from the
 * answers (the searches filter by them) and counts what was stored and what was refused.
 */
public final class Sends {
  private static final int MAX_ATTEMPTS = 3;

  private final Device[] devices;
  private final IntToLongFunction userIdOf;
  private final String runId;
  private final AtomicLongArray conversationIds;
  private final LongAdder acked = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();

  /** Send → answer, from the moment the request was handed to the device. */
  public final Histogram ack = new ConcurrentHistogram(3_600_000_000L, 3);

  /**
   * @param devices by account index
   * @param userIdOf an account index's user id
   * @param conversations plan conversations whose ids are remembered
   */
  public Sends(Device[] devices, IntToLongFunction userIdOf, String runId, int conversations) {
    this.devices = devices;
    this.userIdOf = userIdOf;
    this.runId = runId;
    this.conversationIds = new AtomicLongArray(conversations);
  }

  /**
   * Sends {@code text} from {@code sender} to {@code peer} as message {@code id} of this run;
   * completes with the answer, or exceptionally when it was not stored after every attempt.
   *
   * @param conversation the plan's conversation, whose id the answer tells
   */
  public CompletableFuture<SendMessageResponse> send(
      String id, int sender, int peer, int conversation, String text) {
    SendMessageRequest.Builder b =
        SendMessageRequest.newBuilder()
            .setClientMsgId("s8:" + runId + ":" + id)
            .setUserId(userIdOf.applyAsLong(peer))
            .setText(TextContent.newBuilder().setText(text));
    CompletableFuture<SendMessageResponse> done = new CompletableFuture<>();
    attempt(devices[sender], b, conversation, 1, System.nanoTime(), done);
    return done;
  }

  private void attempt(
      Device device,
      SendMessageRequest.Builder b,
      int conversation,
      int attempt,
      long startNanos,
      CompletableFuture<SendMessageResponse> done) {
    device
        .call(Request.newBuilder().setSendMessage(b))
        .whenComplete(
            (r, e) -> {
              if (e == null) {
                long nanos = System.nanoTime() - startNanos;
                ack.recordValue(Math.max(1, nanos / 1_000));
                conversationIds.set(conversation, r.getSendMessage().getConversationId());
                acked.increment();
                done.complete(r.getSendMessage());
                return;
              }
              String reason = reason(e);
              errors.computeIfAbsent(reason, k -> new LongAdder()).increment();
              if (attempt < MAX_ATTEMPTS && retryable(reason)) {
                device
                    .loop()
                    .schedule(
                        () -> attempt(device, b, conversation, attempt + 1, startNanos, done),
                        200,
                        TimeUnit.MILLISECONDS);
              } else {
                failed.increment();
                done.completeExceptionally(e);
              }
            });
  }

  /**
   * Device.call fails with "&lt;op&gt; failed: &lt;REASON&gt; &lt;message&gt;" (or a local failure:
   * timeout, closed); the reason is the word after "failed: ".
   */
  static String reason(Throwable e) {
    Throwable cause = e.getCause() != null ? e.getCause() : e;
    String m = String.valueOf(cause.getMessage());
    int at = m.indexOf("failed: ");
    if (at < 0) return m;
    String rest = m.substring(at + "failed: ".length()).trim();
    int space = rest.indexOf(' ');
    return space < 0 ? rest : rest.substring(0, space);
  }

  private static boolean retryable(String reason) {
    return reason.contains("UNAVAILABLE")
        || reason.contains("TOO_MANY_IN_FLIGHT")
        || reason.contains("timeout");
  }

  /** The id of plan conversation {@code i}, 0 until a message in it was stored. */
  public long conversationId(int i) {
    return conversationIds.get(i);
  }

  public long acked() {
    return acked.sum();
  }

  public long failed() {
    return failed.sum();
  }

  public Map<String, Long> errors() {
    Map<String, Long> m = new java.util.TreeMap<>();
    errors.forEach((k, v) -> m.put(k, v.sum()));
    return m;
  }
}
