package dev.parley.msg.core;

import java.util.stream.LongStream;

/** Asks the user service about accounts the message service only knows by id. */
public interface UserDirectory {
  /** Whether an account with this id exists. */
  boolean exists(long userId);

  /** The ids among {@code userIds} without an account (one question per id unless overridden). */
  default long[] unknown(long[] userIds) {
    return LongStream.of(userIds).filter(id -> !exists(id)).toArray();
  }
}
