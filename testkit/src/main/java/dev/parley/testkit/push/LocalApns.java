package dev.parley.testkit.push;

import com.eatthepath.pushy.apns.auth.ApnsVerificationKey;
import com.eatthepath.pushy.apns.auth.AuthenticationToken;
import com.eatthepath.pushy.apns.server.MockApnsServer;
import com.eatthepath.pushy.apns.server.MockApnsServerBuilder;
import com.eatthepath.pushy.apns.server.PushNotificationHandler;
import com.eatthepath.pushy.apns.server.RejectedNotificationException;
import com.eatthepath.pushy.apns.server.RejectionReason;
import com.eatthepath.pushy.apns.server.UnregisteredDeviceTokenException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.testkit.TestCertificates;
import io.netty.handler.codec.http2.Http2Headers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.interfaces.ECPublicKey;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A local APNs: Pushy's {@link MockApnsServer} (HTTP/2 over TLS with a self-signed certificate,
 * {@link TestCertificates}) for the production and the sandbox environment, whose handler verifies
 * the provider token as APNs does (ES256 by the team's key, key id, team id) and records each
 * accepted notification. Answers per device token can be scripted with APNs's rejection reasons
 * ({@link #refuse}, {@link #unregister}); everything else is accepted.
 *
 * <p>The team's key is generated here; {@link #writeSigningKey} writes it as the {@code .p8} file
 * the Apple Developer account would give (nothing secret is committed).
 */
public final class LocalApns implements AutoCloseable {
  public static final String KEY_ID = "KEY1234567";
  public static final String TEAM_ID = "TEAM123456";
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * One accepted notification as APNs saw it.
   *
   * @param environment "production" or "sandbox": which server it reached
   */
  public record Received(
      String environment, String deviceToken, Map<String, String> headers, JsonNode payload) {
    public String header(String name) {
      return headers.getOrDefault(name, "");
    }

    public JsonNode aps() {
      return payload.path("aps");
    }
  }

  private final TestCertificates tls;
  private final KeyPair teamKey;

  @SuppressWarnings("deprecation") // Pushy's servers need this class (see ApnsPushProvider)
  private final io.netty.channel.EventLoopGroup loop =
      new io.netty.channel.nio.NioEventLoopGroup(1);

  private final MockApnsServer production;
  private final MockApnsServer sandbox;
  private final int productionPort;
  private final int sandboxPort;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final List<Throwable> failures = new CopyOnWriteArrayList<>();
  private final Map<String, Queue<RejectedNotificationException>> scripted =
      new ConcurrentHashMap<>();
  private final Set<String> unregistered = ConcurrentHashMap.newKeySet();

  /**
   * Starts both environments on free ports of 127.0.0.1.
   *
   * @param dir where the server's certificate and key are written
   */
  public LocalApns(Path dir) {
    tls = TestCertificates.create(dir);
    teamKey = P256.generate();
    ApnsVerificationKey verification;
    try {
      verification = new ApnsVerificationKey(KEY_ID, TEAM_ID, (ECPublicKey) teamKey.getPublic());
      production = server("production", verification);
      sandbox = server("sandbox", verification);
      productionPort = production.start(0).get(10, TimeUnit.SECONDS);
      sandboxPort = sandbox.start(0).get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      throw new IllegalStateException("Cannot start the local APNs", e);
    }
  }

  public int productionPort() {
    return productionPort;
  }

  public int sandboxPort() {
    return sandboxPort;
  }

  /** The certificate to trust (push.providers.apns.trusted-certificates-file). */
  public Path trustedCertificates() {
    return tls.ca();
  }

  /**
   * Writes the team's key as {@code AuthKey_<key id>.p8} (push.providers.apns.signing-key-file).
   */
  public Path writeSigningKey(Path dir) {
    return writeSigningKey(dir, teamKey.getPrivate());
  }

  /** Writes any EC key as a {@code .p8} file (a test of a key APNs does not know). */
  public static Path writeSigningKey(Path dir, PrivateKey key) {
    Path p8 = dir.resolve("AuthKey_" + KEY_ID + ".p8");
    try {
      Files.writeString(
          p8,
          "-----BEGIN PRIVATE KEY-----\n"
              + java.util.Base64.getMimeEncoder().encodeToString(key.getEncoded())
              + "\n-----END PRIVATE KEY-----\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return p8;
  }

  /**
   * The next {@code times} notifications to this device token are rejected with the reason (400
   * BadDeviceToken, 429 TooManyRequests, 500 InternalServerError, ...); later ones are accepted.
   */
  public LocalApns refuse(String deviceToken, RejectionReason reason, int times) {
    Queue<RejectedNotificationException> answers =
        scripted.computeIfAbsent(deviceToken, t -> new ConcurrentLinkedQueue<>());
    for (int i = 0; i < times; i++) answers.add(new RejectedNotificationException(reason));
    return this;
  }

  /** Every notification to this device token is answered 410 Unregistered from now on. */
  public LocalApns unregister(String deviceToken) {
    unregistered.add(deviceToken);
    return this;
  }

  /** Every notification accepted so far, in order. */
  public List<Received> received() {
    return List.copyOf(received);
  }

  /** The accepted notifications to one device token. */
  public List<Received> receivedFor(String deviceToken) {
    return received.stream().filter(r -> r.deviceToken().equals(deviceToken)).toList();
  }

  /** The checks that failed inside the handler (a test asserts this is empty). */
  public List<Throwable> failures() {
    return List.copyOf(failures);
  }

  private MockApnsServer server(String environment, ApnsVerificationKey verification)
      throws IOException {
    return new MockApnsServerBuilder()
        .setServerCredentials(tls.cert().toFile(), tls.key().toFile(), null)
        .setEventLoopGroup(loop)
        .setHandlerFactory(session -> handler(environment, verification))
        .build();
  }

  /** What APNs does with a request: check the provider token, then answer by device token. */
  private PushNotificationHandler handler(String environment, ApnsVerificationKey verification) {
    return (headers, payload) -> {
      CharSequence authorization = headers.get("authorization");
      if (authorization == null || !authorization.toString().startsWith("bearer ")) {
        throw new RejectedNotificationException(RejectionReason.MISSING_PROVIDER_TOKEN);
      }
      AuthenticationToken token = new AuthenticationToken(authorization.toString().substring(7));
      boolean signed;
      try {
        signed = token.verifySignature(verification);
      } catch (Exception e) {
        signed = false;
      }
      if (!signed || !KEY_ID.equals(token.getKeyId()) || !TEAM_ID.equals(token.getTeamId())) {
        throw new RejectedNotificationException(RejectionReason.INVALID_PROVIDER_TOKEN);
      }
      String path = String.valueOf(headers.path());
      String deviceToken = path.substring(path.lastIndexOf('/') + 1);
      if (unregistered.contains(deviceToken)) {
        throw new UnregisteredDeviceTokenException(Instant.now());
      }
      Queue<RejectedNotificationException> answers = scripted.get(deviceToken);
      RejectedNotificationException answer = answers == null ? null : answers.poll();
      if (answer != null) throw answer;
      record(environment, deviceToken, headers, payload.toString(StandardCharsets.UTF_8));
    };
  }

  private void record(String environment, String deviceToken, Http2Headers headers, String body) {
    try {
      Map<String, String> copy = new HashMap<>();
      headers.forEach(h -> copy.put(h.getKey().toString(), h.getValue().toString()));
      received.add(new Received(environment, deviceToken, Map.copyOf(copy), JSON.readTree(body)));
    } catch (IOException | RuntimeException e) {
      failures.add(e);
    }
  }

  @Override
  public void close() {
    try {
      production.shutdown().get(10, TimeUnit.SECONDS);
      sandbox.shutdown().get(10, TimeUnit.SECONDS);
      loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("Cannot stop the local APNs", e);
    }
  }
}
