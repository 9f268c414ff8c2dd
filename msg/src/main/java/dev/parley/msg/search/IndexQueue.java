package dev.parley.msg.search;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The conversations the search indexer has yet to look at, first in first out, each at most once
 * (design.md 14.4). Wake-ups, the scan and the indexer's own leftovers all go through it.
 *
 * <p>Invariants: a conversation is either waiting here, or taken by one indexer thread (in flight),
 * or neither; {@link #take} never hands out a conversation that is in flight, so two threads of one
 * process never meet on a conversation's lock (where the loser would drop it, and a wake-up with
 * it, until the next scan). A wake-up for a conversation in flight waits here until the thread
 * holding it {@link #finish}es. Bounded: past {@code capacity} waiting conversations, {@link #add}
 * refuses, and the periodic scan finds what was refused.
 *
 * <p>The publisher's wake-ups ({@link #offer}) never wait for the lock: an indexer thread holding
 * it can be taken off the CPU (at saturation the cores are full), and a publisher waiting for it
 * would hold up every delivery behind it (design.md 14.4). An offer that finds the lock taken
 * leaves its conversation in {@code arrivals} for the holder, which admits them before it lets go
 * ({@link #unlock}); it looks again after letting go, so that an offer made between its last look
 * and the release is not left behind. One window is left: a taker that looked and is about to wait
 * lets go of the lock inside {@link Condition#awaitNanos}, not through {@link #unlock}, so an offer
 * made just then is seen when that wait ends (the indexer waits at most 200 ms), or at once if
 * another offer or thread takes the lock meanwhile.
 */
final class IndexQueue {
  private final int capacity;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition ready = lock.newCondition();
  private final LinkedHashSet<Long> waiting = new LinkedHashSet<>();
  private final Set<Long> inFlight = new HashSet<>();
  private final ConcurrentLinkedQueue<Long> arrivals = new ConcurrentLinkedQueue<>();
  private final AtomicInteger arriving = new AtomicInteger();

  IndexQueue(int capacity) {
    this.capacity = capacity;
  }

  /** Queues the conversation at the tail unless it is already waiting; false when full. */
  boolean add(long conversationId) {
    lock.lock();
    try {
      admitArrivals();
      return admit(conversationId);
    } finally {
      unlock();
    }
  }

  /**
   * As {@link #add}, without waiting for an indexer thread: when the lock is taken, its holder
   * queues the conversation. Past {@code capacity} conversations not yet queued, it is dropped (the
   * scan finds it).
   */
  void offer(long conversationId) {
    if (arriving.incrementAndGet() > capacity) {
      arriving.decrementAndGet();
      return;
    }
    arrivals.add(conversationId);
    if (!lock.tryLock()) return;
    try {
      admitArrivals();
    } finally {
      unlock();
    }
  }

  /** Queues {@code conversationId} and wakes a taker; false when full. Under the lock. */
  private boolean admit(long conversationId) {
    if (waiting.contains(conversationId)) return true;
    if (waiting.size() >= capacity) return false;
    waiting.add(conversationId);
    ready.signal();
    return true;
  }

  /** Queues what offers left while the lock was taken (a full queue drops them). Under the lock. */
  private void admitArrivals() {
    for (Long c; (c = arrivals.poll()) != null; ) {
      arriving.decrementAndGet();
      admit(c);
    }
  }

  /** Lets go of the lock, then admits any offer that came in as it did. */
  private void unlock() {
    lock.unlock();
    while (!arrivals.isEmpty() && lock.tryLock()) {
      try {
        admitArrivals();
      } finally {
        lock.unlock();
      }
    }
  }

  /**
   * Up to {@code max} waiting conversations that no other thread holds, oldest first, now in flight
   * for the caller; waits up to {@code wait} for one. Empty after the wait.
   */
  List<Long> take(int max, Duration wait) throws InterruptedException {
    long left = wait.toNanos();
    lock.lock();
    try {
      while (true) {
        admitArrivals();
        List<Long> taken = new ArrayList<>();
        for (Iterator<Long> it = waiting.iterator(); it.hasNext() && taken.size() < max; ) {
          Long c = it.next();
          if (inFlight.contains(c)) continue;
          it.remove();
          inFlight.add(c);
          taken.add(c);
        }
        if (!taken.isEmpty() || left <= 0) return taken;
        left = ready.awaitNanos(left);
      }
    } finally {
      unlock();
    }
  }

  /**
   * The caller is done with {@code taken} (what {@link #take} gave it). {@code notReached} (the
   * transaction's budget ran out before them) go back to the head in their order, ahead of later
   * arrivals; {@code unfinished} (they used their share and have more) go to the tail, behind
   * everyone else, so that one long conversation cannot hold up the others.
   */
  void finish(List<Long> taken, List<Long> notReached, List<Long> unfinished) {
    lock.lock();
    try {
      admitArrivals();
      taken.forEach(inFlight::remove);
      for (int i = notReached.size() - 1; i >= 0; i--) waiting.addFirst(notReached.get(i));
      waiting.addAll(unfinished);
      if (!waiting.isEmpty()) ready.signalAll();
    } finally {
      unlock();
    }
  }

  /** Conversations waiting (not in flight). */
  int size() {
    lock.lock();
    try {
      admitArrivals();
      return waiting.size();
    } finally {
      unlock();
    }
  }
}
