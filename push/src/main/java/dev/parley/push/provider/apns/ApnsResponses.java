package dev.parley.push.provider.apns;

import com.eatthepath.pushy.apns.PushNotificationResponse;
import dev.parley.push.provider.PushOutcome;
import java.util.Set;

/**
 * Classifies APNs's answer (Apple's "Handling notification responses from APNs"):
 *
 * <ul>
 *   <li>200: delivered.
 *   <li>410 (reason {@code Unregistered}: the app is gone from the device), or reason {@code
 *       BadDeviceToken} (400: not a token of this environment): remove the token.
 *   <li>429 ({@code TooManyRequests}: too many to this device), 500, 503, and 403 {@code
 *       ExpiredProviderToken} (Pushy opens a new connection with a new token): retry. APNs sends no
 *       {@code Retry-After}: the caller's back-off decides.
 *   <li>Everything else is permanent: bad topic or payload, a key APNs refuses.
 * </ul>
 */
final class ApnsResponses {
  private static final Set<String> GONE = Set.of("Unregistered", "BadDeviceToken");
  private static final Set<Integer> TRANSIENT = Set.of(429, 500, 503);

  private ApnsResponses() {}

  static PushOutcome classify(PushNotificationResponse<?> response) {
    if (response.isAccepted()) return new PushOutcome.Delivered();
    int status = response.getStatusCode();
    String reason = response.getRejectionReason().orElse("http-" + status);
    if (status == 410 || GONE.contains(reason)) return new PushOutcome.InvalidTarget(reason);
    if (TRANSIENT.contains(status) || "ExpiredProviderToken".equals(reason)) {
      return new PushOutcome.RetryLater(null, reason);
    }
    return new PushOutcome.PermanentFailure(reason);
  }
}
