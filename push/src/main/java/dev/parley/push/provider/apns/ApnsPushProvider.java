package dev.parley.push.provider.apns;

import com.eatthepath.pushy.apns.ApnsClient;
import com.eatthepath.pushy.apns.ApnsClientBuilder;
import com.eatthepath.pushy.apns.auth.ApnsSigningKey;
import dev.parley.push.provider.ProviderGate;
import dev.parley.push.provider.PushNotification;
import dev.parley.push.provider.PushOutcome;
import dev.parley.push.provider.PushProvider;
import dev.parley.push.provider.PushTarget;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.EventLoopGroup;
import java.io.File;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends to iOS devices through APNs over HTTP/2 with Pushy and token authentication: Pushy signs a
 * provider token (ES256 JWT) with the team's .p8 key, renews it before Apple's hour is up, and
 * keeps its HTTP/2 connections open. Tokens are issued per environment, so there are two clients,
 * one for production and one for the sandbox (development builds); each connects on first use.
 *
 * <p>Pushy is asynchronous: a send returns its future at once and completes on Pushy's event loop.
 * Pushy sets no deadline on an answer, so {@link ApnsConfig#timeout()} does: a notification not
 * answered by then is retried later (APNs may still deliver the first copy; the collapse id makes a
 * duplicate replace it rather than show twice).
 */
public final class ApnsPushProvider implements PushProvider<PushTarget.Apns> {
  private static final Logger log = LoggerFactory.getLogger(ApnsPushProvider.class);

  private final EventLoopGroup eventLoop;
  private final ApnsClient production;
  private final ApnsClient sandbox;
  private final Duration timeout;
  private final Clock clock;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final ProviderGate gate;

  private ApnsPushProvider(
      ApnsConfig config,
      EventLoopGroup eventLoop,
      ApnsClient production,
      ApnsClient sandbox,
      MeterRegistry registry,
      Clock clock) {
    this.eventLoop = eventLoop;
    this.production = production;
    this.sandbox = sandbox;
    this.timeout = config.timeout();
    this.clock = clock;
    this.gate =
        new ProviderGate(name(), config.maxInFlight(), config.maxWaiting(), executor, registry);
  }

  /** Reads the signing key and builds both environments' clients (they connect on first use). */
  public static ApnsPushProvider create(ApnsConfig config, MeterRegistry registry, Clock clock)
      throws IOException {
    if (config.signingKeyFile().isBlank()
        || config.keyId().isBlank()
        || config.teamId().isBlank()) {
      throw new IllegalArgumentException(
          "push.providers.apns needs signing-key-file, key-id and team-id when APNs is enabled");
    }
    ApnsSigningKey key;
    try {
      key =
          ApnsSigningKey.loadFromPkcs8File(
              new File(config.signingKeyFile()), config.teamId(), config.keyId());
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "push.providers.apns.signing-key-file is not an APNs .p8 key (EC P-256, PKCS#8)", e);
    }
    EventLoopGroup eventLoop = eventLoop();
    try {
      ApnsClient production =
          client(config, key, eventLoop, config.productionHost(), config.productionPort());
      ApnsClient sandbox;
      try {
        sandbox = client(config, key, eventLoop, config.sandboxHost(), config.sandboxPort());
      } catch (IOException | RuntimeException e) {
        var unused = production.close();
        throw e;
      }
      return new ApnsPushProvider(config, eventLoop, production, sandbox, registry, clock);
    } catch (IOException | RuntimeException e) {
      var unused = eventLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      throw e;
    }
  }

  /**
   * One I/O thread for both environments' HTTP/2 connections (plenty: they only multiplex streams).
   * Pushy 0.15 recognises its event loop group by class name, and knows {@code NioEventLoopGroup},
   * not Netty 4.2's {@code MultiThreadIoEventLoopGroup}; hence the deprecated class. Owning it lets
   * {@link #close} stop it without Netty's default 2-second quiet period per client.
   */
  @SuppressWarnings("deprecation")
  private static EventLoopGroup eventLoop() {
    return new io.netty.channel.nio.NioEventLoopGroup(1);
  }

  private static ApnsClient client(
      ApnsConfig config, ApnsSigningKey key, EventLoopGroup eventLoop, String host, int port)
      throws IOException {
    ApnsClientBuilder builder =
        new ApnsClientBuilder()
            .setApnsServer(host, port)
            .setEventLoopGroup(eventLoop)
            .setSigningKey(key)
            .setConcurrentConnections(config.connections())
            .setConnectionTimeout(config.timeout());
    if (!config.trustedCertificatesFile().isBlank()) {
      builder.setTrustedServerCertificateChain(new File(config.trustedCertificatesFile()));
    }
    return builder.build();
  }

  @Override
  public String name() {
    return "apns";
  }

  @Override
  public CompletableFuture<PushOutcome> send(PushTarget.Apns target, PushNotification n) {
    return gate.submit(
        () -> {
          ApnsClient client =
              target.environment() == PushTarget.Apns.Environment.PRODUCTION ? production : sandbox;
          return client
              .sendNotification(ApnsPayloads.notification(target, n, clock))
              .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
              .thenApply(ApnsResponses::classify);
        });
  }

  @Override
  public void close() {
    for (ApnsClient client : new ApnsClient[] {production, sandbox}) {
      try {
        client.close().get(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException | TimeoutException e) {
        log.warn("Closing an APNs client failed", e);
      }
    }
    boolean stopped =
        eventLoop
            .shutdownGracefully(0, 2, TimeUnit.SECONDS)
            .awaitUninterruptibly(5, TimeUnit.SECONDS);
    if (!stopped) log.warn("The APNs I/O thread did not stop within 5 s");
    executor.shutdownNow();
  }
}
