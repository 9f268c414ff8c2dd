package dev.parley.bench.load;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * The numbers of one phase of a run (a rate step, a minute of a soak). A message belongs to the
 * phase in which its <em>intended</em> send time falls, wherever its answer and deliveries land, so
 * a slow phase cannot push its latencies into the next one.
 *
 * <p>Thread-safe: counters are {@link LongAdder}s and histograms {@link ConcurrentHistogram}s,
 * written by every event loop. Latencies are recorded in microseconds up to one hour (longer values
 * are clamped).
 */
public final class PhaseStats {
  private static final long MAX_MICROS = TimeUnit.HOURS.toMicros(1);

  public final String name;
  public final double targetRate;
  private volatile long startNanos;
  private volatile long endNanos;
  private volatile long startEpochMs;

  /**
   * Messages the schedule handed to a sender, and messages written to the socket (first attempts).
   */
  public final LongAdder scheduled = new LongAdder();

  public final LongAdder sent = new LongAdder();
  public final LongAdder acked = new LongAdder();

  /** Answers with {@code duplicate: true}: a retry found the first attempt stored. */
  public final LongAdder duplicateAcks = new LongAdder();

  public final LongAdder retries = new LongAdder();

  /** Messages given up (an error answer that is final, or too many attempts). */
  public final LongAdder failed = new LongAdder();

  public final LongAdder delivered = new LongAdder();
  public final LongAdder deliveredViaSync = new LongAdder();
  public final LongAdder duplicates = new LongAdder();

  /**
   * Two messages of one sender in one conversation whose seqs are in the opposite order of their
   * counters.
   */
  public final LongAdder reordered = new LongAdder();

  /** A message got a seq below one the sender had already been answered before sending it. */
  public final LongAdder causalViolations = new LongAdder();

  public final LongAdder lost = new LongAdder();
  public final LongAdder unanswered = new LongAdder();

  /** Messages still waiting for an answer or a delivery when the phase's drain ended. */
  public final LongAdder incompleteAfterDrain = new LongAdder();

  private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();

  /** send → SendMessageResponse, from the intended send time. */
  public final Histogram ack = histogram();

  /** intended send time → the recipient's live Event.update (with or without a pts). */
  public final Histogram endToEnd = histogram();

  /**
   * intended send time → the recipient got it by get_difference or sync_groups (it missed the live
   * event).
   */
  public final Histogram endToEndViaSync = histogram();

  /** intended send time → the last recipient got it (multi-recipient messages). */
  public final Histogram lastRecipient = histogram();

  /** intended send time → written to the socket: how far the bench itself lags its schedule. */
  public final Histogram sendLag = histogram();

  /** Other request latencies (pings, catch-up times), from the request's own send time. */
  public final Histogram other = histogram();

  public PhaseStats(String name, double targetRate) {
    this.name = name;
    this.targetRate = targetRate;
  }

  private static Histogram histogram() {
    return new ConcurrentHistogram(MAX_MICROS, 3);
  }

  public static void record(Histogram h, long nanos) {
    h.recordValue(Math.min(MAX_MICROS, Math.max(0, nanos / 1000)));
  }

  public void start(long nanos) {
    startNanos = nanos;
    startEpochMs = System.currentTimeMillis();
  }

  public void end(long nanos) {
    endNanos = nanos;
  }

  public long startNanos() {
    return startNanos;
  }

  public long startEpochMs() {
    return startEpochMs;
  }

  /** Seconds between {@link #start} and {@link #end} (or now, while running). */
  public double seconds() {
    long end = endNanos != 0 ? endNanos : System.nanoTime();
    return Math.max(0, end - startNanos) / 1e9;
  }

  public void error(String reason) {
    errors.computeIfAbsent(reason, r -> new LongAdder()).increment();
  }

  public long errorCount() {
    return errors.values().stream().mapToLong(LongAdder::sum).sum();
  }

  public Map<String, Long> errors() {
    Map<String, Long> m = new TreeMap<>();
    errors.forEach((k, v) -> m.put(k, v.sum()));
    return m;
  }
}
