package dev.parley.gateway.http;

import com.google.protobuf.Message;
import dev.parley.gateway.codec.Encoding;
import dev.parley.proto.client.Error;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An HTTP answer as plain data. Endpoints complete their futures with it on any thread; only the
 * router, on the event loop, turns it into a Netty response, so no reference-counted buffer ever
 * crosses threads or outlives a failed hand-over.
 */
public record HttpReply(
    HttpResponseStatus status, String contentType, byte[] body, Map<String, String> headers) {
  public static final String TEXT = "text/plain; charset=utf-8";

  public HttpReply(HttpResponseStatus status, String contentType, byte[] body) {
    this(status, contentType, body, Map.of());
  }

  public HttpReply withHeader(String name, String value) {
    Map<String, String> h = new LinkedHashMap<>(headers);
    h.put(name, value);
    return new HttpReply(status, contentType, body, Map.copyOf(h));
  }

  public static HttpReply text(HttpResponseStatus status, String body) {
    return new HttpReply(status, TEXT, body.getBytes(StandardCharsets.UTF_8));
  }

  public static HttpReply message(Message m, Encoding encoding) {
    return new HttpReply(HttpResponseStatus.OK, encoding.contentType(), encoding.toBytes(m));
  }

  /** An error whose HTTP status is the error's code. */
  public static HttpReply error(Error e, Encoding encoding) {
    int code = e.getCode() >= 400 && e.getCode() <= 599 ? e.getCode() : 500;
    return error(HttpResponseStatus.valueOf(code), e, encoding);
  }

  /** An error with an HTTP status of its own (405, 415) that Error.code has no class for. */
  public static HttpReply error(HttpResponseStatus status, Error e, Encoding encoding) {
    return new HttpReply(status, encoding.contentType(), encoding.toBytes(e));
  }

  public FullHttpResponse toResponse(boolean keepAlive) {
    FullHttpResponse r =
        new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
    r.headers()
        .set(HttpHeaderNames.CONTENT_TYPE, contentType)
        .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
        .set(HttpHeaderNames.CACHE_CONTROL, "no-store");
    headers.forEach(r.headers()::set);
    if (!keepAlive) r.headers().set(HttpHeaderNames.CONNECTION, "close");
    return r;
  }
}
