package dev.parley.client;

import dev.parley.proto.client.Event;
import dev.parley.proto.client.Request;
import dev.parley.proto.client.Response;
import dev.parley.proto.client.ServerFrame;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** The server's side of one WebSocket of the {@link FakeServer}. */
final class FakeSocket {
  final FakeServer server;
  final Channel channel;
  final Encoding encoding;

  /** Every decoded request, in arrival order. */
  final BlockingQueue<Request> requests = new LinkedBlockingQueue<>();

  /** Every frame as received: a String (text) or a byte[] (binary). */
  final BlockingQueue<Object> rawFrames = new LinkedBlockingQueue<>();

  final long acceptedAtNanos = System.nanoTime();

  /** An authenticate succeeded: live updates go to this socket. */
  volatile boolean authenticated;

  FakeSocket(FakeServer server, Channel channel, Encoding encoding) {
    this.server = server;
    this.channel = channel;
    this.encoding = encoding;
  }

  void respond(Response response) {
    send(ServerFrame.newBuilder().setResponse(response).build());
  }

  void event(Event event) {
    send(ServerFrame.newBuilder().setEvent(event).build());
  }

  void send(ServerFrame frame) {
    channel.writeAndFlush(
        encoding.textFrames()
            ? new TextWebSocketFrame(Encoding.toJson(frame))
            : new BinaryWebSocketFrame(Unpooled.wrappedBuffer(frame.toByteArray())));
  }

  /**
   * Sends the frame split into {@code parts} WebSocket fragments (a first frame and continuations).
   */
  void sendFragmented(ServerFrame frame, int parts) {
    byte[] payload =
        encoding.textFrames()
            ? Encoding.toJson(frame).getBytes(StandardCharsets.UTF_8)
            : frame.toByteArray();
    int size = (payload.length + parts - 1) / parts;
    for (int offset = 0, i = 0; offset < payload.length; offset += size, i++) {
      boolean last = offset + size >= payload.length;
      var chunk = Unpooled.copiedBuffer(payload, offset, Math.min(size, payload.length - offset));
      WebSocketFrame part =
          i == 0
              ? (encoding.textFrames()
                  ? new TextWebSocketFrame(last, 0, chunk)
                  : new BinaryWebSocketFrame(last, 0, chunk))
              : new ContinuationWebSocketFrame(last, 0, chunk);
      channel.write(part);
    }
    channel.flush();
  }

  /** Closes with a Close frame, then the TCP connection. */
  void close(int code, String reason) {
    channel
        .writeAndFlush(new CloseWebSocketFrame(code, reason))
        .addListener(ChannelFutureListener.CLOSE);
  }

  /** Drops the TCP connection without a Close frame. */
  void drop() {
    channel.close();
  }

  /** The next request of this kind (earlier ones of other kinds are skipped); waits up to 5 s. */
  Request awaitRequest(Request.OpCase op) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (true) {
      Request request = requests.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      if (request == null) {
        throw new AssertionError("no " + op + " request within 5 s");
      }
      if (request.getOpCase() == op) {
        return request;
      }
    }
  }
}
