package dev.parley.server.cluster;

import dev.parley.client.ClientException;
import dev.parley.client.Futures;
import dev.parley.proto.client.Error.Reason;
import dev.parley.proto.client.Request;
import dev.parley.proto.client.Response;
import dev.parley.proto.client.SendMessageRequest;
import dev.parley.proto.client.TextContent;
import dev.parley.server.audit.SendLedger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sender threads that send text messages as fast as the cluster answers, until {@link #stop()}; one
 * thread per lane, one {@code send_message} of a lane on the wire at a time.
 *
 * <p>A <em>raw</em> lane sends each message once through {@code Connection.send}: no retries, so
 * every attempt's fate is exactly what the {@link SendLedger} records. An answer that only says
 * "not now" (UNAVAILABLE, INTERNAL, TOO_MANY_IN_FLIGHT, RATE_LIMITED: what a gateway answers when
 * the msg instance it called died mid-call) is no answer: the message may be stored. An
 * <em>SDK</em> lane sends through the {@link dev.parley.client.Messenger}'s outbox, which resends
 * the same {@code client_msg_id} after timeouts, dropped connections and "not now" answers, as an
 * app does.
 *
 * <p>Adapted from {@code e2e.SendStorm} (package-private there). It also keeps when each lane's
 * sends were acknowledged, so a test can tell how long a failure stopped a sender.
 */
final class SendStorm implements AutoCloseable {
  /** Where one sender thread sends: a device and one of its conversations. */
  record Lane(String name, ClusterDevice device, long conversationId, boolean sdk) {
    static Lane raw(String name, ClusterDevice device, long conversationId) {
      return new Lane(name, device, conversationId, false);
    }

    static Lane sdk(String name, ClusterDevice device, long conversationId) {
      return new Lane(name, device, conversationId, true);
    }
  }

  private static final Set<Reason> NOT_NOW =
      EnumSet.of(
          Reason.UNAVAILABLE, Reason.INTERNAL, Reason.TOO_MANY_IN_FLIGHT, Reason.RATE_LIMITED);

  private final SendLedger ledger;
  private final Duration requestTimeout;
  private final AtomicBoolean stopped = new AtomicBoolean();
  private final List<Thread> workers = new ArrayList<>();
  private final List<Throwable> crashes = new ArrayList<>();

  /** Per lane, System.nanoTime() of each acknowledged send, in order. */
  private final Map<String, List<Long>> ackTimes = new ConcurrentHashMap<>();

  /** Failed attempts by kind: an exception's simple name or an error reason. */
  private final Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();

  private SendStorm(SendLedger ledger, Duration requestTimeout) {
    this.ledger = ledger;
    this.requestTimeout = requestTimeout;
  }

  static SendStorm start(SendLedger ledger, List<Lane> lanes, Duration requestTimeout) {
    SendStorm storm = new SendStorm(ledger, requestTimeout);
    for (Lane lane : lanes) {
      storm.ackTimes.put(lane.name(), java.util.Collections.synchronizedList(new ArrayList<>()));
      Thread t = new Thread(() -> storm.run(lane), "storm-" + lane.name());
      t.setDaemon(true);
      t.setUncaughtExceptionHandler((thread, e) -> storm.crashed(e));
      storm.workers.add(t);
    }
    storm.workers.forEach(Thread::start);
    return storm;
  }

  /** No new attempts from now on; attempts on the wire finish as they do. */
  void stop() {
    stopped.set(true);
  }

  @Override
  public void close() {
    stop();
  }

  /** Waits until every worker has seen the outcome of its last attempt. */
  void awaitFinished(Duration timeout) throws InterruptedException {
    stop();
    long deadline = System.nanoTime() + timeout.toNanos();
    for (Thread t : workers) {
      t.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
      if (t.isAlive()) throw new AssertionError(t.getName() + " still running after " + timeout);
    }
    synchronized (crashes) {
      if (!crashes.isEmpty()) {
        AssertionError e = new AssertionError("a storm worker failed");
        crashes.forEach(e::addSuppressed);
        throw e;
      }
    }
  }

  /** Failed attempts by kind, e.g. {ConnectionException=3, UNAVAILABLE=2}. */
  Map<String, Integer> failures() {
    Map<String, Integer> out = new TreeMap<>();
    failures.forEach((k, v) -> out.put(k, v.get()));
    return out;
  }

  /** Acknowledged sends of this lane after {@code nanoTime}. */
  long acksAfter(String lane, long nanoTime) {
    List<Long> times = ackTimes.get(lane);
    synchronized (times) {
      return times.stream().filter(t -> t > nanoTime).count();
    }
  }

  /** Acknowledged sends of all lanes between two System.nanoTime() values. */
  long acksBetween(long from, long to) {
    long n = 0;
    for (List<Long> times : ackTimes.values()) {
      synchronized (times) {
        n += times.stream().filter(t -> t > from && t <= to).count();
      }
    }
    return n;
  }

  /** System.nanoTime() of the lane's first acknowledged send after {@code nanoTime}, or -1. */
  long firstAckAfter(String lane, long nanoTime) {
    List<Long> times = ackTimes.get(lane);
    synchronized (times) {
      return times.stream().filter(t -> t > nanoTime).findFirst().orElse(-1L);
    }
  }

  /**
   * The longest time between two consecutive acknowledged sends of any lane, in ms: the longest
   * pause a sender saw.
   */
  long longestAckGapMillis() {
    return ackTimes.keySet().stream().mapToLong(this::longestAckGapMillis).max().orElse(0);
  }

  /**
   * The longest time between two consecutive acknowledged sends of any lane, in ms, among the
   * pauses that overlap [{@code from}, {@code to}] (System.nanoTime() values): what a step of a
   * test cost senders.
   */
  long longestAckGapMillisBetween(long from, long to) {
    long gap = 0;
    for (List<Long> times : ackTimes.values()) {
      synchronized (times) {
        for (int i = 1; i < times.size(); i++) {
          if (times.get(i) > from && times.get(i - 1) < to)
            gap = Math.max(gap, times.get(i) - times.get(i - 1));
        }
      }
    }
    return Duration.ofNanos(gap).toMillis();
  }

  /** The longest time between two consecutive acknowledged sends of the lane, in ms. */
  long longestAckGapMillis(String lane) {
    List<Long> times = ackTimes.get(lane);
    synchronized (times) {
      long gap = 0;
      for (int i = 1; i < times.size(); i++) gap = Math.max(gap, times.get(i) - times.get(i - 1));
      return Duration.ofNanos(gap).toMillis();
    }
  }

  private void run(Lane lane) {
    for (int n = 0; !stopped.get(); n++) {
      String id = lane.name() + "." + n;
      SendLedger.Attempt a =
          ledger.begin(
              id, lane.conversationId(), lane.device().userId(), "storm message " + id, lane.sdk());
      SendMessageRequest.Builder request =
          SendMessageRequest.newBuilder()
              .setConversationId(a.conversationId())
              .setClientMsgId(a.clientMsgId())
              .setText(TextContent.newBuilder().setText(a.text()));
      try {
        if (lane.sdk()) {
          ledger.acked(a, lane.device().messenger.send(request, id).get());
        } else {
          Response answer =
              lane.device()
                  .connection
                  .send(Request.newBuilder().setSendMessage(request), requestTimeout)
                  .get();
          if (answer.hasError()) {
            Reason reason = answer.getError().getReason();
            count(reason.name());
            if (NOT_NOW.contains(reason)) {
              ledger.noAnswer(a, answer.getError().toString());
            } else {
              ledger.rejected(a, answer.getError().toString());
            }
            continue;
          }
          if (answer.getResultCase() != Response.ResultCase.SEND_MESSAGE) {
            throw new AssertionError("send_message " + id + " answered with " + answer);
          }
          ledger.acked(a, answer.getSendMessage());
        }
        ackTimes.get(lane.name()).add(System.nanoTime());
      } catch (ExecutionException e) {
        Throwable cause = Futures.unwrap(e);
        count(
            cause instanceof ClientException c
                ? c.reason().name()
                : cause.getClass().getSimpleName());
        ledger.noAnswer(a, cause.toString());
      } catch (InterruptedException e) {
        ledger.noAnswer(a, e.toString());
        return;
      }
    }
  }

  private void count(String kind) {
    failures.computeIfAbsent(kind, k -> new AtomicInteger()).incrementAndGet();
  }

  private void crashed(Throwable e) {
    synchronized (crashes) {
      crashes.add(e);
    }
  }
}
