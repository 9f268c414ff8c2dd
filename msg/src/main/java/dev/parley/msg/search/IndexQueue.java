package dev.parley.msg.search;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
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
 */
final class IndexQueue {
  private final int capacity;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition ready = lock.newCondition();
  private final LinkedHashSet<Long> waiting = new LinkedHashSet<>();
  private final Set<Long> inFlight = new HashSet<>();

  IndexQueue(int capacity) {
    this.capacity = capacity;
  }

  /** Queues the conversation at the tail unless it is already waiting; false when full. */
  boolean add(long conversationId) {
    lock.lock();
    try {
      if (waiting.contains(conversationId)) return true;
      if (waiting.size() >= capacity) return false;
      waiting.add(conversationId);
      ready.signal();
      return true;
    } finally {
      lock.unlock();
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
      lock.unlock();
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
      taken.forEach(inFlight::remove);
      for (int i = notReached.size() - 1; i >= 0; i--) waiting.addFirst(notReached.get(i));
      waiting.addAll(unfinished);
      if (!waiting.isEmpty()) ready.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Conversations waiting (not in flight). */
  int size() {
    lock.lock();
    try {
      return waiting.size();
    } finally {
      lock.unlock();
    }
  }
}
