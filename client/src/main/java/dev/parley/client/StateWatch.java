package dev.parley.client;

import dev.parley.client.Connection.State;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * A connection's state as other threads see it, and the futures that wait on it: waiters for a
 * state ({@link Connection#awaitState}) and the READY socket (requests). Written by the control
 * executor only, read from anywhere.
 *
 * <p>Invariant: {@code ready} is completed with the socket while READY, incomplete while not
 * (requests attach to it and go out when it completes), and failed in a final state. Futures are
 * completed outside the lock.
 */
final class StateWatch {
  private final Object lock = new Object();
  private volatile State state = State.CONNECTING;
  private CompletableFuture<Socket> ready = new CompletableFuture<>(); // guarded by lock
  private final Map<State, List<CompletableFuture<Void>>> waiters =
      new EnumMap<>(State.class); // lock
  private @Nullable ConnectionException finalFailure; // guarded by lock

  State get() {
    return state;
  }

  /**
   * Moves to a state that is not final; {@code readySocket} is the socket when {@code next} is
   * READY. Returns false if the connection already is in {@code next}.
   */
  boolean enter(State next, @Nullable Socket readySocket) {
    CompletableFuture<Socket> release = null;
    List<CompletableFuture<Void>> reached;
    synchronized (lock) {
      if (state == next || state.isFinal()) {
        return false;
      }
      state = next;
      if (ready.isDone()) {
        ready = new CompletableFuture<>(); // leaving READY
      }
      if (next == State.READY) {
        release = ready;
      }
      reached = waiters.remove(next);
    }
    if (release != null) {
      release.complete(readySocket);
    }
    if (reached != null) {
      reached.forEach(w -> w.complete(null));
    }
    return true;
  }

  /** Moves to a final state; whatever waits for anything else fails with {@code failure}. */
  boolean finish(State finalState, ConnectionException failure) {
    CompletableFuture<Socket> abandoned;
    List<CompletableFuture<Void>> reached;
    List<CompletableFuture<Void>> failed = new ArrayList<>();
    synchronized (lock) {
      if (state.isFinal()) {
        return false;
      }
      state = finalState;
      finalFailure = failure;
      abandoned = ready;
      ready = CompletableFuture.failedFuture(failure);
      reached = waiters.remove(finalState);
      waiters.values().forEach(failed::addAll);
      waiters.clear();
    }
    abandoned.completeExceptionally(failure);
    if (reached != null) {
      reached.forEach(w -> w.complete(null));
    }
    failed.forEach(w -> w.completeExceptionally(failure));
    return true;
  }

  /** Completes when the connection enters {@code target}; fails when it ends in another state. */
  CompletableFuture<Void> when(State target) {
    synchronized (lock) {
      if (state == target) {
        return CompletableFuture.completedFuture(null);
      }
      if (state.isFinal()) {
        return CompletableFuture.failedFuture(finalFailure);
      }
      CompletableFuture<Void> waiter = new CompletableFuture<>();
      waiters.computeIfAbsent(target, s -> new ArrayList<>()).add(waiter);
      return waiter;
    }
  }

  /** Forgets a waiter from {@link #when} that its caller gave up on. */
  void stopWaiting(State target, CompletableFuture<Void> waiter) {
    synchronized (lock) {
      List<CompletableFuture<Void>> list = waiters.get(target);
      if (list != null) {
        list.remove(waiter);
      }
    }
  }

  /** The READY socket, or a future of the next one; failed in a final state. */
  CompletableFuture<Socket> readySocket() {
    synchronized (lock) {
      return ready;
    }
  }

  /**
   * The READY socket refused a request because it has ended, which the control executor has not
   * processed yet: requests wait for the next socket instead of finding this one again.
   */
  void socketEnded(Socket socket) {
    synchronized (lock) {
      if (ready.isDone() && !ready.isCompletedExceptionally() && ready.join() == socket) {
        ready = new CompletableFuture<>();
      }
    }
  }
}
