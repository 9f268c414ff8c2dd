package dev.parley.msg.core;

/** Asks the user service about accounts the message service only knows by id. */
public interface UserDirectory {
  /** Whether an account with this id exists. */
  boolean exists(long userId);
}
