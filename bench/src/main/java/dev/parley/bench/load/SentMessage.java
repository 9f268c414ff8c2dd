package dev.parley.bench.load;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One message the bench sent, until it is complete: answered and received by every recipient.
 *
 * <p>{@code remaining} starts at recipients + 1 (the answer counts as one) and counts down once per
 * event; whoever brings it to zero completes the message, so completion happens exactly once
 * whether the answer or the last delivery comes last.
 */
public final class SentMessage {
  public static final int PENDING = 0;
  public static final int ACKED = 1;
  public static final int FAILED = 2;

  final int sender;
  final int counter;
  final long intendedNanos;

  /** Bench indexes of the devices that must receive it (never the sender). */
  final int[] recipients;

  final PhaseStats phase;

  /** The group conversation, or 0 for a direct message to {@code peer}. */
  final long conversationId;

  final int peer;
  final AtomicInteger remaining;
  final AtomicLong lastArrivalNanos = new AtomicLong(Long.MIN_VALUE);
  volatile int state = PENDING;
  volatile long seq;
  // Confined to the sender's event loop:
  int attempts;

  /**
   * The highest seq of this sender's answered messages in the conversation when this one was sent.
   */
  long seqFloor;

  SentMessage(
      int sender,
      int counter,
      long intendedNanos,
      int[] recipients,
      PhaseStats phase,
      long conversationId,
      int peer) {
    this.sender = sender;
    this.counter = counter;
    this.intendedNanos = intendedNanos;
    this.recipients = recipients;
    this.phase = phase;
    this.conversationId = conversationId;
    this.peer = peer;
    this.remaining = new AtomicInteger(recipients.length + 1);
  }

  static long key(int sender, int counter) {
    return ((long) sender << 32) | (counter & 0xffffffffL);
  }
}
