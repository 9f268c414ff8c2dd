package dev.parley.push.provider.fcm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.push.provider.PushOutcome;
import java.time.Duration;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Classifies an FCM v1 answer. Errors come as {@code {"error": {"code", "message", "status",
 * "details": [{"@type": "…FcmError", "errorCode": "UNREGISTERED"}, {"@type": "…BadRequest",
 * "fieldViolations": [{"field": "message.token"}]}]}}}.
 *
 * <ul>
 *   <li>2xx: delivered.
 *   <li>404 {@code UNREGISTERED}, or 400 {@code INVALID_ARGUMENT} about the token (a field
 *       violation on {@code message.token}, or a message naming the registration token): the token
 *       is gone or never was one; remove it.
 *   <li>429 ({@code QUOTA_EXCEEDED}) and every 5xx ({@code UNAVAILABLE}, {@code INTERNAL}): retry,
 *       after {@code Retry-After} when given.
 *   <li>Anything else, other 400s included, is permanent for this notification. {@code
 *       SENDER_ID_MISMATCH} (403) too, although the token can never work for us: it is also what
 *       every token answers when the configured project is wrong, and removing tokens on it would
 *       wipe every Android target after one configuration mistake.
 * </ul>
 *
 * A 401 never gets here: the provider refreshes its access token and sends once more first; a
 * second 401 is permanent ({@code UNAUTHENTICATED}: the service account is not allowed).
 */
final class FcmResponses {
  private FcmResponses() {}

  static PushOutcome classify(
      ObjectMapper json, int status, String body, @Nullable Duration retryAfter) {
    if (status / 100 == 2) return new PushOutcome.Delivered();
    FcmError error = FcmError.parse(json, body, status);
    if (status == 404 && "UNREGISTERED".equals(error.code())) {
      return new PushOutcome.InvalidTarget("UNREGISTERED");
    }
    if (status == 400 && error.aboutToken()) return new PushOutcome.InvalidTarget(error.code());
    if (status == 429 || status / 100 == 5)
      return new PushOutcome.RetryLater(retryAfter, error.code());
    return new PushOutcome.PermanentFailure(error.code());
  }

  /**
   * @param code the FCM error code, else the status, else {@code http-<status>}
   * @param aboutToken whether the error blames the registration token
   */
  record FcmError(String code, boolean aboutToken) {
    static FcmError parse(ObjectMapper json, String body, int status) {
      JsonNode error;
      try {
        error = json.readTree(body).path("error");
      } catch (java.io.IOException | RuntimeException e) {
        return new FcmError("http-" + status, false);
      }
      String code = error.path("status").asText("");
      boolean aboutToken =
          error.path("message").asText("").toLowerCase(Locale.ROOT).contains("registration token");
      for (JsonNode detail : error.path("details")) {
        String fcmCode = detail.path("errorCode").asText("");
        if (!fcmCode.isEmpty()) code = fcmCode;
        for (JsonNode violation : detail.path("fieldViolations")) {
          if ("message.token".equals(violation.path("field").asText())) aboutToken = true;
        }
      }
      return new FcmError(code.isEmpty() ? "http-" + status : code, aboutToken);
    }
  }
}
