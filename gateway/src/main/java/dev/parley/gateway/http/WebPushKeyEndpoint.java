package dev.parley.gateway.http;

import static com.google.common.util.concurrent.Futures.immediateFuture;

import dev.parley.common.error.ErrorCodes;
import dev.parley.gateway.codec.Encoding;
import dev.parley.proto.client.Error.Reason;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * {@code GET /api/v1/push/web-push-key}: the VAPID public key a browser subscribes with ({@code
 * applicationServerKey}, protocol §5.5). It is public by nature (every subscription carries it), so
 * the call needs no token. The key is read at each request because the push role may make it known
 * after the gateway started; until then, or when Web Push is off, the answer is {@code NOT_FOUND}.
 */
public final class WebPushKeyEndpoint {
  public static final String PATH = "/api/v1/push/web-push-key";

  private WebPushKeyEndpoint() {}

  /**
   * @param key the base64url public key, or null while this server sends no Web Push
   */
  public static Map<String, HttpRoute> routes(Supplier<@Nullable String> key) {
    return Map.of(
        PATH, new HttpRoute(HttpMethod.GET, (req, ip) -> immediateFuture(answer(key.get()))));
  }

  static HttpReply answer(@Nullable String key) {
    if (key == null) {
      return HttpReply.error(
          HttpResponseStatus.NOT_FOUND,
          ErrorCodes.error(Reason.NOT_FOUND, "Web Push is not configured on this server"),
          Encoding.JSON);
    }
    // base64url needs no JSON escaping.
    byte[] body = ("{\"publicKey\":\"" + key + "\"}").getBytes(StandardCharsets.UTF_8);
    return new HttpReply(HttpResponseStatus.OK, Encoding.JSON.contentType(), body);
  }
}
