package dev.parley.cli;

/** The CLI's exit codes; scripts branch on them. */
public final class ExitCodes {
  private ExitCodes() {}

  public static final int OK = 0;

  /** The server refused the request, could not be reached, or did not answer in time. */
  public static final int FAILED = 1;

  /** Bad command line (picocli's own code for usage errors). */
  public static final int USAGE = 2;

  /** No saved credentials in the profile, or the session has ended: log in (again). */
  public static final int NOT_LOGGED_IN = 3;
}
