package dev.parley.testkit.push;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.testkit.push.LocalHttpServer.Request;
import dev.parley.testkit.push.LocalHttpServer.Response;
import dev.parley.testkit.push.LocalHttpServer.Route;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;
import org.jspecify.annotations.Nullable;

/**
 * A local push service (RFC 8030) with the browsers subscribed to it. Each POST to a subscription's
 * endpoint is checked as a push service checks it (RFC 8292: a VAPID JWT signed ES256 by the key in
 * {@code k}, which must be the application server key the subscription was made with, for the
 * endpoint's origin, expiring within 24 hours, with a contact subject), then decrypted as the
 * browser does (RFC 8291, {@link BrowserSubscription}) and recorded. Answers per endpoint can be
 * scripted ({@link #answer}); everything else is accepted with 201.
 *
 * <p>The application server's VAPID key pair is generated here ({@link #vapidPublicKey}, {@link
 * #vapidPrivateKey}): the server under test is configured with it, as a real app server's browsers
 * subscribe with its public key.
 */
public final class LocalWebPush implements AutoCloseable {
  public static final String PATH = "/push/";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A subscription as the browser hands it to the app (PushSubscription.toJSON()). */
  public record Subscription(String endpoint, String p256dh, String auth) {}

  /**
   * One accepted push.
   *
   * @param payload the decrypted body, as the service worker's {@code event.data.json()}
   * @param vapid the claims of the VAPID JWT (aud, exp, sub)
   */
  public record Received(String endpoint, Request request, JsonNode payload, JsonNode vapid) {}

  private final LocalHttpServer server;
  private final KeyPair vapidKeys = P256.generate();
  private final Map<String, BrowserSubscription> browsers = new ConcurrentHashMap<>();
  private final Map<String, Queue<Route>> scripted = new ConcurrentHashMap<>();
  private final List<Received> received = new CopyOnWriteArrayList<>();

  /**
   * @param tls the certificate to present, e.g. {@code TestCertificates.serverContext()} (push
   *     services are https, and the server refuses other endpoints); null: plain http
   */
  public LocalWebPush(@Nullable SSLContext tls) {
    server = new LocalHttpServer(tls).route(PATH, this::push);
  }

  /** The application server's VAPID public key (push.providers.web-push.public-key). */
  public String vapidPublicKey() {
    return base64Url(BrowserSubscription.uncompressed((ECPublicKey) vapidKeys.getPublic()));
  }

  /** The application server's VAPID private key (push.providers.web-push.private-key). */
  public String vapidPrivateKey() {
    BigInteger s = ((ECPrivateKey) vapidKeys.getPrivate()).getS();
    byte[] b = s.toByteArray();
    byte[] scalar = new byte[32];
    int copy = Math.min(b.length, 32);
    System.arraycopy(b, b.length - copy, scalar, 32 - copy, copy);
    return base64Url(scalar);
  }

  /** A browser subscribes: a new endpoint on this service, with the browser's keys. */
  public Subscription subscribe() {
    BrowserSubscription browser = new BrowserSubscription();
    String endpoint = server.uri(PATH + UUID.randomUUID()).toString();
    browsers.put(endpoint, browser);
    return new Subscription(endpoint, browser.p256dh(), browser.auth());
  }

  /**
   * The next {@code times} pushes to this endpoint that pass the VAPID check are answered by the
   * route (404/410 for a subscription gone, 429 with Retry-After, a slow answer ...); later ones
   * are accepted again.
   */
  public LocalWebPush answer(String endpoint, Route route, int times) {
    Queue<Route> answers = scripted.computeIfAbsent(endpoint, e -> new ConcurrentLinkedQueue<>());
    for (int i = 0; i < times; i++) answers.add(route);
    return this;
  }

  /** The origin of the endpoints, {@code scheme://127.0.0.1:port}. */
  public String origin() {
    return server.uri("").toString();
  }

  /** The accepted pushes to one endpoint, in order. */
  public List<Received> receivedFor(String endpoint) {
    return received.stream().filter(r -> r.endpoint().equals(endpoint)).toList();
  }

  /** Every push request, accepted or not. */
  public List<Request> requests() {
    return server.requests();
  }

  /** Push requests to one endpoint, accepted or not. */
  public long requestsTo(String endpoint) {
    String path = java.net.URI.create(endpoint).getPath();
    return server.requests(path).size();
  }

  /** The checks that failed (a test asserts this is empty). */
  public List<Throwable> failures() {
    return server.failures();
  }

  private Response push(Request request) throws Exception {
    String endpoint = server.uri(request.path()).toString();
    BrowserSubscription browser = browsers.get(endpoint);
    if (browser == null) return Response.of(404);
    check("POST".equals(request.method()), "method POST");
    JsonNode claims = verifyVapid(request.header("Authorization"));
    Queue<Route> answers = scripted.get(endpoint);
    Route answer = answers == null ? null : answers.poll();
    if (answer != null) return answer.answer(request);
    check("aes128gcm".equals(request.header("Content-Encoding")), "Content-Encoding aes128gcm");
    check(!request.header("TTL").isEmpty(), "a TTL header");
    JsonNode payload = JSON.readTree(browser.decrypt(request.body()));
    received.add(new Received(endpoint, request, payload, claims));
    return Response.of(201);
  }

  /** RFC 8292: {@code vapid t=<JWT>, k=<public key>}; ES256 by that key, aud, exp, sub. */
  private JsonNode verifyVapid(String authorization) throws Exception {
    check(authorization.startsWith("vapid "), "Authorization: vapid");
    Map<String, String> params = new HashMap<>();
    for (String part : authorization.substring(6).split(",")) {
      String[] kv = part.trim().split("=", 2);
      if (kv.length == 2) params.put(kv[0], kv[1]);
    }
    check(vapidPublicKey().equals(params.get("k")), "k is the subscription's server key");
    String[] jwt = String.valueOf(params.get("t")).split("\\.");
    check(jwt.length == 3, "a JWT");
    Base64.Decoder b64 = Base64.getUrlDecoder();
    check("ES256".equals(JSON.readTree(b64.decode(jwt[0])).path("alg").asText()), "alg ES256");
    Signature es256 = Signature.getInstance("SHA256withECDSAinP1363Format");
    es256.initVerify(vapidKeys.getPublic());
    es256.update((jwt[0] + "." + jwt[1]).getBytes(StandardCharsets.US_ASCII));
    check(es256.verify(b64.decode(jwt[2])), "signed by the server key");
    JsonNode claims = JSON.readTree(b64.decode(jwt[1]));
    check(origin().equals(claims.path("aud").asText()), "aud is the endpoint's origin");
    String sub = claims.path("sub").asText();
    check(sub.startsWith("mailto:") || sub.startsWith("https:"), "sub is a contact");
    long exp = claims.path("exp").asLong();
    long now = System.currentTimeMillis() / 1000;
    check(exp > now && exp <= now + 24 * 3600, "exp in the next 24 hours");
    return claims;
  }

  private static void check(boolean ok, String what) throws GeneralSecurityException {
    if (!ok) throw new GeneralSecurityException("push service check failed: " + what);
  }

  private static String base64Url(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  @Override
  public void close() {
    server.close();
  }
}
