package dev.parley.bench.report;

import dev.parley.bench.load.RunCounters;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Everything a run produced, as written to the JSON file. {@code verdict} is FAILED when any
 * message was lost or duplicated, or any other correctness check failed ({@code failures} says
 * which); performance never fails a run, it is what the phases report.
 */
public record RunReport(
    String tool,
    String scenario,
    String description,
    List<String> commandLine,
    String startedAt,
    String endedAt,
    double seconds,
    MachineInfo machine,
    Map<String, Object> settings,
    String verdict,
    List<String> failures,
    List<String> notes,
    List<PhaseReport> phases,
    Map<String, Object> results,
    @Nullable Connections connections) {

  /** Run-wide connection and sync events. */
  public record Connections(
      LatencySummary connect,
      long connectFailures,
      Map<String, Long> unexpectedCloses,
      long reconnects,
      long reconnectFailures,
      LatencySummary reconnectCatchUp,
      long differenceRequests,
      long differenceErrors,
      LatencySummary differencePage,
      long gapRepairs,
      long staleUpdates,
      long sessionRevoked,
      long goAway,
      long syncGroupsRequests,
      long syncGroupsErrors,
      LatencySummary syncGroupsPage,
      long groupGapRepairs) {

    public static Connections of(RunCounters c) {
      return new Connections(
          LatencySummary.of(c.connect),
          c.connectFailures.sum(),
          c.unexpectedCloses(),
          c.reconnects.sum(),
          c.reconnectFailures.sum(),
          LatencySummary.of(c.catchUp),
          c.differenceRequests.sum(),
          c.differenceErrors.sum(),
          LatencySummary.of(c.differencePage),
          c.gapRepairs.sum(),
          c.staleUpdates.sum(),
          c.sessionRevoked.sum(),
          c.goAway.sum(),
          c.syncGroupsRequests.sum(),
          c.syncGroupsErrors.sum(),
          LatencySummary.of(c.syncGroupsPage),
          c.groupGapRepairs.sum());
    }
  }
}
