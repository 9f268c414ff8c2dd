package dev.parley.gateway.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.parley.gateway.codec.Encoding;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WebSocketGateTest {
  private final AtomicInteger open = new AtomicInteger();
  private final AtomicBoolean shuttingDown = new AtomicBoolean();
  private final List<Encoding> installed = new ArrayList<>();

  private EmbeddedChannel channel() {
    return new EmbeddedChannel(
        new WebSocketGate(
            new OriginPolicy(List.of()), open, shuttingDown::get, (ch, e) -> installed.add(e)));
  }

  private static FullHttpRequest upgrade(String origin, String subprotocols) {
    FullHttpRequest r = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/ws");
    r.headers()
        .set(HttpHeaderNames.HOST, "chat.example.com")
        .set(HttpHeaderNames.UPGRADE, "websocket");
    if (origin != null) r.headers().set(HttpHeaderNames.ORIGIN, origin);
    if (subprotocols != null) r.headers().set(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL, subprotocols);
    return r;
  }

  @Test
  void acceptedUpgradeTakesASlotAndMovesOn() {
    EmbeddedChannel ch = channel();
    FullHttpRequest req =
        upgrade("https://chat.example.com", "other, parley.v2.protobuf, parley.v2.json");
    ch.writeInbound(req);
    assertThat((Object) ch.readInbound()).isSameAs(req);
    assertThat(req.release()).isTrue();
    assertThat(installed).containsExactly(Encoding.PROTOBUF);
    assertThat(open).hasValue(1);
    assertFalse(ch.finishAndReleaseAll());
    assertThat(open).hasValue(0); // given back on close
  }

  @Test
  void refusesForeignOriginsWith403() {
    EmbeddedChannel ch = channel();
    ch.writeInbound(upgrade("https://evil.example", null));
    FullHttpResponse r = ch.readOutbound();
    assertThat(r.status().code()).isEqualTo(403);
    assertThat(r.content().toString(java.nio.charset.StandardCharsets.UTF_8))
        .contains("PERMISSION_DENIED");
    r.release();
    assertThat(ch.isOpen()).isFalse();
    assertThat(open).hasValue(0);
    assertFalse(ch.finishAndReleaseAll());
  }

  @Test
  void refusesWhileShuttingDownWith503() {
    shuttingDown.set(true);
    EmbeddedChannel closing = channel();
    closing.writeInbound(upgrade(null, null));
    FullHttpResponse r2 = closing.readOutbound();
    assertThat(r2.status().code()).isEqualTo(503);
    r2.release();
    assertFalse(closing.finishAndReleaseAll());
    assertThat(installed).isEmpty();
  }

  @Test
  void refusesClientsThatSpeakOnlyRetiredProtocolVersions() {
    EmbeddedChannel ch = channel();
    ch.writeInbound(upgrade(null, "parley.v1.json"));
    FullHttpResponse r = ch.readOutbound();
    assertThat(r.status().code()).isEqualTo(400);
    assertThat(r.content().toString(java.nio.charset.StandardCharsets.UTF_8))
        .contains("UNSUPPORTED_PROTOCOL_VERSION");
    r.release();
    assertThat(open).hasValue(0);
    assertFalse(ch.finishAndReleaseAll());

    assertThat(WebSocketGate.onlyRetiredVersions("parley.v1.protobuf, parley.v1.json")).isTrue();
    assertThat(WebSocketGate.onlyRetiredVersions("parley.v1.json, parley.v2.json")).isFalse();
    assertThat(WebSocketGate.onlyRetiredVersions("mqtt")).isFalse();
    assertThat(WebSocketGate.onlyRetiredVersions(null)).isFalse();
  }

  @Test
  void plainGetIsABadRequest() {
    EmbeddedChannel ch = channel();
    ch.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/ws"));
    FullHttpResponse r = ch.readOutbound();
    assertThat(r.status().code()).isEqualTo(400);
    r.release();
    assertFalse(ch.finishAndReleaseAll());
  }

  @Test
  void negotiatesLikeNettysHandshaker() {
    assertThat(WebSocketGate.negotiate(null)).isEqualTo(Encoding.JSON);
    assertThat(WebSocketGate.negotiate("parley.v2.protobuf")).isEqualTo(Encoding.PROTOBUF);
    assertThat(WebSocketGate.negotiate("parley.v2.json, parley.v2.protobuf"))
        .isEqualTo(Encoding.JSON);
    assertThat(WebSocketGate.negotiate("mqtt")).isEqualTo(Encoding.JSON);
  }
}
