package dev.parley.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.parley.proto.client.Error;
import dev.parley.proto.client.Error.Reason;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;

class BodyLimitAggregatorTest {
  private static HttpRequest post(int length, String contentType) {
    HttpRequest r =
        new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/api/v1/auth/login");
    r.headers()
        .setInt(HttpHeaderNames.CONTENT_LENGTH, length)
        .set(HttpHeaderNames.CONTENT_TYPE, contentType);
    return r;
  }

  @Test
  void oversizeBodyGets413InTheRequestEncodingAndTheConnectionStaysUsable() throws Exception {
    EmbeddedChannel ch = new EmbeddedChannel(new BodyLimitAggregator(16));
    ch.writeInbound(post(32, "application/x-protobuf"));
    FullHttpResponse r = ch.readOutbound();
    assertThat(r.status().code()).isEqualTo(413);
    assertThat(r.headers().get(HttpHeaderNames.CONTENT_TYPE)).isEqualTo("application/x-protobuf");
    Error e = Error.parseFrom(ByteBufUtil.getBytes(r.content()));
    assertThat(e.getReason()).isEqualTo(Reason.FRAME_TOO_LARGE);
    assertThat(e.getCode()).isEqualTo(413);
    r.release();

    // The rest of the oversize body is skipped; the next request is served normally.
    ch.writeInbound(new DefaultHttpContent(Unpooled.wrappedBuffer(new byte[16])));
    ch.writeInbound(new DefaultLastHttpContent(Unpooled.wrappedBuffer(new byte[16])));
    assertThat((Object) ch.readInbound()).isNull();
    assertThat(ch.isOpen()).isTrue();
    ch.writeInbound(
        post(2, "application/json"),
        new DefaultLastHttpContent(Unpooled.wrappedBuffer(new byte[] {'{', '}'})));
    FullHttpRequest ok = ch.readInbound();
    assertThat(ok.content().readableBytes()).isEqualTo(2);
    ok.release();
    assertFalse(ch.finishAndReleaseAll());
  }
}
