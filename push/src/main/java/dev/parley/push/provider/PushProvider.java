package dev.parley.push.provider;

import java.util.concurrent.CompletableFuture;

/**
 * A client of one platform's push service.
 *
 * <p><b>Contract.</b> {@link #send} returns at once, without blocking the caller's thread (no I/O,
 * no waiting for a permit, no token refresh on it); the future completes on the provider's own
 * threads with an outcome, never exceptionally: connection failures and time-outs become {@link
 * PushOutcome.RetryLater}, a target this provider cannot serve or a malformed one becomes {@link
 * PushOutcome.InvalidTarget}. Each provider bounds how many notifications it has in flight; past
 * that it queues a bounded number and answers {@code RetryLater("overloaded")} beyond, so a slow
 * provider pushes back on its caller instead of piling up requests.
 *
 * <p>A provider does not retry, except where the protocol makes one attempt meaningless without a
 * second (FCM: a 401 refreshes the access token once and sends again). Retrying, back-off and
 * removing invalid targets belong to the caller.
 *
 * @param <T> the kind of target it serves
 */
public interface PushProvider<T extends PushTarget> extends AutoCloseable {
  /**
   * {@code fcm}, {@code apns} or {@code webpush}: the metric tag, and {@link PushTarget#provider}.
   */
  String name();

  CompletableFuture<PushOutcome> send(T target, PushNotification notification);

  /** Stops taking notifications and releases connections; waits for nothing in flight. */
  @Override
  void close();
}
