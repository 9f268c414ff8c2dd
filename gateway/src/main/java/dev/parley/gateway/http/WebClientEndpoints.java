package dev.parley.gateway.http;

import static com.google.common.util.concurrent.Futures.immediateFuture;

import dev.parley.web.WebFile;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Serves the web client ({@code dev.parley.web}) at {@code /}: the entry page, revalidated on every
 * load ({@code no-cache} with an ETag, answered 304 when unchanged), and the content-hashed assets,
 * cached for a year as immutable.
 *
 * <p>Every answer carries a strict Content-Security-Policy: scripts and styles only from this
 * origin (the client has no inline script or style), network access only to this origin and its
 * WebSocket, no framing, no plugins. The WebSocket source is the request's own Host, as the client
 * connects back to the host it was loaded from (a Host with characters outside a host name's is
 * left out of the policy, so a forged header cannot widen it). Pictures and file uploads go to the
 * object store's presigned URLs, on another origin: the configured media origins are added to
 * {@code img-src} and {@code connect-src}, and nothing else.
 */
public final class WebClientEndpoints {
  static final String IMMUTABLE = "public, max-age=31536000, immutable";
  static final String REVALIDATE = "no-cache";
  private static final Pattern SAFE_HOST =
      Pattern.compile("[A-Za-z0-9.\\-]+(:\\d{1,5})?|\\[[0-9A-Fa-f:.]+\\](:\\d{1,5})?");
  private static final Pattern ORIGIN = Pattern.compile("https?://(" + SAFE_HOST.pattern() + ")");

  private WebClientEndpoints() {}

  /**
   * @param mediaOrigins where presigned URLs point ({@code scheme://host[:port]} each)
   * @throws IllegalArgumentException for a media origin that is not one
   */
  public static Map<String, HttpRoute> routes(List<WebFile> files, List<String> mediaOrigins) {
    for (String o : mediaOrigins) {
      if (!ORIGIN.matcher(o).matches())
        throw new IllegalArgumentException(
            "gateway.web-media-origins: not an origin (scheme://host[:port]): " + o);
    }
    String media = mediaOrigins.stream().map(o -> " " + o).collect(Collectors.joining());
    Map<String, HttpRoute> routes = new HashMap<>();
    for (WebFile f : files) {
      HttpRoute route =
          new HttpRoute(HttpMethod.GET, (req, ip) -> immediateFuture(serve(f, req, media)));
      routes.put(f.path(), route);
      if (f.path().equals("/")) routes.put("/index.html", route);
    }
    return Map.copyOf(routes);
  }

  static HttpReply serve(WebFile f, FullHttpRequest req, String media) {
    String host = req.headers().get(HttpHeaderNames.HOST);
    boolean unchanged = f.etag().equals(req.headers().get(HttpHeaderNames.IF_NONE_MATCH));
    HttpReply reply =
        unchanged
            ? new HttpReply(HttpResponseStatus.NOT_MODIFIED, f.contentType(), new byte[0])
            : new HttpReply(HttpResponseStatus.OK, f.contentType(), f.body());
    return reply
        .withHeader(
            HttpHeaderNames.CACHE_CONTROL.toString(), f.immutable() ? IMMUTABLE : REVALIDATE)
        .withHeader(HttpHeaderNames.ETAG.toString(), f.etag())
        .withHeader("Content-Security-Policy", contentSecurityPolicy(host, media))
        .withHeader("X-Content-Type-Options", "nosniff")
        .withHeader("Referrer-Policy", "no-referrer")
        .withHeader("X-Frame-Options", "DENY");
  }

  /** media: the media origins, each preceded by a space. */
  static String contentSecurityPolicy(@Nullable String host, String media) {
    String ws =
        host != null && SAFE_HOST.matcher(host).matches() ? " ws://" + host + " wss://" + host : "";
    return "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:"
        + media
        + "; connect-src 'self'"
        + ws
        + media
        + "; manifest-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
  }
}
