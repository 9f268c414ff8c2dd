package dev.parley.gateway.codec;

/** A frame or body that is not a valid message in its encoding: the client's mistake, not ours. */
public final class MalformedInputException extends Exception {
  public MalformedInputException(String message) {
    super(message, null, false, false);
  }
}
