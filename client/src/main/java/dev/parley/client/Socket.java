package dev.parley.client;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.parley.proto.client.Request;
import dev.parley.proto.client.Response;
import dev.parley.proto.client.ServerFrame;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket of a {@link Connection}: frame assembly, serialized sends and the requests waiting
 * for their responses. A connection opens a new socket for every attempt; a socket is never reused.
 *
 * <p>Invariants:
 *
 * <ul>
 *   <li>At most one text/binary send is outstanding (the JDK WebSocket refuses a second one): every
 *       send starts when the previous one has finished, successfully or not.
 *   <li>The JDK calls the listener one invocation at a time. Parts of a message are accumulated
 *       until the last one (at most {@link #MAX_MESSAGE_BYTES}); the complete payload goes,
 *       undecoded, to the {@link Handler}.
 *   <li>The listener asks for the next message first and does as little as it can, because of a
 *       race in the JDK (seen on JDK 25, {@code jdk.internal.net.http.websocket.TransportImpl}):
 *       when the TCP connection ends without a Close frame while no message is requested from the
 *       transport (a listener call is running, or the application has not called {@code request}),
 *       the EOF reaches {@code acknowledgeReception()}, which throws {@code InternalError} on the
 *       selector thread, and the WebSocket never reports the close. Short listener calls keep that
 *       window small; for what remains, a failed send ends the socket, and the connection's ping
 *       makes sure a send happens. The price: no back-pressure towards the server; bursts queue on
 *       the control executor.
 *   <li>Request ids are unique among this socket's pending requests: an unsigned 32-bit counter
 *       that skips 0 (which cannot be told apart from "no id") and ids still pending.
 *   <li>Once closing or closed, {@link #request} refuses new requests (returns {@code null}), so a
 *       caller can wait for the next socket knowing the request was never sent.
 *   <li>Futures are completed on the {@code completions} executor, never on the JDK's or the
 *       timer's threads, so slow application code cannot stall the network.
 * </ul>
 */
final class Socket implements WebSocket.Listener {
  /** Receives what arrives on a socket. */
  interface Handler {
    /**
     * A complete message arrived. Called on the JDK's thread: hand it on, do not work on it here.
     */
    void onMessage(Socket socket, Incoming message);

    /**
     * The WebSocket ended: a Close frame arrived, it failed, or a send failed. At most once; never
     * after {@link #abort}.
     */
    void onClosed(Socket socket, CloseStatus status);
  }

  /**
   * A complete message as received: text ({@link Encoding#JSON}) or binary ({@link
   * Encoding#PROTOBUF}).
   */
  record Incoming(@Nullable String text, byte @Nullable [] binary) {
    ServerFrame decode() throws InvalidProtocolBufferException {
      return text != null
          ? Encoding.mergeJson(text, ServerFrame.newBuilder()).build()
          : ServerFrame.parseFrom(binary);
    }
  }

  /** A bigger message from the server is treated as a broken connection rather than buffered. */
  static final int MAX_MESSAGE_BYTES = 16 << 20;

  private static final Logger log = LoggerFactory.getLogger(Socket.class);

  private final String name;
  private final Encoding encoding;
  private final Handler handler;
  private final ScheduledExecutorService timer;
  private final Executor completions;

  private volatile @Nullable WebSocket webSocket;

  // Listener state: the JDK invokes the listener serially.
  private final StringBuilder text = new StringBuilder();
  private final ByteArrayOutputStream binary = new ByteArrayOutputStream();

  // Guarded by this.
  private final Map<Integer, Pending> pending = new HashMap<>();
  private int lastRequestId;
  private boolean accepting = true;
  private boolean closeStarted;
  private boolean ended;
  private @Nullable CloseStatus drainStatus;
  private @Nullable Duration drainAbortAfter;
  private CompletableFuture<?> sendTail = CompletableFuture.completedFuture(null);

  private record Pending(String op, CompletableFuture<Response> future) {}

  Socket(
      String name,
      Encoding encoding,
      Handler handler,
      ScheduledExecutorService timer,
      Executor completions) {
    this.name = name;
    this.encoding = encoding;
    this.handler = handler;
    this.timer = timer;
    this.completions = completions;
  }

  /**
   * Opens the WebSocket. Fails with a {@link ConnectionException} (carrying an {@link
   * CloseStatus#ABNORMAL} status) if the handshake fails or the server does not select our
   * subprotocol.
   */
  CompletableFuture<Void> open(HttpClient http, URI uri, Duration connectTimeout) {
    return http.newWebSocketBuilder()
        .subprotocols(encoding.subprotocol())
        .connectTimeout(connectTimeout)
        .buildAsync(uri, this)
        .handle(
            (ws, error) -> {
              if (error != null) {
                Throwable cause = Futures.unwrap(error);
                String reason =
                    cause instanceof WebSocketHandshakeException handshake
                        ? "handshake failed: HTTP " + handshake.getResponse().statusCode()
                        : "cannot connect: " + cause;
                throw new ConnectionException(reason, CloseStatus.abnormal(reason), cause);
              }
              if (!encoding.subprotocol().equals(ws.getSubprotocol())) {
                abort();
                String reason =
                    "server selected subprotocol '"
                        + ws.getSubprotocol()
                        + "', not '"
                        + encoding.subprotocol()
                        + "'";
                throw new ConnectionException(reason, CloseStatus.abnormal(reason), null);
              }
              return null;
            });
  }

  /**
   * Sends a request with a fresh request id and returns the future of its response, or {@code null}
   * if this socket no longer takes requests. The future fails with {@link RequestTimeoutException}
   * after {@code timeout}, or with {@link ConnectionException} if the request cannot be sent or the
   * socket ends first. {@code request} gets the id set.
   */
  @Nullable CompletableFuture<Response> request(Request.Builder request, Duration timeout) {
    String op = opName(request);
    CompletableFuture<Response> future = new CompletableFuture<>();
    int requestId;
    synchronized (this) {
      if (!accepting) {
        return null;
      }
      requestId = nextRequestId();
      pending.put(requestId, new Pending(op, future));
    }
    request.setRequestId(requestId);
    String what = op + " (request " + Integer.toUnsignedString(requestId) + ")";
    ScheduledFuture<?> expiry =
        timer.schedule(
            () ->
                fail(
                    requestId,
                    new RequestTimeoutException(what + " got no response within " + timeout)),
            timeout.toNanos(),
            TimeUnit.NANOSECONDS);
    future.whenComplete((response, error) -> expiry.cancel(false));
    send(request.build())
        .whenComplete(
            (ignored, error) -> {
              if (error != null) {
                fail(
                    requestId,
                    new ConnectionException("could not send " + what, Futures.unwrap(error)));
              }
            });
    return future;
  }

  /** Completes the request the response answers; false if none is pending under its id. */
  boolean complete(Response response) {
    Runnable completion = claim(response);
    if (completion == null) {
      return false;
    }
    completion.run();
    return true;
  }

  /**
   * Takes the request the response answers out of the pending ones (so nothing else can fail it)
   * and returns what completes it, or {@code null} if none is pending under its id.
   */
  @Nullable Runnable claim(Response response) {
    Pending p = remove(response.getRequestId());
    return p == null ? null : () -> completeLater(() -> p.future().complete(response));
  }

  /** Fails every pending request with a {@link ConnectionException} and refuses new ones. */
  void failPending(CloseStatus status) {
    List<Map.Entry<Integer, Pending>> failed;
    synchronized (this) {
      accepting = false;
      failed = new ArrayList<>(pending.entrySet());
      pending.clear();
    }
    for (Map.Entry<Integer, Pending> e : failed) {
      String message =
          "connection lost before the response to "
              + e.getValue().op()
              + " (request "
              + Integer.toUnsignedString(e.getKey())
              + ") arrived: "
              + status;
      completeLater(
          () ->
              e.getValue()
                  .future()
                  .completeExceptionally(new ConnectionException(message, status, null)));
    }
  }

  /**
   * Refuses new requests and closes with {@code status} once the pending ones are answered or fail.
   */
  void drainThenClose(CloseStatus status, Duration abortAfter) {
    boolean idle;
    synchronized (this) {
      accepting = false;
      drainStatus = status;
      drainAbortAfter = abortAfter;
      idle = pending.isEmpty();
    }
    if (idle) {
      close(status, abortAfter);
    }
  }

  /**
   * Starts the close handshake (after the sends already queued) and aborts if the server has not
   * completed it within {@code abortAfter}.
   */
  void close(CloseStatus status, Duration abortAfter) {
    synchronized (this) {
      accepting = false;
      drainStatus = null;
      if (closeStarted) {
        return;
      }
      closeStarted = true;
    }
    enqueue(ws -> ws.sendClose(status.code(), status.reason()));
    timer.schedule(
        () -> {
          WebSocket ws = webSocket;
          if (ws != null && !ws.isInputClosed()) {
            abort();
          }
        },
        abortAfter.toNanos(),
        TimeUnit.NANOSECONDS);
  }

  /** Drops the connection at once, without a close handshake; the handler hears nothing more. */
  void abort() {
    synchronized (this) {
      accepting = false;
      closeStarted = true;
      ended = true;
    }
    WebSocket ws = webSocket;
    if (ws != null) {
      ws.abort();
    }
  }

  /** True once a Close frame arrived, the socket failed, or it was aborted. */
  synchronized boolean hasEnded() {
    return ended;
  }

  CompletableFuture<Void> send(Request request) {
    return encoding.textFrames()
        ? sendText(Encoding.toJson(request))
        : sendBinary(request.toByteArray());
  }

  CompletableFuture<Void> sendText(String frame) {
    return enqueue(ws -> ws.sendText(frame, true));
  }

  CompletableFuture<Void> sendBinary(byte[] frame) {
    return enqueue(ws -> ws.sendBinary(ByteBuffer.wrap(frame), true));
  }

  @Override
  public String toString() {
    return name;
  }

  // --- WebSocket.Listener ---

  @Override
  public void onOpen(WebSocket ws) {
    webSocket = ws;
    ws.request(1);
  }

  @Override
  public @Nullable CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
    ws.request(1);
    if (text.length() + data.length() > MAX_MESSAGE_BYTES) {
      tooBig();
      return null;
    }
    text.append(data);
    if (last) {
      String message = text.toString();
      text.setLength(0);
      handler.onMessage(this, new Incoming(message, null));
    }
    return null;
  }

  @Override
  public @Nullable CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
    ws.request(1);
    if (binary.size() + data.remaining() > MAX_MESSAGE_BYTES) {
      tooBig();
      return null;
    }
    byte[] part = new byte[data.remaining()]; // the JDK may reuse data once this returns
    data.get(part);
    if (last && binary.size() == 0) {
      handler.onMessage(this, new Incoming(null, part));
    } else {
      binary.writeBytes(part);
      if (last) {
        byte[] message = binary.toByteArray();
        binary.reset();
        handler.onMessage(this, new Incoming(null, message));
      }
    }
    return null;
  }

  @Override
  public @Nullable CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
    ended(new CloseStatus(statusCode, reason));
    return null;
  }

  @Override
  public void onError(WebSocket ws, Throwable error) {
    ended(CloseStatus.abnormal(error));
  }

  // --- internals ---

  private void tooBig() {
    log.warn(
        "{}: server sent a message over {} bytes; dropping the connection",
        name,
        MAX_MESSAGE_BYTES);
    CloseStatus status = new CloseStatus(CloseStatus.TOO_BIG, "message from server too big");
    WebSocket ws = webSocket;
    ended(status);
    if (ws != null) {
      ws.abort();
    }
  }

  private void ended(CloseStatus status) {
    synchronized (this) {
      accepting = false;
      if (ended) {
        return;
      }
      ended = true;
    }
    handler.onClosed(this, status);
  }

  private void fail(int requestId, RuntimeException error) {
    Pending p = remove(requestId);
    if (p != null) {
      completeLater(() -> p.future().completeExceptionally(error));
    }
  }

  private @Nullable Pending remove(int requestId) {
    Pending p;
    CloseStatus closeNow = null;
    Duration abortAfter = null;
    synchronized (this) {
      p = pending.remove(requestId);
      if (p != null && drainStatus != null && pending.isEmpty()) {
        closeNow = drainStatus;
        abortAfter = drainAbortAfter;
      }
    }
    if (closeNow != null) {
      close(closeNow, Objects.requireNonNull(abortAfter, "drains have a deadline"));
    }
    return p;
  }

  private int nextRequestId() {
    do {
      lastRequestId++;
    } while (lastRequestId == 0 || pending.containsKey(lastRequestId));
    return lastRequestId;
  }

  private synchronized CompletableFuture<Void> enqueue(
      Function<WebSocket, CompletableFuture<WebSocket>> send) {
    WebSocket ws = webSocket;
    if (ws == null) {
      return CompletableFuture.failedFuture(new ConnectionException(name + " is not open"));
    }
    CompletableFuture<Void> next =
        sendTail
            .handle((ignored, error) -> null)
            .thenCompose(ignored -> send.apply(ws))
            .thenApply(ignored -> (Void) null);
    sendTail = next;
    next.whenComplete(
        (ignored, error) -> {
          if (error != null) {
            sendFailed(Futures.unwrap(error));
          }
        });
    return next;
  }

  /**
   * A failed send leaves the JDK WebSocket's output closed: the socket is useless, and may be one
   * whose close the JDK never reported (see the class comment). Report it as ended.
   */
  private void sendFailed(Throwable cause) {
    synchronized (this) {
      if (closeStarted || ended) {
        return; // we are closing it ourselves, or it has ended already
      }
    }
    CloseStatus status = CloseStatus.abnormal("send failed: " + cause);
    ended(status);
    WebSocket ws = webSocket;
    if (ws != null) {
      ws.abort();
    }
  }

  private void completeLater(Runnable completion) {
    try {
      completions.execute(completion);
    } catch (RejectedExecutionException e) {
      completion.run(); // the client is shutting down
    }
  }

  static String opName(Request.Builder request) {
    return request.getOpCase().name().toLowerCase(Locale.ROOT);
  }
}
