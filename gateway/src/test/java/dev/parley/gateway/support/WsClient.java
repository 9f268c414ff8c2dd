package dev.parley.gateway.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.parley.gateway.codec.Encoding;
import dev.parley.proto.client.AuthenticateRequest;
import dev.parley.proto.client.Event;
import dev.parley.proto.client.PingRequest;
import dev.parley.proto.client.Request;
import dev.parley.proto.client.Response;
import dev.parley.proto.client.ServerFrame;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A WebSocket test client on the JDK's implementation (which answers server pings by itself).
 * Frames from the server are decoded in the client's encoding and queued; the close code is
 * recorded.
 */
public final class WsClient implements AutoCloseable {
  public static final Duration WAIT = Duration.ofSeconds(5);

  public record Close(int code, String reason) {}

  private final Encoding encoding;
  private final BlockingQueue<ServerFrame> frames = new LinkedBlockingQueue<>();
  public final CompletableFuture<Close> closed = new CompletableFuture<>();
  private final AtomicInteger nextId = new AtomicInteger(1);
  private final boolean reading;
  private WebSocket socket;

  private WsClient(Encoding encoding, boolean reading) {
    this.encoding = encoding;
    this.reading = reading;
  }

  public static WsClient connect(HttpClient http, URI uri, Encoding encoding) {
    return connect(http, uri, encoding, Map.of());
  }

  public static WsClient connect(
      HttpClient http, URI uri, Encoding encoding, Map<String, String> headers) {
    return connect(http, uri, encoding, headers, true);
  }

  /**
   * @param reading false for a client that takes one message and then stops reading (the JDK client
   *     reads from the socket only on demand), so the server's queue for it grows
   */
  public static WsClient connect(
      HttpClient http, URI uri, Encoding encoding, Map<String, String> headers, boolean reading) {
    WsClient c = new WsClient(encoding, reading);
    WebSocket.Builder b =
        http.newWebSocketBuilder().subprotocols(encoding.subprotocol()).connectTimeout(WAIT);
    headers.forEach(b::header);
    c.socket =
        b.buildAsync(uri, c.new Listener())
            .orTimeout(WAIT.toMillis(), TimeUnit.MILLISECONDS)
            .join();
    return c;
  }

  public String subprotocol() {
    return socket.getSubprotocol();
  }

  public int nextId() {
    return nextId.getAndIncrement();
  }

  public void send(Request r) {
    if (encoding == Encoding.JSON) {
      try {
        sendText(JsonFormat.printer().print(r));
      } catch (InvalidProtocolBufferException e) {
        throw new IllegalStateException(e);
      }
    } else {
      sendBinary(r.toByteArray());
    }
  }

  public void sendText(String text) {
    socket.sendText(text, true).orTimeout(WAIT.toMillis(), TimeUnit.MILLISECONDS).join();
  }

  public void sendBinary(byte[] bytes) {
    socket
        .sendBinary(ByteBuffer.wrap(bytes), true)
        .orTimeout(WAIT.toMillis(), TimeUnit.MILLISECONDS)
        .join();
  }

  /** The next frame from the server; fails the test after {@link #WAIT}. */
  public ServerFrame next() {
    try {
      ServerFrame f = frames.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      assertThat(f).as("a frame from the server within %s", WAIT).isNotNull();
      return f;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public Response nextResponse() {
    ServerFrame f = next();
    assertThat(f.hasResponse()).as("a response, got %s", f).isTrue();
    return f.getResponse();
  }

  public Event nextEvent() {
    ServerFrame f = next();
    assertThat(f.hasEvent()).as("an event, got %s", f).isTrue();
    return f.getEvent();
  }

  /** Sends the request (with a fresh request id when it has none) and returns the next response. */
  public Response call(Request.Builder r) {
    if (r.getRequestId() == 0) r.setRequestId(nextId());
    send(r.build());
    Response response = nextResponse();
    assertThat(response.getRequestId()).isEqualTo(r.getRequestId());
    return response;
  }

  public Response authenticate(String token) {
    Response r =
        call(
            Request.newBuilder()
                .setAuthenticate(AuthenticateRequest.newBuilder().setAccessToken(token)));
    assertThat(r.hasError()).as("authenticate failed: %s", r.getError()).isFalse();
    return r;
  }

  public Response ping() {
    return call(Request.newBuilder().setPing(PingRequest.getDefaultInstance()));
  }

  public boolean hasQueuedFrames() {
    return !frames.isEmpty();
  }

  public Close awaitClose() {
    return closed.orTimeout(WAIT.toMillis(), TimeUnit.MILLISECONDS).join();
  }

  public boolean isOpen() {
    return !closed.isDone();
  }

  @Override
  public void close() {
    if (!socket.isOutputClosed()) socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
    socket.abort();
  }

  private final class Listener implements WebSocket.Listener {
    private final StringBuilder text = new StringBuilder();
    private final ByteArrayOutputStream binary = new ByteArrayOutputStream();

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      text.append(data);
      if (last) {
        try {
          ServerFrame.Builder b = ServerFrame.newBuilder();
          JsonFormat.parser().merge(text.toString(), b);
          frames.add(b.build());
        } catch (InvalidProtocolBufferException e) {
          throw new IllegalStateException("Server sent invalid JSON: " + text, e);
        } finally {
          text.setLength(0);
        }
      }
      if (reading) ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
      byte[] chunk = new byte[data.remaining()];
      data.get(chunk);
      binary.writeBytes(chunk);
      if (last) {
        try {
          frames.add(ServerFrame.parseFrom(binary.toByteArray()));
        } catch (InvalidProtocolBufferException e) {
          throw new IllegalStateException("Server sent invalid protobuf", e);
        } finally {
          binary.reset();
        }
      }
      if (reading) ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
      closed.complete(new Close(statusCode, reason));
      return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
      closed.complete(new Close(-1, String.valueOf(error)));
    }
  }
}
