package dev.parley.server.e2e;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.parley.proto.client.Request;
import dev.parley.proto.client.ServerFrame;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A WebSocket with no SDK in between, for feeding the server bytes no well-behaved client would
 * send and reading exactly what comes back. Frames are decoded into ServerFrame for assertions.
 */
final class RawSocket implements AutoCloseable {
  static final String JSON = "parley.v2.json";
  static final String PROTOBUF = "parley.v2.protobuf";

  private final WebSocket socket;
  private final boolean json;
  private final BlockingQueue<ServerFrame> frames = new LinkedBlockingQueue<>();
  final CompletableFuture<Integer> closeCode = new CompletableFuture<>();

  private RawSocket(URI uri, String subprotocol) {
    this.json = subprotocol.equals(JSON);
    this.socket =
        HttpClient.newHttpClient()
            .newWebSocketBuilder()
            .subprotocols(subprotocol)
            .connectTimeout(Duration.ofSeconds(5))
            .buildAsync(uri, new Listener())
            .join();
  }

  static RawSocket open(int port, String subprotocol) {
    return new RawSocket(URI.create("ws://127.0.0.1:" + port + "/ws"), subprotocol);
  }

  void send(Request request) {
    if (json) {
      sendText(print(request));
    } else {
      sendBinary(request.toByteArray());
    }
  }

  void sendText(String text) {
    socket.sendText(text, true).join();
  }

  void sendBinary(byte[] bytes) {
    socket.sendBinary(ByteBuffer.wrap(bytes), true).join();
  }

  ServerFrame next() {
    try {
      ServerFrame f = frames.poll(10, TimeUnit.SECONDS);
      if (f == null)
        throw new AssertionError("no frame within 10 s (close: " + closeCode.getNow(null) + ")");
      return f;
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  /** The next response (events are skipped). */
  dev.parley.proto.client.Response nextResponse() {
    while (true) {
      ServerFrame f = next();
      if (f.hasResponse()) return f.getResponse();
    }
  }

  int awaitClose() {
    return closeCode.orTimeout(15, TimeUnit.SECONDS).join();
  }

  private static String print(Request r) {
    try {
      return JsonFormat.printer().omittingInsignificantWhitespace().print(r);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
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
          JsonFormat.parser().ignoringUnknownFields().merge(text.toString(), b);
          frames.add(b.build());
        } catch (InvalidProtocolBufferException e) {
          throw new IllegalStateException("server sent undecodable JSON: " + text, e);
        } finally {
          text.setLength(0);
        }
      }
      ws.request(1);
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
          throw new IllegalStateException("server sent undecodable protobuf", e);
        } finally {
          binary.reset();
        }
      }
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
      closeCode.complete(statusCode);
      return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
      closeCode.complete(1006);
    }
  }
}
