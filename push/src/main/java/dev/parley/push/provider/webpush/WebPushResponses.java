package dev.parley.push.provider.webpush;

import dev.parley.push.provider.PushOutcome;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Classifies a push service's answer (RFC 8030 and the services' documentation): 2xx (201 Created
 * from the RFC) delivered; 404 and 410 mean the subscription is gone (the browser unsubscribed or
 * the service expired it); 429 and 5xx are transient, with {@code Retry-After} when given;
 * everything else (400 malformed, 401/403 VAPID refused, 413 payload too large) is permanent.
 */
final class WebPushResponses {
  private WebPushResponses() {}

  static PushOutcome classify(int status, @Nullable Duration retryAfter) {
    if (status / 100 == 2) return new PushOutcome.Delivered();
    String reason = "http-" + status;
    if (status == 404 || status == 410) return new PushOutcome.InvalidTarget(reason);
    if (status == 429 || status / 100 == 5) return new PushOutcome.RetryLater(retryAfter, reason);
    return new PushOutcome.PermanentFailure(reason);
  }
}
