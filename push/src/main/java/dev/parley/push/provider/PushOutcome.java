package dev.parley.push.provider;

import java.time.Duration;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * What became of one notification, classified for the caller: every provider's answers (HTTP
 * statuses, error codes, connection failures) map onto these four, so the code that queues and
 * retries pushes needs to know no provider.
 */
public sealed interface PushOutcome {
  /** The outcome's kind, for metrics and logs. */
  Kind kind();

  /**
   * A short, stable description of why (a provider's error code, an HTTP status, or one of ours
   * such as {@code unreachable}); {@code accepted} for a delivery.
   */
  String reason();

  enum Kind {
    DELIVERED,
    RETRY_LATER,
    INVALID_TARGET,
    PERMANENT_FAILURE;

    /** The metric tag value: {@code delivered}, {@code retry_later}, … */
    public String tag() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** The provider accepted the notification; it delivers it when the device is reachable. */
  record Delivered() implements PushOutcome {
    @Override
    public Kind kind() {
      return Kind.DELIVERED;
    }

    @Override
    public String reason() {
      return "accepted";
    }
  }

  /**
   * A transient failure (overload, provider error, network): send again later.
   *
   * @param retryAfter how long the provider asked us to wait ({@code Retry-After}); null when it
   *     did not say, and the caller's back-off decides ({@link RetryBackoff})
   */
  record RetryLater(@Nullable Duration retryAfter, String reason) implements PushOutcome {
    @Override
    public Kind kind() {
      return Kind.RETRY_LATER;
    }
  }

  /**
   * The target no longer exists (the app was uninstalled, the token expired, the browser
   * unsubscribed): remove it and never send to it again.
   */
  record InvalidTarget(String reason) implements PushOutcome {
    @Override
    public Kind kind() {
      return Kind.INVALID_TARGET;
    }
  }

  /**
   * The provider refused this notification for good (bad payload, too large, misconfigured
   * credentials or topic): sending it again would fail the same way. The target may still be valid.
   */
  record PermanentFailure(String reason) implements PushOutcome {
    @Override
    public Kind kind() {
      return Kind.PERMANENT_FAILURE;
    }
  }
}
