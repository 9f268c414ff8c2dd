package dev.parley.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.web.WebFile;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WebClientEndpointsTest {
  private static final WebFile INDEX =
      new WebFile(
          "/", "text/html; charset=utf-8", "<p>".getBytes(StandardCharsets.UTF_8), false, "\"i1\"");
  private static final WebFile ASSET =
      new WebFile(
          "/assets/js/main.0123456789ab.js",
          "text/javascript; charset=utf-8",
          "x".getBytes(StandardCharsets.UTF_8),
          true,
          "\"a1\"");

  private static FullHttpRequest get(String path, String host) {
    FullHttpRequest r = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, path);
    r.headers().set("Host", host);
    return r;
  }

  private static HttpReply serve(WebFile f, FullHttpRequest req) throws Exception {
    Map<String, HttpRoute> routes = WebClientEndpoints.routes(List.of(INDEX, ASSET), List.of());
    try {
      return routes.get(f.path()).endpoint().handle(req, "127.0.0.1").get();
    } finally {
      req.release();
    }
  }

  @Test
  void theEntryPageIsRevalidatedAndTheAssetsAreImmutable() throws Exception {
    HttpReply index = serve(INDEX, get("/", "chat.example.com"));
    assertThat(index.status()).isEqualTo(HttpResponseStatus.OK);
    assertThat(index.contentType()).isEqualTo("text/html; charset=utf-8");
    assertThat(index.headers())
        .containsEntry("cache-control", "no-cache")
        .containsEntry("etag", "\"i1\"");
    HttpReply asset = serve(ASSET, get(ASSET.path(), "chat.example.com"));
    assertThat(asset.headers())
        .containsEntry("cache-control", "public, max-age=31536000, immutable")
        .containsEntry("X-Content-Type-Options", "nosniff");
  }

  @Test
  void indexHtmlIsTheEntryPageToo() {
    assertThat(WebClientEndpoints.routes(List.of(INDEX, ASSET), List.of()))
        .containsKeys("/", "/index.html", ASSET.path());
  }

  @Test
  void anUnchangedEntryPageIsAnswered304() throws Exception {
    FullHttpRequest req = get("/", "chat.example.com");
    req.headers().set("If-None-Match", "\"i1\"");
    HttpReply r = serve(INDEX, req);
    assertThat(r.status()).isEqualTo(HttpResponseStatus.NOT_MODIFIED);
    assertThat(r.body()).isEmpty();
  }

  @Test
  void thePolicyAllowsOnlyThisOriginAndItsWebSocket() throws Exception {
    String csp =
        serve(INDEX, get("/", "chat.example.com:8080")).headers().get("Content-Security-Policy");
    assertThat(csp)
        .contains("default-src 'none'")
        .contains("script-src 'self';")
        .contains("style-src 'self';")
        .contains("connect-src 'self' ws://chat.example.com:8080 wss://chat.example.com:8080;")
        .contains("frame-ancestors 'none'")
        .doesNotContain("unsafe");
  }

  @Test
  void aForgedHostDoesNotWidenThePolicy() throws Exception {
    String csp =
        serve(INDEX, get("/", "evil.com; script-src *")).headers().get("Content-Security-Policy");
    assertThat(csp).contains("connect-src 'self';").doesNotContain("evil");
  }

  @Test
  void theObjectStoreMayServePicturesAndTakeUploads() throws Exception {
    FullHttpRequest req = get("/", "chat.example.com");
    HttpReply reply =
        WebClientEndpoints.routes(List.of(INDEX), List.of("http://127.0.0.1:41283"))
            .get("/")
            .endpoint()
            .handle(req, "127.0.0.1")
            .get();
    req.release();
    assertThat(reply.headers().get("Content-Security-Policy"))
        .contains("img-src 'self' data: blob: http://127.0.0.1:41283;")
        .contains(
            "connect-src 'self' ws://chat.example.com wss://chat.example.com"
                + " http://127.0.0.1:41283;")
        .doesNotContain("script-src 'self' http");
  }

  @Test
  void aMediaOriginThatIsNotOneStopsTheStart() {
    for (String bad :
        List.of("files.example.com", "https://files.example.com/path", "https://x; script-src *")) {
      assertThatThrownBy(() -> WebClientEndpoints.routes(List.of(INDEX), List.of(bad)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("gateway.web-media-origins");
    }
  }
}
