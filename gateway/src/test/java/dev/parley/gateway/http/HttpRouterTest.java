package dev.parley.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.SettableFuture;
import com.google.protobuf.util.JsonFormat;
import dev.parley.proto.client.Error;
import dev.parley.proto.client.Error.Reason;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class HttpRouterTest {
  private final AtomicBoolean ready = new AtomicBoolean(true);
  private final SettableFuture<HttpReply> slow = SettableFuture.create();

  private EmbeddedChannel channel() {
    Map<String, HttpRoute> routes = new HashMap<>(HealthEndpoints.routes(ready::get));
    routes.put("/slow", new HttpRoute(HttpMethod.POST, (req, ip) -> slow));
    routes.put(
        "/broken",
        new HttpRoute(
            HttpMethod.GET,
            (req, ip) -> Futures.immediateFailedFuture(new IllegalStateException("bug"))));
    return new EmbeddedChannel(new HttpRouter(routes, "/ws"));
  }

  private static FullHttpRequest request(HttpMethod method, String uri) {
    return new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, uri);
  }

  private static String body(FullHttpResponse r) {
    return r.content().toString(StandardCharsets.UTF_8);
  }

  private static Error error(FullHttpResponse r) throws Exception {
    Error.Builder e = Error.newBuilder();
    JsonFormat.parser().merge(body(r), e);
    return e.build();
  }

  @Test
  void healthAndReadiness() {
    EmbeddedChannel ch = channel();
    ch.writeInbound(request(HttpMethod.GET, "/healthz"));
    FullHttpResponse health = ch.readOutbound();
    assertThat(health.status()).isEqualTo(HttpResponseStatus.OK);
    assertThat(body(health)).isEqualTo("ok");
    health.release();

    ready.set(false);
    ch.writeInbound(request(HttpMethod.GET, "/readyz?verbose=1"));
    FullHttpResponse notReady = ch.readOutbound();
    assertThat(notReady.status()).isEqualTo(HttpResponseStatus.SERVICE_UNAVAILABLE);
    assertThat(body(notReady)).isEqualTo("not ready");
    notReady.release();

    assertFalse(ch.finishAndReleaseAll());
  }

  @Test
  void headIsAGetWithoutTheBody() {
    EmbeddedChannel ch = channel();
    ch.writeInbound(request(HttpMethod.HEAD, "/healthz"));
    FullHttpResponse head = ch.readOutbound();
    assertThat(head.status()).isEqualTo(HttpResponseStatus.OK);
    assertThat(head.headers().get(HttpHeaderNames.CONTENT_LENGTH)).isEqualTo("2"); // "ok"
    assertThat(head.content().readableBytes()).isZero();
    head.release();

    ch.writeInbound(request(HttpMethod.HEAD, "/slow")); // a POST route
    FullHttpResponse notAllowed = ch.readOutbound();
    assertThat(notAllowed.status()).isEqualTo(HttpResponseStatus.METHOD_NOT_ALLOWED);
    assertThat(notAllowed.headers().get(HttpHeaderNames.ALLOW)).isEqualTo("POST");
    notAllowed.release();
    assertFalse(ch.finishAndReleaseAll());
  }

  @Test
  void unknownPathAndWrongMethod() throws Exception {
    EmbeddedChannel ch = channel();
    ch.writeInbound(request(HttpMethod.GET, "/nope"));
    FullHttpResponse missing = ch.readOutbound();
    assertThat(missing.status()).isEqualTo(HttpResponseStatus.NOT_FOUND);
    assertThat(error(missing).getReason()).isEqualTo(Reason.NOT_FOUND);
    missing.release();

    ch.writeInbound(request(HttpMethod.DELETE, "/healthz"));
    FullHttpResponse wrong = ch.readOutbound();
    assertThat(wrong.status()).isEqualTo(HttpResponseStatus.METHOD_NOT_ALLOWED);
    assertThat(wrong.headers().get(HttpHeaderNames.ALLOW)).isEqualTo("GET, HEAD");
    wrong.release();

    ch.writeInbound(request(HttpMethod.POST, "/ws"));
    FullHttpResponse postWs = ch.readOutbound();
    assertThat(postWs.status()).isEqualTo(HttpResponseStatus.METHOD_NOT_ALLOWED);
    postWs.release();

    ch.writeInbound(request(HttpMethod.GET, "/broken"));
    FullHttpResponse broken = ch.readOutbound();
    assertThat(broken.status()).isEqualTo(HttpResponseStatus.INTERNAL_SERVER_ERROR);
    broken.release();
    assertFalse(ch.finishAndReleaseAll());
  }

  @Test
  void webSocketUpgradesPassThroughUntouched() {
    EmbeddedChannel ch = channel();
    FullHttpRequest upgrade = request(HttpMethod.GET, "/ws");
    ch.writeInbound(upgrade);
    assertThat((Object) ch.readInbound()).isSameAs(upgrade);
    assertThat(upgrade.refCnt()).isEqualTo(1);
    upgrade.release();
    assertFalse(ch.finishAndReleaseAll());
  }

  @Test
  void pipelinedRequestsAreAnsweredInOrder() {
    EmbeddedChannel ch = channel();
    ch.writeInbound(request(HttpMethod.POST, "/slow"), request(HttpMethod.GET, "/healthz"));
    assertThat((Object) ch.readOutbound()).isNull();
    assertThat(ch.config().isAutoRead()).isFalse();

    slow.set(HttpReply.text(HttpResponseStatus.ACCEPTED, "slow"));
    ch.runPendingTasks();
    FullHttpResponse first = ch.readOutbound();
    FullHttpResponse second = ch.readOutbound();
    assertThat(body(first)).isEqualTo("slow");
    assertThat(body(second)).isEqualTo("ok");
    first.release();
    second.release();
    assertThat(ch.config().isAutoRead()).isTrue();
    assertFalse(ch.finishAndReleaseAll());
  }

  @Test
  void queuedRequestsAreReleasedWhenTheConnectionCloses() {
    EmbeddedChannel ch = channel();
    FullHttpRequest queued = request(HttpMethod.GET, "/healthz");
    ch.writeInbound(request(HttpMethod.POST, "/slow"), queued);
    ch.close();
    assertThat(queued.refCnt()).isZero();
    slow.set(HttpReply.text(HttpResponseStatus.OK, "late"));
    ch.runPendingTasks();
    assertFalse(ch.finishAndReleaseAll());
  }
}
