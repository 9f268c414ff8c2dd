package dev.parley.cli;

import org.jspecify.annotations.Nullable;

/**
 * A failure the CLI detects itself (no credentials, a session that has ended, no connection in
 * time), with the reason and exit code to report; see {@link Failure}. Server errors stay {@link
 * dev.parley.client.ClientException}s.
 */
final class CliException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String reason;
  private final int exitCode;

  CliException(String reason, String message, int exitCode) {
    this(reason, message, exitCode, null);
  }

  CliException(String reason, @Nullable String message, int exitCode, @Nullable Throwable cause) {
    super(message, cause);
    this.reason = reason;
    this.exitCode = exitCode;
  }

  static CliException notLoggedIn(String profile) {
    return new CliException(
        "NOT_LOGGED_IN",
        "no saved credentials in profile '" + profile + "'; run 'cli login' or 'cli register'",
        ExitCodes.NOT_LOGGED_IN);
  }

  static CliException loggedOut(String profile, String why) {
    return new CliException(
        "LOGGED_OUT",
        "the session has ended ("
            + why
            + "); credentials of profile '"
            + profile
            + "' deleted; log in again",
        ExitCodes.NOT_LOGGED_IN);
  }

  String reason() {
    return reason;
  }

  int exitCode() {
    return exitCode;
  }
}
