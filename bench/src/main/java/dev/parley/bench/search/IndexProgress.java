package dev.parley.bench.search;

import dev.parley.bench.report.PrometheusText;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The search indexer seen from outside: its counter {@code parley_search_indexed_entries_total} on
 * the server's /metrics, and {@code POST /search/reindex} on the same admin port (loopback only).
 */
public final class IndexProgress {
  static final String COUNTER = "parley_search_indexed_entries_total";

  private final URI metrics;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  public IndexProgress(URI metrics) {
    this.metrics = metrics;
  }

  /** Entries the indexer has applied since the server started. */
  public long indexed() throws IOException, InterruptedException {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(10)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) throw new IOException("GET " + metrics + ": HTTP " + r.statusCode());
    Double v = PrometheusText.parse(r.body()).sum(COUNTER);
    if (v == null) throw new IOException(metrics + " has no " + COUNTER);
    return v.longValue();
  }

  /** Starts a full rebuild of the index; returns the server's answer. */
  public String reindex() throws IOException, InterruptedException {
    URI uri = metrics.resolve("/search/reindex");
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200)
      throw new IOException("POST " + uri + ": HTTP " + r.statusCode() + " " + r.body());
    return r.body().trim();
  }

  /**
   * What the indexer did between now and the moment it went quiet: waits until the counter has
   * grown by at least {@code atLeast} and then not moved for {@code quiet}.
   *
   * @param from the counter when the work began
   * @param fromNanos when the work began
   */
  public Catch awaitQuiet(long from, long fromNanos, long atLeast, Duration quiet, Duration timeout)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    long last = indexed();
    long lastChange = last > from ? System.nanoTime() : fromNanos;
    while (System.nanoTime() - deadline < 0) {
      TimeUnit.MILLISECONDS.sleep(250);
      long now = indexed();
      long t = System.nanoTime();
      if (now != last) {
        last = now;
        lastChange = t;
      } else if (last - from >= atLeast && t - lastChange >= quiet.toNanos()) {
        return new Catch(last - from, (lastChange - fromNanos) / 1e9, true);
      }
    }
    return new Catch(last - from, (lastChange - fromNanos) / 1e9, false);
  }

  /**
   * @param entries entries applied
   * @param seconds from the start until the last one was applied
   * @param quiet false when the timeout came first
   */
  public record Catch(long entries, double seconds, boolean quiet) {
    public double perSecond() {
      return seconds <= 0 ? 0 : Math.round(entries / seconds);
    }
  }
}
