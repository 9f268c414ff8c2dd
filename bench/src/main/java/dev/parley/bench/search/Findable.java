package dev.parley.bench.search;

import dev.parley.bench.load.Device;
import dev.parley.proto.client.Request;
import dev.parley.proto.client.SearchMessagesRequest;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * How soon a message can be found after its ack (issue 13 item 5: within 1 s under normal load). A
 * probe is a message with a word of its own; once the send is acked, the sender searches for that
 * word until a hit comes back: every {@code pollMs} at first, then every tenth of the time since
 * the ack (every 100 ms a second after it). Recorded: ack → the answer that held the hit (so one
 * search round trip is included, and the resolution is the poll interval: a probe counted as found
 * after 1.05 s may have been findable from 0.96 s).
 *
 * <p>Why the interval grows: a fixed 10 ms poll made the probes' own searches the heaviest load of
 * the measurement once probes stayed unfound for a while (a hundred searches a second per unfound
 * probe, 16,461 in one 58 s phase, each over the heavy user's 100,000 messages), so the probe
 * measured how it loaded the machine as much as how fresh the index was. Growing with the age, a
 * probe searches about 60 times in 10 s at most instead of 1,000.
 */
public final class Findable {
  private final Device device;
  private final long pollNanos;
  private final long giveUpNanos;

  /** The poll interval grows to this fraction of the time since the ack. */
  private static final int AGE_FRACTION = 10;

  /** Ack → first answer with a hit. */
  public final Histogram afterAck = new ConcurrentHistogram(3_600_000_000L, 3);

  public final LongAdder probes = new LongAdder();
  public final LongAdder notFound = new LongAdder();
  public final LongAdder polls = new LongAdder();
  public final LongAdder failed = new LongAdder();

  /**
   * @param device the user who searches (the probes' sender)
   */
  public Findable(Device device, long pollMs, long giveUpMs) {
    this.device = device;
    this.pollNanos = TimeUnit.MILLISECONDS.toNanos(pollMs);
    this.giveUpNanos = TimeUnit.MILLISECONDS.toNanos(giveUpMs);
  }

  /** A word no other message has: letters and digits only, so it is one token. */
  public static String word(String runId, long probe) {
    return "probe" + runId + "n" + probe;
  }

  /**
   * Watches for {@code word} from the moment its message was acked; completes when it was found or
   * given up.
   */
  public CompletableFuture<Void> watch(String word, long ackNanos) {
    probes.increment();
    CompletableFuture<Void> done = new CompletableFuture<>();
    // A trailing space: the whole word, not a prefix (every probe of the run shares a prefix).
    SearchMessagesRequest.Builder q =
        SearchMessagesRequest.newBuilder().setQuery(word + " ").setLimit(1);
    poll(q, ackNanos, done);
    return done;
  }

  private void poll(SearchMessagesRequest.Builder q, long ackNanos, CompletableFuture<Void> done) {
    polls.increment();
    device
        .call(Request.newBuilder().setSearchMessages(q))
        .whenComplete(
            (r, e) -> {
              long now = System.nanoTime();
              if (e == null && r.getSearchMessages().getHitsCount() > 0) {
                afterAck.recordValue(Math.max(1, (now - ackNanos) / 1_000));
                done.complete(null);
              } else if (now - ackNanos > giveUpNanos) {
                if (e != null) failed.increment();
                notFound.increment();
                done.complete(null);
              } else {
                long next = Math.max(pollNanos, (now - ackNanos) / AGE_FRACTION);
                device.loop().schedule(() -> poll(q, ackNanos, done), next, TimeUnit.NANOSECONDS);
              }
            });
  }
}
