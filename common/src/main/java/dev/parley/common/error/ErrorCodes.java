package dev.parley.common.error;

import dev.parley.proto.client.Error;
import dev.parley.proto.client.Error.Reason;
import java.time.Duration;

/**
 * The HTTP-like class of each reason; the table in docs/protocol.md is generated from the same
 * rule.
 */
public final class ErrorCodes {
  private ErrorCodes() {}

  public static int code(Reason reason) {
    int n = reason.getNumber();
    // Issue 12 allocated these numbers in the 50s (the 404 block); they are conflicts with the
    // current state.
    if (reason == Reason.TOO_MANY_PINNED_CHATS
        || reason == Reason.PINNED_CHATS_MISMATCH
        || reason == Reason.TOO_MANY_REACTIONS
        || reason == Reason.TOO_MANY_PINNED_MESSAGES) return 409;
    if (n >= 70 && n < 80) return 413;
    if (n >= 1 && n < 20) return 400;
    if (n >= 20 && n < 40) return 401;
    if (n >= 40 && n < 50) return 403;
    if (n >= 50 && n < 60) return 404;
    if (n >= 60 && n < 70) return 409;
    if (n >= 80 && n < 90) return 429;
    if (reason == Reason.UNAVAILABLE) return 503;
    return 500;
  }

  public static Error error(Reason reason, String message) {
    return error(reason, message, "", Duration.ZERO);
  }

  public static Error error(Reason reason, String message, String field, Duration retryAfter) {
    return Error.newBuilder()
        .setCode(code(reason))
        .setReason(reason)
        .setMessage(message == null ? "" : message)
        .setField(field == null ? "" : field)
        .setRetryAfterMs((int) Math.min(Integer.MAX_VALUE, Math.max(0, retryAfter.toMillis())))
        .build();
  }
}
