package dev.parley.msg.audit;

import dev.parley.msg.store.Times;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How far behind the devices are (EXT-8), as gauges refreshed by one aggregate query every few
 * minutes: devices by backlog (head pts − acknowledged pts) in decades, devices past retention
 * (their next get_difference answers too_long), and devices idle for longer than the feed's
 * retention.
 *
 * <p>A device is a session that acknowledged a position at least once. Only devices that
 * acknowledged within the feed's retention count in the backlog buckets: a revoked or abandoned
 * session's cursor stays in the table and would otherwise pile up in the largest bucket; those are
 * the idle gauge. In a cluster every msg instance reports the same numbers (take the max).
 */
public final class SyncBacklogMetrics implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SyncBacklogMetrics.class);

  /** Upper bounds of the backlog buckets; the last bucket is everything above. */
  static final List<Bucket> BUCKETS =
      List.of(
          new Bucket("0", 0, 0),
          new Bucket("1-10", 1, 10),
          new Bucket("11-100", 11, 100),
          new Bucket("101-1000", 101, 1_000),
          new Bucket("1001-10000", 1_001, 10_000),
          new Bucket("10001+", 10_001, Long.MAX_VALUE));

  record Bucket(String name, long from, long to) {}

  private final Jdbi jdbi;
  private final Clock clock;
  private final Duration feedRetention;
  private final AtomicLong[] byBucket = new AtomicLong[BUCKETS.size()];
  private final AtomicLong pastRetention = new AtomicLong();
  private final AtomicLong idle = new AtomicLong();
  private final AtomicLong maxBacklog = new AtomicLong();
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> Thread.ofPlatform().daemon().name("msg-sync-metrics").unstarted(r));

  public SyncBacklogMetrics(Jdbi jdbi, Clock clock, Duration feedRetention, MeterRegistry meters) {
    this.jdbi = jdbi;
    this.clock = clock;
    this.feedRetention = feedRetention;
    for (int i = 0; i < BUCKETS.size(); i++) {
      byBucket[i] = new AtomicLong();
      Gauge.builder("parley.sync.devices", byBucket[i], AtomicLong::get)
          .description("Devices that acknowledged within the feed retention, by backlog in pts")
          .tag("backlog", BUCKETS.get(i).name())
          .register(meters);
    }
    Gauge.builder("parley.sync.devices.past.retention", pastRetention, AtomicLong::get)
        .description("Devices whose acknowledged pts the feed no longer keeps (they will rebuild)")
        .register(meters);
    Gauge.builder("parley.sync.devices.idle", idle, AtomicLong::get)
        .description("Devices that have not acknowledged anything for longer than feed retention")
        .register(meters);
    Gauge.builder("parley.sync.device.backlog.max", maxBacklog, AtomicLong::get)
        .description("The largest backlog of a device that acknowledged within the feed retention")
        .register(meters);
  }

  public void start(Duration every) {
    timer.scheduleWithFixedDelay(
        this::refreshSafely,
        Math.min(10_000, every.toMillis()),
        every.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  private void refreshSafely() {
    try {
      refresh();
    } catch (RuntimeException e) {
      log.warn("Refreshing the sync backlog metrics failed; will retry", e);
    }
  }

  /** One aggregate query now (the timer calls this; tests call it directly). */
  public void refresh() {
    Instant activeSince =
        feedRetention.isZero() ? Instant.EPOCH : clock.instant().minus(feedRetention);
    StringBuilder sql = new StringBuilder("SELECT ");
    for (Bucket b : BUCKETS)
      sql.append("count(*) FILTER (WHERE active AND backlog BETWEEN ")
          .append(b.from)
          .append(" AND ")
          .append(b.to)
          .append("), ");
    sql.append(
        "count(*) FILTER (WHERE active AND past), count(*) FILTER (WHERE NOT active), "
            + "coalesce(max(backlog) FILTER (WHERE active), 0) FROM ("
            + "  SELECT greatest(hd.pts - c.acked_pts, 0) AS backlog, c.acked_pts < hd.min_pts - 1 AS past, "
            + "         c.updated_at >= :since AS active "
            + "  FROM msg.device_cursors c JOIN msg.feed_heads hd USING (user_id)) x");
    jdbi.useHandle(
        h ->
            h.createQuery(sql.toString())
                .bind("since", Times.db(activeSince))
                .map(
                    (rs, ctx) -> {
                      for (int i = 0; i < BUCKETS.size(); i++) byBucket[i].set(rs.getLong(i + 1));
                      pastRetention.set(rs.getLong(BUCKETS.size() + 1));
                      idle.set(rs.getLong(BUCKETS.size() + 2));
                      maxBacklog.set(rs.getLong(BUCKETS.size() + 3));
                      return 0;
                    })
                .one());
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
