package dev.parley.testkit.push;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.testkit.push.LocalHttpServer.Request;
import dev.parley.testkit.push.LocalHttpServer.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * A local Google: the OAuth token endpoint of a service account (it verifies that the JWT-bearer
 * grant is signed, RS256, by the account's key) and the FCM HTTP v1 send endpoint (it checks the
 * bearer token it issued and records each accepted message). Answers per registration token can be
 * scripted with FCM's real error bodies ({@link #refuse}); everything else is accepted.
 */
public final class LocalFcm implements AutoCloseable {
  public static final String PROJECT = "parley-test";
  public static final String SEND = "/v1/projects/" + PROJECT + "/messages:send";
  public static final String EMAIL = "push@parley-test.iam.gserviceaccount.com";
  private static final String FCM_ERROR = "type.googleapis.com/google.firebase.fcm.v1.FcmError";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final KeyPair account;
  private final LocalHttpServer server;
  private final AtomicInteger issued = new AtomicInteger();
  private final Set<String> validTokens = ConcurrentHashMap.newKeySet();
  private final Map<String, List<Response>> scripted = new ConcurrentHashMap<>();
  private final List<JsonNode> accepted = new CopyOnWriteArrayList<>();
  private volatile @Nullable Response everyAnswer;

  public LocalFcm() {
    try {
      KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
      rsa.initialize(2048);
      account = rsa.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
    server = new LocalHttpServer().route("/token", this::token).route(SEND, this::send);
  }

  /** Where the FCM API is (push.providers.fcm.base-url). */
  public String baseUrl() {
    return server.uri("").toString();
  }

  /**
   * Writes a service-account key file like the Firebase console's, whose token_uri is this server
   * (push.providers.fcm.credentials-file).
   */
  public Path writeServiceAccount(Path dir) {
    return writeServiceAccount(dir, account.getPrivate(), server.uri("/token").toString());
  }

  /**
   * Writes a service-account key file like the Firebase console's for project {@link #PROJECT} and
   * account {@link #EMAIL}, with any key and token endpoint (a test playing Google itself).
   */
  public static Path writeServiceAccount(Path dir, PrivateKey key, String tokenUri) {
    String pem =
        "-----BEGIN PRIVATE KEY-----\n"
            + Base64.getMimeEncoder().encodeToString(key.getEncoded())
            + "\n-----END PRIVATE KEY-----\n";
    Map<String, String> json = new HashMap<>();
    json.put("type", "service_account");
    json.put("project_id", PROJECT);
    json.put("private_key_id", "key-1");
    json.put("private_key", pem);
    json.put("client_email", EMAIL);
    json.put("client_id", "1234567890");
    json.put("token_uri", tokenUri);
    try {
      Path file = dir.resolve("service-account.json");
      Files.writeString(file, JSON.writeValueAsString(json));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The next sends to this registration token are answered with an FCM error, in order, one per
   * send; later sends are accepted again.
   *
   * @param retryAfter seconds for a Retry-After header; null for none
   */
  public LocalFcm refuse(
      String token, int status, String fcmCode, @Nullable Integer retryAfter, int times) {
    Response r = error(status, statusName(status), "refused by the test", fcmCode);
    if (retryAfter != null) r = r.withHeader("Retry-After", Integer.toString(retryAfter));
    List<Response> answers = scripted.computeIfAbsent(token, t -> new CopyOnWriteArrayList<>());
    for (int i = 0; i < times; i++) answers.add(r);
    return this;
  }

  /** Every send is answered 503 (FCM is down) until {@link #up}. */
  public void down() {
    everyAnswer = error(503, "UNAVAILABLE", "The service is currently unavailable.", "UNAVAILABLE");
  }

  public void up() {
    everyAnswer = null;
  }

  /** The messages accepted so far (the {@code message} object of each request), in order. */
  public List<JsonNode> accepted() {
    return List.copyOf(accepted);
  }

  /** The accepted messages to one registration token. */
  public List<JsonNode> acceptedFor(String token) {
    return accepted.stream().filter(m -> m.path("token").asText().equals(token)).toList();
  }

  /** Every send request, accepted or not. */
  public List<Request> sendRequests() {
    return server.requests(SEND);
  }

  /** Sends to one registration token, accepted or not. */
  public long sendsTo(String token) {
    return sendRequests().stream().filter(r -> token.equals(tokenOf(r))).count();
  }

  /** The checks that failed inside the endpoints (a test asserts this is empty). */
  public List<Throwable> failures() {
    return server.failures();
  }

  private static @Nullable String tokenOf(Request r) {
    try {
      return JSON.readTree(r.body()).path("message").path("token").asText();
    } catch (IOException e) {
      return null;
    }
  }

  /** The OAuth token endpoint: a JWT-bearer grant signed (RS256) by the service account's key. */
  private Response token(Request request) throws Exception {
    Map<String, String> form = new HashMap<>();
    for (String pair : request.text().split("&")) {
      String[] kv = pair.split("=", 2);
      form.put(kv[0], URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
    }
    check(
        "urn:ietf:params:oauth:grant-type:jwt-bearer".equals(form.get("grant_type")), "grant_type");
    String[] jwt = String.valueOf(form.get("assertion")).split("\\.");
    Base64.Decoder b64 = Base64.getUrlDecoder();
    JsonNode header = JSON.readTree(b64.decode(jwt[0]));
    check("RS256".equals(header.path("alg").asText()), "alg RS256");
    Signature rs256 = Signature.getInstance("SHA256withRSA");
    rs256.initVerify(account.getPublic());
    rs256.update((jwt[0] + "." + jwt[1]).getBytes(StandardCharsets.US_ASCII));
    check(rs256.verify(b64.decode(jwt[2])), "grant signed by the account's key");
    JsonNode claims = JSON.readTree(b64.decode(jwt[1]));
    check(EMAIL.equals(claims.path("iss").asText()), "iss");
    String token = "token-" + issued.incrementAndGet();
    validTokens.add(token);
    return Response.json(
        200, "{\"access_token\":\"" + token + "\",\"expires_in\":3600,\"token_type\":\"Bearer\"}");
  }

  private Response send(Request request) throws Exception {
    String bearer = request.header("Authorization").replaceFirst("^Bearer ", "");
    if (!validTokens.contains(bearer)) {
      return Response.json(
          401,
          "{\"error\":{\"code\":401,\"message\":\"Request had invalid authentication"
              + " credentials.\",\"status\":\"UNAUTHENTICATED\"}}");
    }
    Response every = everyAnswer;
    if (every != null) return every;
    JsonNode message = JSON.readTree(request.body()).path("message");
    List<Response> answers = scripted.get(message.path("token").asText());
    if (answers != null && !answers.isEmpty()) return answers.remove(0);
    accepted.add(message);
    return Response.json(200, "{\"name\":\"projects/" + PROJECT + "/messages/1\"}");
  }

  private static void check(boolean ok, String what) {
    if (!ok) throw new IllegalStateException("OAuth grant check failed: " + what);
  }

  private static String statusName(int status) {
    return switch (status) {
      case 400 -> "INVALID_ARGUMENT";
      case 404 -> "NOT_FOUND";
      case 429 -> "RESOURCE_EXHAUSTED";
      case 503 -> "UNAVAILABLE";
      default -> "INTERNAL";
    };
  }

  /** An error as FCM writes it: google.rpc.Status with an FcmError detail. */
  public static Response error(int code, String status, String message, String fcmCode) {
    return Response.json(
        code,
        "{\"error\":{\"code\":"
            + code
            + ",\"message\":\""
            + message
            + "\",\"status\":\""
            + status
            + "\",\"details\":[{\"@type\":\""
            + FCM_ERROR
            + "\",\"errorCode\":\""
            + fcmCode
            + "\"}]}}");
  }

  @Override
  public void close() {
    server.close();
  }
}
