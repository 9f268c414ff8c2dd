package dev.parley.push.provider.fcm;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.auth.oauth2.ServiceAccountCredentials;
import dev.parley.push.provider.ProviderGate;
import dev.parley.push.provider.ProviderHttp;
import dev.parley.push.provider.PushNotification;
import dev.parley.push.provider.PushOutcome;
import dev.parley.push.provider.PushProvider;
import dev.parley.push.provider.PushTarget;
import dev.parley.push.provider.RetryAfter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends to Android devices through the FCM HTTP v1 API: {@code POST
 * {base}/v1/projects/{project}/messages:send} with an OAuth2 bearer token of the service account
 * ({@link FcmAccessTokens}) and one message per registration token ({@link FcmMessage}); answers
 * are classified by {@link FcmResponses}.
 *
 * <p>Token look-ups may block (on the token endpoint), so they run on the provider's own virtual
 * threads, as does everything else a send does; HTTP requests are asynchronous. A 401 means the
 * cached token was refused: the provider gets a new one and sends once more.
 */
public final class FcmPushProvider implements PushProvider<PushTarget.Fcm> {
  private static final Logger log = LoggerFactory.getLogger(FcmPushProvider.class);
  private static final long WARN_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final FcmAccessTokens tokens;
  private final URI sendUri;
  private final Duration timeout;
  private final Clock clock;
  private final ObjectMapper json = new ObjectMapper();
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final HttpClient http;
  private final ProviderGate gate;
  private final AtomicLong lastTokenWarning = new AtomicLong(System.nanoTime() - WARN_EVERY_NANOS);

  /**
   * @param projectId the Firebase project
   * @param credentials the service account (from {@link #create}, or built in a test)
   */
  FcmPushProvider(
      FcmConfig config,
      GoogleCredentials credentials,
      String projectId,
      MeterRegistry registry,
      Clock clock) {
    if (projectId.isBlank()) throw new IllegalArgumentException("FCM project id is empty");
    this.tokens = new FcmAccessTokens(credentials);
    String base = config.baseUrl().replaceAll("/+$", "");
    this.sendUri = URI.create(base + "/v1/projects/" + projectId + "/messages:send");
    if (!"https".equals(sendUri.getScheme()) && !"http".equals(sendUri.getScheme())) {
      throw new IllegalArgumentException("push.providers.fcm.base-url must be an http(s) URL");
    }
    this.timeout = config.timeout();
    this.clock = clock;
    this.http = ProviderHttp.client(timeout, executor);
    this.gate =
        new ProviderGate(name(), config.maxInFlight(), config.maxWaiting(), executor, registry);
  }

  /** Reads the service-account file named by the configuration. */
  public static FcmPushProvider create(FcmConfig config, MeterRegistry registry, Clock clock)
      throws IOException {
    if (config.credentialsFile().isBlank()) {
      throw new IllegalArgumentException(
          "push.providers.fcm.credentials-file is required when FCM is enabled");
    }
    ServiceAccountCredentials credentials = FcmAccessTokens.read(Path.of(config.credentialsFile()));
    String project = config.projectId();
    if (project.isBlank() && credentials.getProjectId() != null) {
      project = credentials.getProjectId();
    }
    return new FcmPushProvider(config, credentials, project, registry, clock);
  }

  @Override
  public String name() {
    return "fcm";
  }

  @Override
  public CompletableFuture<PushOutcome> send(PushTarget.Fcm target, PushNotification n) {
    return gate.submit(() -> attempt(FcmMessage.body(json, target.token(), n)));
  }

  private CompletableFuture<PushOutcome> attempt(byte[] body) {
    return token(null)
        .thenCompose(
            token ->
                post(token, body)
                    .thenCompose(
                        response -> {
                          if (response.statusCode() != 401) {
                            return CompletableFuture.completedFuture(classify(response));
                          }
                          return token(token)
                              .thenCompose(fresh -> post(fresh, body))
                              .<PushOutcome>thenApply(
                                  again ->
                                      again.statusCode() == 401
                                          ? new PushOutcome.PermanentFailure("UNAUTHENTICATED")
                                          : classify(again));
                        }));
  }

  /**
   * The current access token, or one other than {@code refused}; on the provider's threads, as the
   * token endpoint may be slow. A token endpoint that fails is a transient failure of the send.
   */
  private CompletableFuture<String> token(@Nullable String refused) {
    return CompletableFuture.supplyAsync(
            () -> {
              try {
                return refused == null ? tokens.current() : tokens.replacing(refused);
              } catch (IOException e) {
                warnToken(e);
                throw new UncheckedIOException(e);
              }
            },
            executor)
        .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  private CompletableFuture<HttpResponse<String>> post(String token, byte[] body) {
    HttpRequest request =
        HttpRequest.newBuilder(sendUri)
            .version(ProviderHttp.version(sendUri))
            .timeout(timeout)
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json; charset=UTF-8")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
  }

  private PushOutcome classify(HttpResponse<String> response) {
    Duration retryAfter =
        RetryAfter.parse(response.headers().firstValue("Retry-After"), clock).orElse(null);
    return FcmResponses.classify(json, response.statusCode(), response.body(), retryAfter);
  }

  /** Every send fails the same way while the token endpoint is down: one warning per 10 s. */
  private void warnToken(IOException e) {
    long now = System.nanoTime();
    long last = lastTokenWarning.get();
    if (now - last >= WARN_EVERY_NANOS && lastTokenWarning.compareAndSet(last, now)) {
      log.warn("Cannot get an FCM access token ({}); pushes are retried later", e.toString());
    }
  }

  @Override
  public void close() {
    http.shutdownNow();
    executor.shutdownNow();
  }
}
