package dev.parley.push.provider.webpush;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.interaso.webpush.VapidKeys;
import com.interaso.webpush.WebPush;
import dev.parley.push.provider.CollapseKeys;
import dev.parley.push.provider.ProviderGate;
import dev.parley.push.provider.ProviderHttp;
import dev.parley.push.provider.PushNotification;
import dev.parley.push.provider.PushOutcome;
import dev.parley.push.provider.PushProvider;
import dev.parley.push.provider.PushTarget;
import dev.parley.push.provider.RetryAfter;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Sends to browsers through their push services (RFC 8030): the payload ({@link WebPushPayload})
 * encrypted for the subscription (RFC 8291, aes128gcm), a VAPID token (RFC 8292) for the push
 * service's origin, {@code TTL}, {@code Urgency} and {@code Topic} (the collapse key, hashed to the
 * 32 characters a topic may have), one POST to the subscription's endpoint. Encryption and signing
 * are {@code com.interaso:webpush} (JDK crypto); the request is the JDK's HTTP client.
 *
 * <p>The endpoint comes from a client, so it is checked before anything is sent: https only (unless
 * configured for local tests), every address the host resolves to public ({@link
 * EndpointAddresses}, unless configured for local tests), no redirects followed.
 */
public final class WebPushProvider implements PushProvider<PushTarget.WebPush> {
  /**
   * A VAPID token is reused for this long per push service. It is valid for 12 hours (RFC 8292
   * allows up to 24); signing one per push would cost an ECDSA signature per notification.
   */
  private static final Duration TOKEN_REUSE = Duration.ofHours(1);

  private static final int TOKEN_LIFETIME_SECONDS = 12 * 3600;

  /** Bounds the token cache: audiences are push services (a handful) unless clients lie. */
  private static final int MAX_AUDIENCES = 1000;

  private record Token(String jwt, Instant made) {}

  private final WebPush webPush;
  private final VapidKeys keys;
  private final boolean allowHttp;
  private final boolean allowPrivate;
  private final Duration timeout;
  private final Clock clock;
  private final ObjectMapper json = new ObjectMapper();
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final HttpClient http;
  private final ProviderGate gate;
  private final Map<String, Token> tokens = new ConcurrentHashMap<>();

  /**
   * @param keys the server's VAPID key pair ({@link VapidKeyFile#resolve})
   */
  public WebPushProvider(
      WebPushConfig config, VapidKeys keys, MeterRegistry registry, Clock clock) {
    String subject = config.subject().trim();
    if (!subject.startsWith("mailto:") && !subject.startsWith("https://")) {
      throw new IllegalArgumentException(
          "push.providers.web-push.subject must be a mailto: or https: URL (how push services"
              + " reach the operator)");
    }
    this.webPush = new WebPush(subject, keys);
    this.keys = keys;
    this.allowHttp = config.allowHttpEndpoints();
    this.allowPrivate = config.allowPrivateEndpoints();
    this.timeout = config.timeout();
    this.clock = clock;
    this.http = ProviderHttp.client(timeout, executor, config.trustedCertificatesFile());
    this.gate =
        new ProviderGate(name(), config.maxInFlight(), config.maxWaiting(), executor, registry);
  }

  @Override
  public String name() {
    return "webpush";
  }

  /** The VAPID public key browsers subscribe with ({@code applicationServerKey}), base64url. */
  public String applicationServerKey() {
    return VapidKeyFile.publicKey(keys);
  }

  @Override
  public CompletableFuture<PushOutcome> send(PushTarget.WebPush target, PushNotification n) {
    return gate.submit(() -> attempt(target, n));
  }

  private CompletableFuture<PushOutcome> attempt(PushTarget.WebPush target, PushNotification n) {
    URI endpoint;
    try {
      endpoint = URI.create(target.endpoint());
    } catch (IllegalArgumentException e) {
      return done(new PushOutcome.InvalidTarget("endpoint-malformed"));
    }
    String scheme = endpoint.getScheme();
    boolean https = "https".equals(scheme);
    if (endpoint.getHost() == null || !(https || (allowHttp && "http".equals(scheme)))) {
      return done(new PushOutcome.InvalidTarget("endpoint-not-https"));
    }
    if (!allowPrivate) {
      PushOutcome refused = EndpointAddresses.refusal(endpoint.getHost());
      if (refused != null) return done(refused);
    }
    byte[] plain = WebPushPayload.json(json, n);
    if (plain.length > WebPushPayload.MAX_BYTES) {
      return done(new PushOutcome.PermanentFailure("payload-too-large"));
    }
    byte[] body;
    try {
      byte[] p256dh = Base64.getUrlDecoder().decode(target.p256dh().trim());
      byte[] auth = Base64.getUrlDecoder().decode(target.auth().trim());
      if (p256dh.length != 65 || p256dh[0] != 4 || auth.length != 16) {
        return done(new PushOutcome.InvalidTarget("subscription-keys"));
      }
      body = webPush.getBody(plain, p256dh, auth);
    } catch (Exception e) {
      // Not base64url, or not a point on P-256 (the library throws the JDK's checked exceptions
      // undeclared, hence Exception): the subscription can never be encrypted for.
      return done(new PushOutcome.InvalidTarget("subscription-keys"));
    }
    String collapseKey = n.collapseKey();
    String topic = collapseKey == null ? null : CollapseKeys.hashed(collapseKey, 32);
    WebPush.Urgency urgency =
        n.priority() == PushNotification.Priority.HIGH
            ? WebPush.Urgency.High
            : WebPush.Urgency.Normal;
    int ttl = (int) Math.min(Integer.MAX_VALUE, n.ttl().toSeconds());
    Map<String, String> headers =
        webPush.getHeadersWithToken(
            token(webPush.getAudience(target.endpoint())), ttl, topic, urgency);

    HttpRequest.Builder request =
        HttpRequest.newBuilder(endpoint)
            .version(ProviderHttp.version(endpoint))
            .timeout(timeout)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach(request::header);
    return http.sendAsync(request.build(), HttpResponse.BodyHandlers.discarding())
        .thenApply(
            response ->
                WebPushResponses.classify(
                    response.statusCode(),
                    RetryAfter.parse(response.headers().firstValue("Retry-After"), clock)
                        .orElse(null)));
  }

  /** A VAPID JWT for the push service at {@code audience}, reused for {@link #TOKEN_REUSE}. */
  private String token(String audience) {
    Instant now = clock.instant();
    Token cached = tokens.get(audience);
    if (cached != null) {
      Duration age = Duration.between(cached.made(), now);
      if (!age.isNegative() && age.compareTo(TOKEN_REUSE) < 0) return cached.jwt();
    }
    if (tokens.size() >= MAX_AUDIENCES) tokens.clear();
    Token made = new Token(webPush.getToken(audience, TOKEN_LIFETIME_SECONDS), now);
    tokens.put(audience, made);
    return made.jwt();
  }

  private static CompletableFuture<PushOutcome> done(PushOutcome outcome) {
    return CompletableFuture.completedFuture(outcome);
  }

  @Override
  public void close() {
    http.shutdownNow();
    executor.shutdownNow();
  }
}
