package dev.parley.msg.audit;

/**
 * One thing the audit found.
 *
 * @param check stable name of the check (operations.md lists them)
 * @param conversationId the conversation concerned, 0 when none
 */
public record Finding(Severity severity, String check, long conversationId, String detail) {

  public enum Severity {
    /** Worth knowing, not a fault (a device that fell behind retention will resynchronize). */
    INFO,
    /** A broken invariant: some device may miss, repeat or mis-count something. */
    PROBLEM
  }

  static Finding problem(String check, long conversationId, String detail) {
    return new Finding(Severity.PROBLEM, check, conversationId, detail);
  }

  static Finding info(String check, long conversationId, String detail) {
    return new Finding(Severity.INFO, check, conversationId, detail);
  }

  /** One line of the text report. */
  public String line() {
    return String.format(
        "%-7s %-32s %s%s",
        severity,
        check,
        conversationId == 0 ? "" : "conversation " + conversationId + ": ",
        detail);
  }
}
