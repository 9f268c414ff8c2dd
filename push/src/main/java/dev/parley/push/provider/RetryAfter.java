package dev.parley.push.provider;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Reads an HTTP {@code Retry-After} header (RFC 9110 10.2.3): either a number of seconds or an
 * HTTP-date. FCM and Web Push services send it with 429 and 503 answers.
 */
public final class RetryAfter {
  private RetryAfter() {}

  /**
   * The delay the header asks for, counted from {@code clock}'s now; a date in the past is zero.
   * Empty when the header is absent or unreadable (the caller then falls back to its own back-off).
   */
  public static Optional<Duration> parse(Optional<String> header, Clock clock) {
    if (header.isEmpty()) return Optional.empty();
    String value = header.get().trim();
    if (value.isEmpty()) return Optional.empty();
    if (value.chars().allMatch(c -> c >= '0' && c <= '9')) {
      // More digits than a long holds is nonsense; so is anything past a year.
      if (value.length() > 9) return Optional.of(Duration.ofDays(365));
      return Optional.of(Duration.ofSeconds(Long.parseLong(value)));
    }
    try {
      // IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT") is what senders must use; RFC 1123 parsing
      // reads it (the obsolete RFC 850 and asctime forms are not worth a parser of their own).
      Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      Duration wait = Duration.between(clock.instant(), at);
      return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
