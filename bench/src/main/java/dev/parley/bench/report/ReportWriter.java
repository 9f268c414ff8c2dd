package dev.parley.bench.report;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Writes a run's report: JSON to a file, a human-readable summary to a stream. */
public final class ReportWriter {
  private static final Gson GSON =
      new GsonBuilder()
          .setPrettyPrinting()
          .disableHtmlEscaping()
          .serializeSpecialFloatingPointValues()
          .create();

  private ReportWriter() {}

  public static String json(RunReport r) {
    return GSON.toJson(r);
  }

  public static void writeJson(RunReport r, Path file) {
    try {
      Path abs = file.toAbsolutePath();
      if (abs.getParent() != null) Files.createDirectories(abs.getParent());
      Files.writeString(abs, json(r) + "\n", StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static void printSummary(RunReport r, PrintStream out) {
    out.println();
    out.printf("%s — %s%n", r.scenario(), r.description());
    out.printf(
        "%s, %.1f s, %d cores, %s%n",
        r.startedAt(), r.seconds(), r.machine().cores(), r.machine().javaVm());
    boolean messages = r.phases().stream().anyMatch(p -> p.scheduled() > 0);
    if (messages) {
      out.println();
      out.printf(
          "%-10s %8s %8s %8s %8s %9s %6s %5s %4s %5s  %-26s %-26s %-26s %6s %8s %7s%n",
          "phase",
          "rate/s",
          "sent",
          "acked",
          "errors",
          "delivered",
          "bysync",
          "lost",
          "dup",
          "reord",
          "ack ms",
          "send→recv ms",
          "last recipient ms",
          "srvCPU",
          "heap MB",
          "gc ms");
      for (PhaseReport p : r.phases()) {
        ServerMetrics.Delta s = p.server();
        out.printf(
            "%-10s %8.0f %8d %8d %8d %9d %6d %5d %4d %5d  %-26s %-26s %-26s %6s %8s %7s%n",
            p.name(),
            p.achievedRate(),
            p.sent(),
            p.acked(),
            p.errors().values().stream().mapToLong(Long::longValue).sum(),
            p.delivered(),
            p.deliveredViaSync(),
            p.lost(),
            p.duplicates(),
            p.reordered(),
            p.ack().brief(),
            p.endToEnd().brief(),
            p.lastRecipient().brief(),
            s == null ? "-" : str(s.cpuCores()),
            s == null ? "-" : str(s.heapUsedPeakMb()),
            s == null ? "-" : str(s.gcPauseTotalMs()));
        if (!p.errors().isEmpty()) out.printf("%-10s errors: %s%n", "", p.errors());
        if (p.note() != null && !p.note().isEmpty()) out.printf("%-10s %s%n", "", p.note());
      }
      out.println(
          "(latencies p50/p99/p99.9/max, from the intended send time; rate/s: achieved send rate; "
              + "bysync: delivered by get_difference or sync_groups; reord: pipelined reorders; srvCPU: server cores used)");
    }
    if (!r.results().isEmpty()) {
      out.println();
      for (Map.Entry<String, Object> e : r.results().entrySet()) {
        if (e.getValue() instanceof List<?> list && !list.isEmpty() && list.get(0) instanceof Map) {
          out.println(e.getKey() + ":");
          for (Object item : list) out.println("  " + describe(item));
        } else {
          out.printf("%-28s %s%n", e.getKey(), describe(e.getValue()));
        }
      }
    }
    RunReport.Connections c = r.connections();
    if (c != null) {
      out.println();
      out.printf(
          "connections: connect %s ms, %d connect attempts failed, closes by the server %s, %d reconnects (%d gave up), "
              + "%d get_difference (%d errors), %d gap repairs, %d sync_groups (%d errors), %d group gap repairs%n",
          c.connect().brief(),
          c.connectFailures(),
          c.unexpectedCloses(),
          c.reconnects(),
          c.reconnectFailures(),
          c.differenceRequests(),
          c.differenceErrors(),
          c.gapRepairs(),
          c.syncGroupsRequests(),
          c.syncGroupsErrors(),
          c.groupGapRepairs());
      if (c.reconnectCatchUp().count() > 0) {
        out.printf(
            "reconnect catch-up (connect + authenticate + get_difference + sync_groups): %s ms%n",
            c.reconnectCatchUp().brief());
      }
    }
    for (String n : r.notes()) out.println("note: " + n);
    out.println();
    out.println("verdict: " + r.verdict());
    for (String f : r.failures()) out.println("  FAILED: " + f);
  }

  /** A result value for people: latencies as p50/p99/p99.9/max, maps as k=v. */
  private static String describe(Object v) {
    if (v instanceof LatencySummary l) return l.count() == 0 ? "-" : l.brief() + " ms";
    if (v instanceof Map<?, ?> m) {
      StringBuilder b = new StringBuilder();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (b.length() > 0) b.append(", ");
        b.append(e.getKey()).append('=').append(describe(e.getValue()));
      }
      return b.toString();
    }
    return String.valueOf(v);
  }

  private static String str(@Nullable Double d) {
    if (d == null) return "-";
    return d >= 100 ? String.format("%.0f", d) : String.format("%.2f", d);
  }
}
