package dev.parley.msg.grpc;

import dev.parley.common.error.ParleyException;

/** Request field checks shared by the message service's edges. */
final class Limits {
  private Limits() {}

  /** limit 0 means the default; otherwise 1..max. */
  static int page(int requested, int defaultLimit, int max, String field) {
    if (requested == 0) return defaultLimit;
    if (requested < 0 || requested > max)
      throw ParleyException.invalid(field, field + " must be between 1 and " + max);
    return requested;
  }

  static long id(long value, String field) {
    if (value <= 0) throw ParleyException.invalid(field, field + " is required");
    return value;
  }

  static long seq(long value, String field) {
    if (value <= 0) throw ParleyException.invalid(field, field + " must be a positive seq");
    return value;
  }

  static long notNegative(long value, String field) {
    if (value < 0) throw ParleyException.invalid(field, field + " must not be negative");
    return value;
  }
}
