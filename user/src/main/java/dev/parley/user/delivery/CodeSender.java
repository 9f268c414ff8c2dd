package dev.parley.user.delivery;

/**
 * One way of getting a code to a person: SMTP, an HTTP SMS provider, or the development sink.
 * Called on the delivery executor, never on a request thread, so it may block up to its configured
 * timeout.
 */
public interface CodeSender {
  /** Delivers the message or throws; a failure is logged and counted by the caller. */
  void send(CodeMessage message) throws Exception;
}
