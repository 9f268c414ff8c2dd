package dev.parley.msg.presence;

import java.time.Instant;

/** What one viewer may know of one user's presence: exactly one of three shapes. */
public sealed interface Seen {
  /** Connected now. */
  record Online() implements Seen {}

  /** The last connection closed at this moment. */
  record LastSeen(Instant at) implements Seen {}

  /** Only roughly when. */
  record Coarse(Range range) implements Seen {}

  /** The coarse values, from the most recent. */
  enum Range {
    /** Online now, or within the last 3 days. */
    RECENTLY,
    /** Within the last 7 days. */
    WITHIN_WEEK,
    /** Within the last 30 days. */
    WITHIN_MONTH,
    /** Longer ago, or never seen. */
    LONG_AGO
  }
}
