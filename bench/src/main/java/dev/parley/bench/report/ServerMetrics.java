package dev.parley.bench.report;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Server-side numbers for each phase, read from what the server exposes: its Prometheus {@code
 * /metrics} (Micrometer names: {@code process_cpu_usage}, {@code process_cpu_time_ns_total}, {@code
 * jvm_memory_used_bytes{area="heap"}}, {@code jvm_gc_pause_seconds_*}, {@code
 * process_resident_memory_bytes} when present) and, when the server runs on this machine and its
 * pid is given, {@code /proc/<pid>} (RSS and CPU time, which Micrometer does not export). Whatever
 * is missing is left null.
 *
 * <p>A {@link Window} spans one phase: a sample at its start and end, and a background sample every
 * two seconds for the peaks (heap, RSS) in between.
 */
public final class ServerMetrics implements AutoCloseable {
  private static final long CLOCK_TICKS_PER_SECOND = 100; // USER_HZ on Linux

  /** One reading. Null fields were not available. */
  public record Sample(
      long nanos,
      @Nullable String error,
      @Nullable Double cpuUsage,
      @Nullable Double cpuSeconds,
      @Nullable Double heapUsedBytes,
      @Nullable Double heapCommittedBytes,
      @Nullable Double rssBytes,
      @Nullable Double gcPauses,
      @Nullable Double gcPauseSeconds,
      @Nullable Double gcPauseMaxSeconds,
      @Nullable Double connections) {}

  /** The server during one phase. */
  public record Delta(
      boolean available,
      @Nullable String error,
      @Nullable Double cpuCores,
      @Nullable Double cpuUsageAvg,
      @Nullable Double heapUsedMb,
      @Nullable Double heapUsedPeakMb,
      @Nullable Double heapCommittedMb,
      @Nullable Double rssMb,
      @Nullable Double rssPeakMb,
      @Nullable Long gcPauses,
      @Nullable Double gcPauseTotalMs,
      @Nullable Double gcPauseMaxMs,
      @Nullable Double connections) {}

  private final @Nullable URI url; // null: no metrics endpoint
  private final @Nullable Long pid; // null: the server is not a local process
  private final HttpClient http;
  private final List<Window> open = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService sampler;

  /**
   * @param url the server's /metrics, or null not to scrape
   * @param pid the server's process id on this machine, or null
   */
  public ServerMetrics(@Nullable URI url, @Nullable Long pid) {
    this.url = url;
    this.pid = pid;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    this.sampler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "bench-metrics");
              t.setDaemon(true);
              return t;
            });
    sampler.scheduleWithFixedDelay(
        () -> {
          if (open.isEmpty()) return;
          Sample s = sample();
          for (Window w : open) w.peek(s);
        },
        2,
        2,
        TimeUnit.SECONDS);
  }

  public boolean enabled() {
    return url != null || pid != null;
  }

  public Sample sample() {
    long now = System.nanoTime();
    Double cpuUsage = null, cpuSeconds = null, heapUsed = null, heapCommitted = null, rss = null;
    Double gcCount = null, gcSum = null, gcMax = null, connections = null;
    String error = null;
    if (url != null) {
      try {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(5)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) throw new IOException("HTTP " + r.statusCode());
        PrometheusText p = PrometheusText.parse(r.body());
        cpuUsage = p.sum("process_cpu_usage");
        Double ns = p.sum("process_cpu_time_ns_total");
        cpuSeconds = ns != null ? Double.valueOf(ns / 1e9) : p.sum("process_cpu_seconds_total");
        heapUsed = p.sum("jvm_memory_used_bytes", l -> "heap".equals(l.get("area")));
        heapCommitted = p.sum("jvm_memory_committed_bytes", l -> "heap".equals(l.get("area")));
        rss = p.sum("process_resident_memory_bytes");
        gcCount = p.sum("jvm_gc_pause_seconds_count");
        gcSum = p.sum("jvm_gc_pause_seconds_sum");
        gcMax = p.max("jvm_gc_pause_seconds_max");
        // One series per state (open, authenticated): every connection is open, some also
        // authenticated.
        connections =
            p.sum(
                "parley_gateway_connections",
                l -> !l.containsKey("state") || "open".equals(l.get("state")));
      } catch (IOException e) {
        error = "GET " + url + ": " + e.getMessage();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        error = "interrupted";
      }
    }
    if (pid != null) {
      try {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
          if (line.startsWith("VmRSS:"))
            rss = Double.parseDouble(line.replaceAll("[^0-9]", "")) * 1024;
        }
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // Fields 14 and 15 of stat (utime, stime) are 12 and 13 after the command name.
        cpuSeconds =
            (Long.parseLong(f[11]) + Long.parseLong(f[12])) / (double) CLOCK_TICKS_PER_SECOND;
      } catch (IOException | RuntimeException e) {
        error = (error == null ? "" : error + "; ") + "/proc/" + pid + ": " + e.getMessage();
      }
    }
    return new Sample(
        now,
        error,
        cpuUsage,
        cpuSeconds,
        heapUsed,
        heapCommitted,
        rss,
        gcCount,
        gcSum,
        gcMax,
        connections);
  }

  /**
   * Starts a window (one phase). Samples are taken on the sampler thread, never on the caller's
   * (the pacer must not stall on a slow /metrics).
   */
  public Window window() {
    Window w = new Window(enabled() ? CompletableFuture.supplyAsync(this::sample, sampler) : null);
    if (enabled()) open.add(w);
    return w;
  }

  /** Samples of one phase. */
  public final class Window {
    private final @Nullable CompletableFuture<Sample> first;
    private @Nullable Double heapPeak;
    private @Nullable Double rssPeak;
    private @Nullable Double gcMaxPeak;
    private double cpuUsageSum;
    private int cpuUsageSamples;

    private Window(@Nullable CompletableFuture<Sample> first) {
      this.first = first;
      if (first != null) first.thenAccept(this::peek);
    }

    private synchronized void peek(Sample s) {
      heapPeak = max(heapPeak, s.heapUsedBytes());
      rssPeak = max(rssPeak, s.rssBytes());
      gcMaxPeak = max(gcMaxPeak, s.gcPauseMaxSeconds());
      if (s.cpuUsage() != null) {
        cpuUsageSum += s.cpuUsage();
        cpuUsageSamples++;
      }
    }

    /** Ends the window with a last sample (taken right away on the sampler thread). */
    public CompletableFuture<Delta> close() {
      open.remove(this);
      if (first == null) {
        return CompletableFuture.completedFuture(
            new Delta(
                false,
                "no metrics source",
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null));
      }
      return first.thenApplyAsync(f -> delta(f, sample()), sampler);
    }

    private synchronized Delta delta(Sample first, Sample last) {
      peek(last);
      double seconds = (last.nanos() - first.nanos()) / 1e9;
      // Counters that went backwards mean the server restarted during the window: no delta then.
      Double cores =
          first.cpuSeconds() != null
                  && last.cpuSeconds() != null
                  && seconds > 0
                  && last.cpuSeconds() >= first.cpuSeconds()
              ? round((last.cpuSeconds() - first.cpuSeconds()) / seconds, 100)
              : null;
      Long pauses =
          first.gcPauses() != null && last.gcPauses() != null && last.gcPauses() >= first.gcPauses()
              ? Math.round(last.gcPauses() - first.gcPauses())
              : null;
      Double pauseMs =
          first.gcPauseSeconds() != null
                  && last.gcPauseSeconds() != null
                  && last.gcPauseSeconds() >= first.gcPauseSeconds()
              ? round((last.gcPauseSeconds() - first.gcPauseSeconds()) * 1000, 10)
              : null;
      boolean available = last.error() == null || cores != null || last.heapUsedBytes() != null;
      String error = last.error();
      if (first.cpuSeconds() != null
          && last.cpuSeconds() != null
          && last.cpuSeconds() < first.cpuSeconds()) {
        error = (error == null ? "" : error + "; ") + "the server restarted during the phase";
      }
      return new Delta(
          available,
          error,
          cores,
          cpuUsageSamples == 0 ? null : round(cpuUsageSum / cpuUsageSamples, 1000),
          mb(last.heapUsedBytes()),
          mb(heapPeak),
          mb(last.heapCommittedBytes()),
          mb(last.rssBytes()),
          mb(rssPeak),
          pauses,
          pauseMs,
          gcMaxPeak == null ? null : round(gcMaxPeak * 1000, 10),
          last.connections());
    }
  }

  private static @Nullable Double max(@Nullable Double a, @Nullable Double b) {
    if (a == null) return b;
    if (b == null) return a;
    return Math.max(a, b);
  }

  private static @Nullable Double mb(@Nullable Double bytes) {
    return bytes == null ? null : round(bytes / (1024 * 1024), 10);
  }

  private static double round(double v, int scale) {
    return Math.round(v * scale) / (double) scale;
  }

  @Override
  public void close() {
    sampler.shutdownNow();
    http.close();
  }
}
