package dev.parley.bench.report;

import dev.parley.bench.load.PhaseStats;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The numbers of one phase, as reported. Rates are per second of the phase's sending window;
 * latencies in milliseconds (see {@link LatencySummary}); {@code server} is what the server's
 * metrics said.
 */
public record PhaseReport(
    String name,
    double targetRate,
    double seconds,
    double achievedRate,
    long scheduled,
    long sent,
    long acked,
    long duplicateAcks,
    long retries,
    long failed,
    Map<String, Long> errors,
    long unanswered,
    long delivered,
    long deliveredViaSync,
    double deliveriesPerSecond,
    long duplicates,
    long lost,
    long reordered,
    long causalViolations,
    long incompleteAfterDrain,
    LatencySummary ack,
    LatencySummary endToEnd,
    LatencySummary endToEndViaSync,
    LatencySummary lastRecipient,
    LatencySummary sendLag,
    LatencySummary other,
    @Nullable Double benchCpuCores,
    ServerMetrics.Delta server,
    String note) {

  public static PhaseReport of(
      PhaseStats p, ServerMetrics.Delta server, @Nullable Double benchCpuCores, String note) {
    double s = p.seconds();
    long sent = p.sent.sum();
    long delivered = p.delivered.sum();
    return new PhaseReport(
        p.name,
        p.targetRate,
        round(s),
        s > 0 ? round(sent / s) : 0,
        p.scheduled.sum(),
        sent,
        p.acked.sum(),
        p.duplicateAcks.sum(),
        p.retries.sum(),
        p.failed.sum(),
        p.errors(),
        p.unanswered.sum(),
        delivered,
        p.deliveredViaSync.sum(),
        s > 0 ? round(delivered / s) : 0,
        p.duplicates.sum(),
        p.lost.sum(),
        p.reordered.sum(),
        p.causalViolations.sum(),
        p.incompleteAfterDrain.sum(),
        LatencySummary.of(p.ack),
        LatencySummary.of(p.endToEnd),
        LatencySummary.of(p.endToEndViaSync),
        LatencySummary.of(p.lastRecipient),
        LatencySummary.of(p.sendLag),
        LatencySummary.of(p.other),
        benchCpuCores,
        server,
        note);
  }

  private static double round(double v) {
    return Math.round(v * 10) / 10.0;
  }
}
