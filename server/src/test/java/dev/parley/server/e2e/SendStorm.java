package dev.parley.server.e2e;

import dev.parley.client.Connection;
import dev.parley.client.Futures;
import dev.parley.proto.client.Request;
import dev.parley.proto.client.Response;
import dev.parley.proto.client.SendMessageRequest;
import dev.parley.proto.client.TextContent;
import dev.parley.server.audit.SendLedger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Sender threads that send text messages as fast as the server answers, until {@link #stop()}.
 *
 * <p>Each worker has one {@code send_message} on the wire at a time, sent once through {@link
 * Connection#send(Request.Builder, Duration)}: no SDK retries, so every attempt's fate — answered,
 * rejected, or no answer — is exactly what the {@link SendLedger} records. Every attempt has its
 * own {@code client_msg_id} ({@code <lane>.<worker>.<n>}) and a text naming it.
 */
final class SendStorm implements AutoCloseable {
  /** Where one group of workers sends: a sender's connection and one of its conversations. */
  record Lane(String name, Connection connection, long senderId, long conversationId) {}

  private final SendLedger ledger;
  private final Duration requestTimeout;
  private final AtomicBoolean stopped = new AtomicBoolean();
  private final List<Thread> workers = new ArrayList<>();
  private final List<Throwable> crashes = new ArrayList<>();

  private SendStorm(SendLedger ledger, Duration requestTimeout) {
    this.ledger = ledger;
    this.requestTimeout = requestTimeout;
  }

  static SendStorm start(
      SendLedger ledger, List<Lane> lanes, int workersPerLane, Duration requestTimeout) {
    SendStorm storm = new SendStorm(ledger, requestTimeout);
    for (Lane lane : lanes) {
      for (int w = 0; w < workersPerLane; w++) {
        int worker = w;
        Thread t = new Thread(() -> storm.run(lane, worker), "storm-" + lane.name() + "-" + w);
        t.setDaemon(true);
        t.setUncaughtExceptionHandler((thread, e) -> storm.crashed(e));
        storm.workers.add(t);
      }
    }
    storm.workers.forEach(Thread::start);
    return storm;
  }

  /** No new attempts from now on; attempts on the wire finish as they do. */
  void stop() {
    stopped.set(true);
  }

  /** Stops, so that workers of a failed test do not go on sending into closed connections. */
  @Override
  public void close() {
    stop();
  }

  /** Waits until every worker has seen the outcome of its last attempt. */
  void awaitFinished(Duration timeout) throws InterruptedException {
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

  private void run(Lane lane, int worker) {
    for (int n = 0; !stopped.get(); n++) {
      String id = lane.name() + "." + worker + "." + n;
      SendLedger.Attempt a =
          ledger.begin(id, lane.conversationId(), lane.senderId(), "storm message " + id);
      SendMessageRequest request =
          SendMessageRequest.newBuilder()
              .setConversationId(a.conversationId())
              .setClientMsgId(a.clientMsgId())
              .setText(TextContent.newBuilder().setText(a.text()))
              .build();
      Response answer;
      try {
        answer =
            lane.connection()
                .send(Request.newBuilder().setSendMessage(request), requestTimeout)
                .get();
      } catch (ExecutionException e) {
        ledger.noAnswer(a, Futures.unwrap(e));
        continue;
      } catch (InterruptedException e) {
        ledger.noAnswer(a, e);
        return;
      }
      if (answer.hasError()) {
        ledger.rejected(a, answer.getError().toString());
      } else if (answer.getResultCase() != Response.ResultCase.SEND_MESSAGE) {
        throw new AssertionError("send_message " + id + " answered with " + answer);
      } else {
        ledger.acked(a, answer.getSendMessage());
      }
    }
  }

  private void crashed(Throwable e) {
    synchronized (crashes) {
      crashes.add(e);
    }
  }
}
