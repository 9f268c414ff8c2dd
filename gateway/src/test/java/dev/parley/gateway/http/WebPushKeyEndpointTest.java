package dev.parley.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class WebPushKeyEndpointTest {
  private final AtomicReference<@Nullable String> key = new AtomicReference<>();

  private HttpReply get() throws Exception {
    HttpRoute route = WebPushKeyEndpoint.routes(key::get).get(WebPushKeyEndpoint.PATH);
    assertThat(route.method()).isEqualTo(HttpMethod.GET);
    FullHttpRequest req =
        new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, WebPushKeyEndpoint.PATH);
    try {
      return route.endpoint().handle(req, "127.0.0.1").get();
    } finally {
      req.release();
    }
  }

  @Test
  void withoutWebPushTheKeyIsNotFound() throws Exception {
    HttpReply reply = get();
    assertThat(reply.status()).isEqualTo(HttpResponseStatus.NOT_FOUND);
    assertThat(reply.contentType()).isEqualTo("application/json");
    assertThat(new String(reply.body(), StandardCharsets.UTF_8))
        .contains("\"reason\":\"NOT_FOUND\"")
        .contains("Web Push is not configured");
  }

  @Test
  void theKeyIsReadAtEachRequest() throws Exception {
    assertThat(get().status()).isEqualTo(HttpResponseStatus.NOT_FOUND);
    key.set("BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQ");
    HttpReply reply = get();
    assertThat(reply.status()).isEqualTo(HttpResponseStatus.OK);
    assertThat(new String(reply.body(), StandardCharsets.UTF_8))
        .isEqualTo("{\"publicKey\":\"BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQ\"}");
  }
}
