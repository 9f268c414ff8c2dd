package dev.parley.client;

import java.time.Duration;

/** What {@link Messenger.Builder} collects, checked there; see its setters for what each means. */
record MessengerSettings(
    Duration gapWait,
    Duration ackInterval,
    int differenceLimit,
    int conversationPageSize,
    int historyPageSize,
    int syncGroupsLimit,
    int groupsPerRequest,
    Duration sendTimeout,
    Duration sendBackoffBase,
    Duration sendBackoffMax,
    Duration retryBackoffBase,
    Duration retryBackoffMax) {

  static Duration notNegative(Duration d, String what) {
    if (d.isNegative()) {
      throw new IllegalArgumentException(what + " must not be negative: " + d);
    }
    return d;
  }

  static Duration positive(Duration d, String what) {
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(what + " must be positive: " + d);
    }
    return d;
  }

  static Duration atLeast(Duration max, Duration base) {
    if (max.compareTo(base) < 0) {
      throw new IllegalArgumentException("max " + max + " is below base " + base);
    }
    return max;
  }

  static int inRange(int value, int max, String what) {
    if (value < 1 || value > max) {
      throw new IllegalArgumentException(what + " must be within 1.." + max + ": " + value);
    }
    return value;
  }
}
