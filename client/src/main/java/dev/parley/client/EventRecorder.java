package dev.parley.client;

import dev.parley.proto.client.Event;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Records a connection's events so that a test can wait for them:
 *
 * <pre>{@code
 * EventRecorder events = EventRecorder.attach(connection);
 * ...
 * Event e = events.await(Event.KindCase.PROFILE_UPDATED, Duration.ofSeconds(5));
 * }</pre>
 *
 * <p>{@link #await} takes the oldest event that matches and has not been taken yet, leaving the
 * others for later calls, so a test can wait for events in any order it likes. {@link #events()}
 * keeps everything ever received, in arrival order. Thread-safe.
 */
public final class EventRecorder implements Consumer<Event> {
  private final List<Event> received = new ArrayList<>(); // guarded by this
  private final List<Event> untaken = new ArrayList<>(); // guarded by this

  /** A recorder subscribed to {@code connection}'s events. */
  public static EventRecorder attach(Connection connection) {
    EventRecorder recorder = new EventRecorder();
    connection.onEvent(recorder);
    return recorder;
  }

  @Override
  public synchronized void accept(Event event) {
    received.add(event);
    untaken.add(event);
    notifyAll();
  }

  /**
   * Takes the oldest untaken event that matches, waiting up to {@code timeout} for one to arrive;
   * throws {@link AssertionError} listing what did arrive if none does.
   */
  public synchronized Event await(Predicate<? super Event> matching, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      for (Iterator<Event> it = untaken.iterator(); it.hasNext(); ) {
        Event event = it.next();
        if (matching.test(event)) {
          it.remove();
          return event;
        }
      }
      long remaining = deadline - System.nanoTime();
      if (remaining <= 0) {
        throw new AssertionError(
            "no matching event within " + timeout + "; untaken events: " + untaken);
      }
      waitNanos(remaining);
    }
  }

  /** Takes the oldest untaken event of this kind; see {@link #await(Predicate, Duration)}. */
  public Event await(Event.KindCase kind, Duration timeout) {
    return await(event -> event.getKindCase() == kind, timeout);
  }

  /**
   * Waits {@code duration} and throws {@link AssertionError} if an untaken matching event is there
   * or arrives meanwhile: for "this must not happen" checks, such as no duplicate delivery.
   */
  public synchronized void expectNone(Predicate<? super Event> matching, Duration duration) {
    long deadline = System.nanoTime() + duration.toNanos();
    while (true) {
      for (Event event : untaken) {
        if (matching.test(event)) {
          throw new AssertionError("unexpected event: " + event);
        }
      }
      long remaining = deadline - System.nanoTime();
      if (remaining <= 0) {
        return;
      }
      waitNanos(remaining);
    }
  }

  /** Every event received so far, in arrival order, taken or not. */
  public synchronized List<Event> events() {
    return List.copyOf(received);
  }

  /** Forgets everything received so far. */
  public synchronized void clear() {
    received.clear();
    untaken.clear();
  }

  private void waitNanos(long nanos) {
    try {
      wait(Math.max(1, nanos / 1_000_000), 0);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for events", e);
    }
  }
}
