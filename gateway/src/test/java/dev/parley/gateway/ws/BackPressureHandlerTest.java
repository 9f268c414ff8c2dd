package dev.parley.gateway.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.parley.gateway.metrics.GatewayMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import org.junit.jupiter.api.Test;

class BackPressureHandlerTest {
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final Closer closer = new Closer(new GatewayMetrics(meters, () -> 0, () -> 0, () -> 0));

  @Test
  void stopsReadingWhileUnwritable() {
    EmbeddedChannel ch = new EmbeddedChannel(new BackPressureHandler(1_000, closer));
    ch.config().setWriteBufferWaterMark(new WriteBufferWaterMark(20, 40));
    ch.write(Unpooled.wrappedBuffer(new byte[50])); // queued, not flushed: above the high mark
    assertThat(ch.isWritable()).isFalse();
    assertThat(ch.config().isAutoRead()).isFalse();
    ch.flush();
    assertThat(ch.isWritable()).isTrue();
    assertThat(ch.config().isAutoRead()).isTrue();
    ((ByteBuf) ch.readOutbound()).release();
    assertFalse(ch.finishAndReleaseAll());
  }

  @Test
  void closesWith4003AboveTheLimit() {
    // Netty counts about 100 bytes of bookkeeping per queued message on top of its size.
    EmbeddedChannel ch = new EmbeddedChannel(new BackPressureHandler(1_000, closer));
    ch.config().setWriteBufferWaterMark(new WriteBufferWaterMark(200, 400));
    ch.write(Unpooled.wrappedBuffer(new byte[600]));
    assertThat(ch.isOpen()).isTrue();
    ch.write(Unpooled.wrappedBuffer(new byte[600]));
    assertThat(ch.isOpen()).isFalse();
    assertThat(Closer.closing(ch)).isTrue();
    assertThat(meters.counter("parley.gateway.closes", "code", "4003").count()).isEqualTo(1);
    ((ByteBuf) ch.readOutbound()).release();
    ((ByteBuf) ch.readOutbound()).release();
    CloseWebSocketFrame close = ch.readOutbound();
    assertThat(close.statusCode()).isEqualTo(4003);
    assertThat(close.reasonText()).isEqualTo("too slow");
    close.release();
    assertFalse(ch.finishAndReleaseAll());
  }
}
