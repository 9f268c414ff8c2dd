package dev.parley.bench.load;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Run-wide events that belong to no phase: connections, reconnects, gaps, anomalies. Thread-safe.
 */
public final class RunCounters {
  private final Map<String, LongAdder> closes = new ConcurrentHashMap<>();
  public final LongAdder connectFailures = new LongAdder();
  public final LongAdder reconnects = new LongAdder();
  public final LongAdder reconnectFailures = new LongAdder();

  /**
   * Gaps in the live pts sequence that did not close by themselves: repaired with get_difference.
   */
  public final LongAdder gapRepairs = new LongAdder();

  /** Gaps in a group's live seqs that did not close by themselves: repaired with sync_groups. */
  public final LongAdder groupGapRepairs = new LongAdder();

  public final LongAdder differenceRequests = new LongAdder();
  public final LongAdder differenceErrors = new LongAdder();
  public final LongAdder syncGroupsRequests = new LongAdder();
  public final LongAdder syncGroupsErrors = new LongAdder();

  /**
   * Live updates the device had already applied: a pts at or below its applied pts, or a group
   * entry at or below its group's held seq (normal around a reconnect and after a gap repair).
   */
  public final LongAdder staleUpdates = new LongAdder();

  /**
   * Entries in one conversation whose seq was not the previous + 1 when applied (one-to-one: in pts
   * order; groups: in held-seq order, where only a sync answer can skip seqs).
   */
  public final LongAdder seqGaps = new LongAdder();

  /** A bench text whose sender field does not match the message's sender_id. */
  public final LongAdder corrupt = new LongAdder();

  /** A first delivery of a message the ledger does not know (failed or never sent). */
  public final LongAdder unexpected = new LongAdder();

  public final LongAdder duplicates = new LongAdder();
  public final LongAdder tooLong = new LongAdder();
  public final LongAdder sessionRevoked = new LongAdder();
  public final LongAdder goAway = new LongAdder();

  /** Connect (TCP + WebSocket handshake + authenticate) times, microseconds. */
  public final Histogram connect = new ConcurrentHistogram(3_600_000_000L, 3);

  /**
   * Reconnect catch-up (connect, authenticate, get_difference and sync_groups loops) times,
   * microseconds.
   */
  public final Histogram catchUp = new ConcurrentHistogram(3_600_000_000L, 3);

  /** get_difference round trips, microseconds. */
  public final Histogram differencePage = new ConcurrentHistogram(3_600_000_000L, 3);

  /** sync_groups round trips, microseconds. */
  public final Histogram syncGroupsPage = new ConcurrentHistogram(3_600_000_000L, 3);

  private final List<String> lostSample = new ArrayList<>();

  /** A connection closed without the bench asking for it. */
  public void unexpectedClose(int code, String reason) {
    closes
        .computeIfAbsent(
            code + (reason == null || reason.isEmpty() ? "" : " " + reason), k -> new LongAdder())
        .increment();
  }

  public Map<String, Long> unexpectedCloses() {
    Map<String, Long> m = new TreeMap<>();
    closes.forEach((k, v) -> m.put(k, v.sum()));
    return m;
  }

  public long unexpectedCloseCount() {
    return closes.values().stream().mapToLong(LongAdder::sum).sum();
  }

  synchronized void lostSample(Collection<SentMessage> open) {
    for (SentMessage m : open) {
      if (lostSample.size() >= 20) break;
      if (m.state == SentMessage.ACKED) {
        lostSample.add(
            "sender "
                + m.sender
                + " counter "
                + m.counter
                + " seq "
                + m.seq
                + " missing at "
                + m.remaining.get()
                + " of "
                + m.recipients.length
                + " recipients");
      }
    }
  }

  /** Up to 20 lost messages, described, for the report. */
  public synchronized List<String> lostSample() {
    return List.copyOf(lostSample);
  }
}
