package dev.parley.bench.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Every message of a run that is not complete yet, keyed by (sender, counter).
 *
 * <p>Invariants: a message enters when its sender sends it for the first time and leaves when it is
 * complete (answered and received once by every recipient) or failed (a final error: the server did
 * not store it). Receivers detect duplicates themselves (a bit per (sender, counter) per device),
 * so the ledger never needs a completed message again and memory holds only the messages in flight.
 * What is still here at the end of a run is lost (answered, but some recipient never got it, not
 * even by get_difference or sync_groups) or unanswered (no answer at all).
 */
public final class Ledger {
  private final String runId;
  private final Map<Long, SentMessage> open = new ConcurrentHashMap<>();
  private final List<PhaseStats> phases = new ArrayList<>();
  private final RunCounters counters;

  public Ledger(String runId, RunCounters counters) {
    this.runId = runId;
    this.counters = counters;
  }

  public String runId() {
    return runId;
  }

  /** Starts a phase: messages intended from now on belong to it. */
  public synchronized PhaseStats startPhase(String name, double targetRate) {
    PhaseStats p = new PhaseStats(name, targetRate);
    p.start(System.nanoTime());
    phases.add(p);
    return p;
  }

  public synchronized List<PhaseStats> phases() {
    return List.copyOf(phases);
  }

  SentMessage open(
      int sender,
      int counter,
      long intendedNanos,
      int[] recipients,
      PhaseStats phase,
      long conversationId,
      int peer) {
    SentMessage m =
        new SentMessage(sender, counter, intendedNanos, recipients, phase, conversationId, peer);
    open.put(SentMessage.key(sender, counter), m);
    return m;
  }

  void acked(SentMessage m, long nanos, long seq, boolean duplicate) {
    if (m.state != SentMessage.PENDING) return;
    m.seq = seq;
    m.state = SentMessage.ACKED;
    m.phase.acked.increment();
    if (duplicate) m.phase.duplicateAcks.increment();
    PhaseStats.record(m.phase.ack, nanos - m.intendedNanos);
    countDown(m);
  }

  void failed(SentMessage m) {
    if (m.state != SentMessage.PENDING) return;
    m.state = SentMessage.FAILED;
    m.phase.failed.increment();
    open.remove(SentMessage.key(m.sender, m.counter));
  }

  /**
   * A device received (sender, counter) for the first time. Returns false when the ledger has no
   * such message: it failed, or was never sent (both mean the server delivered something it should
   * not have).
   */
  boolean delivered(Payload.Tag tag, long arrivalNanos, boolean viaSync) {
    SentMessage m = open.get(SentMessage.key(tag.sender(), tag.counter()));
    if (m == null) return false;
    if (viaSync) {
      m.phase.deliveredViaSync.increment();
      PhaseStats.record(m.phase.endToEndViaSync, arrivalNanos - m.intendedNanos);
    } else {
      m.phase.delivered.increment();
      PhaseStats.record(m.phase.endToEnd, arrivalNanos - m.intendedNanos);
    }
    m.lastArrivalNanos.accumulateAndGet(arrivalNanos, Math::max);
    countDown(m);
    return true;
  }

  private void countDown(SentMessage m) {
    if (m.remaining.decrementAndGet() != 0) return;
    if (m.recipients.length > 1)
      PhaseStats.record(m.phase.lastRecipient, m.lastArrivalNanos.get() - m.intendedNanos);
    open.remove(SentMessage.key(m.sender, m.counter));
  }

  /**
   * The phase whose time window holds {@code intendedNanos} (for events about completed messages).
   */
  public synchronized @Nullable PhaseStats phaseAt(long intendedNanos) {
    PhaseStats found = phases.isEmpty() ? null : phases.get(0);
    for (PhaseStats p : phases) {
      if (p.startNanos() - intendedNanos <= 0) found = p;
    }
    return found;
  }

  /** Messages not complete yet. */
  public int openCount() {
    return open.size();
  }

  /** Open messages whose phase is {@code phase}. */
  public int openCount(PhaseStats phase) {
    int n = 0;
    for (SentMessage m : open.values()) if (m.phase == phase) n++;
    return n;
  }

  /** Open messages that are still waiting for their answer. */
  public int unansweredCount() {
    int n = 0;
    for (SentMessage m : open.values()) if (m.state == SentMessage.PENDING) n++;
    return n;
  }

  /**
   * Ends the run's accounting: every message still open is lost (answered; the missing recipients
   * are counted) or unanswered. Call after the last sync of every device.
   */
  public void finish() {
    for (SentMessage m : open.values()) {
      if (m.state == SentMessage.ACKED) {
        m.phase.lost.add(Math.max(0, m.remaining.get()));
      } else if (m.state == SentMessage.PENDING) {
        m.phase.unanswered.increment();
      }
    }
    counters.lostSample(open.values());
  }
}
