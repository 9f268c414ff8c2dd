package dev.parley.msg.audit;

import java.time.Instant;
import java.util.List;

/**
 * What {@link SyncAudit#audit} saw for one user, read in one snapshot.
 *
 * @param feedHead the user's newest feed position (0 when the user has no feed)
 * @param feedMin the oldest position the feed still keeps (older ones were pruned)
 * @param devices the devices (sessions) that ever acknowledged a position
 * @param conversations the conversations the user is or was a member of
 */
public record AuditReport(
    long userId,
    Instant at,
    long feedHead,
    long feedMin,
    int devices,
    int conversations,
    List<Finding> findings) {

  public AuditReport {
    findings = List.copyOf(findings);
  }

  public long problems() {
    return findings.stream().filter(f -> f.severity() == Finding.Severity.PROBLEM).count();
  }

  /**
   * The text the admin endpoint serves and {@code parley admin audit-user} prints. Its first line
   * is {@code OK} or {@code PROBLEMS <n>}, so scripts need not parse the rest.
   */
  public String text() {
    StringBuilder b = new StringBuilder();
    long problems = problems();
    b.append(problems == 0 ? "OK" : "PROBLEMS " + problems).append('\n');
    b.append("user ").append(userId).append(", audited at ").append(at).append('\n');
    b.append("feed: head pts ")
        .append(feedHead)
        .append(", oldest kept pts ")
        .append(feedMin)
        .append("; devices: ")
        .append(devices)
        .append("; conversations: ")
        .append(conversations)
        .append('\n');
    for (Finding f : findings) b.append(f.line()).append('\n');
    return b.toString();
  }
}
