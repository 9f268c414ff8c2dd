package dev.parley.server;

import dev.parley.common.bus.DeliveryBus;
import dev.parley.common.bus.LocalDeliveryBus;
import dev.parley.common.db.Database;
import dev.parley.common.grpc.CallContext;
import dev.parley.common.grpc.GrpcErrors;
import dev.parley.common.id.Snowflake;
import dev.parley.common.presence.LocalPresence;
import dev.parley.common.ratelimit.LocalRateLimiter;
import dev.parley.common.trace.Tracing;
import dev.parley.file.FileModule;
import dev.parley.file.image.ImageMediaProcessor;
import dev.parley.gateway.Gateway;
import dev.parley.gateway.ServiceChannels;
import dev.parley.msg.MsgModule;
import dev.parley.msg.RecentCache;
import dev.parley.msg.core.VisibleEntries;
import dev.parley.msg.grpc.GrpcUserDirectory;
import dev.parley.push.dispatch.PushHandOff;
import dev.parley.push.notify.GrpcPushLookups;
import dev.parley.push.notify.PushJobHandOff;
import dev.parley.push.notify.PushProviders;
import dev.parley.push.notify.PushWorker;
import dev.parley.push.queue.LocalPushQueue;
import dev.parley.push.queue.PushQueue;
import dev.parley.user.GrpcAvatarRefs;
import dev.parley.user.GrpcBlockList;
import dev.parley.user.UserModule;
import io.grpc.BindableService;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single node: the gateway and every service in one JVM. Services are still reached only
 * through their gRPC contracts, over the in-process transport, so the cluster roles run the very
 * same code.
 *
 * <p>Everything started is pushed on a stack and closed in reverse order, so a failure half-way
 * through start-up releases what was already running (the embedded database above all).
 */
public final class SingleNode implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SingleNode.class);

  /**
   * The local presence hears every connect and disconnect in process and needs no refresh; the
   * gateway's reporter still runs one, which costs nothing.
   */
  private static final Duration PRESENCE_REFRESH = Duration.ofMinutes(1);

  private final ParleyConfig config;
  private final Clock clock;
  private final Resources resources = new Resources();
  private volatile boolean ready;

  @SuppressWarnings("NullAway.Init") // set by start(), which throws if it cannot start one
  private Gateway gateway;

  @SuppressWarnings("NullAway.Init") // set by start(), as the gateway
  private AdminServer admin;

  @SuppressWarnings("NullAway.Init") // set by start(), as the gateway
  private MsgModule messages;

  public SingleNode(ParleyConfig config, Clock clock) {
    this.config = config;
    this.clock = clock;
  }

  /** Starts everything; returns once the gateway accepts connections. */
  public SingleNode start() {
    try {
      Path dataDir = config.dataDir();
      StartupChecks.verify(config);
      PrometheusMeterRegistry metrics = ServerMetrics.create("single", this::push);
      Database database = push(ServerDatabase.open(config.database(), dataDir, metrics));
      // Spans of a message's path, exported over OTLP when tracing.exporter says so (off by
      // default).
      Tracing tracing = push(Tracing.create(config.tracing(), "parley", "single"));
      Snowflake ids = new Snowflake(Math.max(0, config.node().workerId()), clock);
      DeliveryBus deliveries = new LocalDeliveryBus();
      LocalRateLimiter rateLimiter = new LocalRateLimiter(clock);
      // Who is online and when others were last seen: the gateway reports, get_presence reads.
      LocalPresence presence = new LocalPresence(clock);

      // Services reach each other, and the gateway reaches them, through one in-process channel.
      String name = "parley-" + UUID.randomUUID();
      ManagedChannel channel = InProcessChannelBuilder.forName(name).directExecutor().build();
      push(() -> channel.shutdown().awaitTermination(5, TimeUnit.SECONDS));
      UserModule users =
          push(
              UserModule.create(
                  config.user(),
                  database,
                  clock,
                  ids,
                  deliveries,
                  rateLimiter,
                  dataDir,
                  metrics,
                  new GrpcBlockList(channel),
                  new GrpcAvatarRefs(channel),
                  // One switch for both SSRF checks: registration here, sending in the push role.
                  config.push().providers().webPush().allowPrivateEndpoints()));
      // Files in the embedded S3 (or the configured one); images get thumbnails and a preview on
      // completion (design.md 11.9). Who may download a file is the message service's answer
      // (design.md 11.6). The processor is closed after the file module, which uses it.
      ImageMediaProcessor images =
          push(ImageMediaProcessor.start(config.file().image(), dataDir.resolve("tmp"), clock));
      FileModule files =
          push(
              FileModule.create(
                  config.file(),
                  database,
                  clock,
                  ids,
                  dataDir,
                  metrics,
                  images,
                  FileLinks.visibility(new VisibleEntries(database)),
                  FileLinks.profiles(database)));
      MsgModule messages =
          this.messages =
              push(
                  MsgModule.create(
                      config.msg(),
                      database,
                      clock,
                      ids,
                      deliveries,
                      new GrpcUserDirectory(channel),
                      FileLinks.attachments(files.attachments()),
                      dataDir,
                      metrics,
                      RecentCache.none(),
                      presence,
                      deliveries::publish,
                      tracing.tracer(MsgModule.TRACER)));
      // Service calls block on JDBC: each runs on its own virtual thread, bounded by the pool size.
      ExecutorService serviceExecutor = Executors.newVirtualThreadPerTaskExecutor();
      push(serviceExecutor::shutdown);
      InProcessServerBuilder services =
          InProcessServerBuilder.forName(name).executor(serviceExecutor);
      services.addService(intercepted(users.grpcService()));
      messages.grpcServices().forEach(s -> services.addService(intercepted(s)));
      services.addService(intercepted(files.grpcService()));
      Server grpc = services.build().start();
      push(() -> grpc.shutdown().awaitTermination(5, TimeUnit.SECONDS));

      // Push: the workers read targets and settings through the same in-process channel; the
      // hand-off
      // below feeds them from the delivery bus, skipping the sessions connected to the gateway.
      PushProviders pushProviders =
          push(
              PushProviders.create(
                  config.push().providers(),
                  dataDir.resolve("keys"),
                  config.node().production(),
                  metrics,
                  clock));
      PushWorker pushWorker =
          push(
              new PushWorker(
                  new GrpcPushLookups(channel, channel, clock),
                  pushProviders,
                  config.push(),
                  metrics,
                  clock));
      PushQueue pushQueue = push(new LocalPushQueue(config.push().localQueue(), metrics));
      pushQueue.start(pushWorker);

      gateway =
          new Gateway(
              // The web client shows pictures from, and uploads to, the store's presigned URLs.
              config.gateway().withWebMediaOrigins(List.of(files.publicOrigin())),
              new ServiceChannels(channel, channel),
              deliveries,
              metrics,
              () -> ready,
              presence,
              PRESENCE_REFRESH,
              clock,
              tracing.tracer(Gateway.TRACER));
      String webPushKey = pushProviders.webPushKey();
      if (webPushKey != null) gateway.serveWebPushKey(webPushKey);
      gateway.start();
      push(() -> gateway.shutdown(config.gateway().shutdownDrain()));
      PushHandOff handOff = new PushJobHandOff(pushQueue, clock);
      push(
          deliveries.subscribe(
              d -> {
                if (d.hasEvent()) handOff.handOff(d, gateway.connectedSessions(d.getUserIdsList()));
              }));
      admin = push(new AdminServer(config.admin(), metrics, () -> ready));
      admin.serveAudit(user -> messages.syncAudit().audit(user).text());
      admin.serveReindex(messages::reindexSearch);
      log.info(
          "Admin endpoints (/healthz, /readyz, /metrics, /audit/user) on http://{}",
          admin.address());
      ready = true;
      log.info(
          "Parley single node ready: http://127.0.0.1:{}/ (data in {})", gateway.port(), dataDir);
      return this;
    } catch (IOException e) {
      close();
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  private static ServerServiceDefinition intercepted(BindableService service) {
    return ServerInterceptors.intercept(
        service, GrpcErrors.serverInterceptor(), CallContext.serverInterceptor());
  }

  public int port() {
    return gateway.port();
  }

  /** One message-retention pass now (msg.history-retention), for tests that move the clock. */
  public int runRetention() {
    return messages.runRetention();
  }

  public int tlsPort() {
    return gateway.tlsPort();
  }

  /** The bound admin port: /healthz, /readyz, /metrics. */
  public int adminPort() {
    return admin.port();
  }

  public boolean ready() {
    return ready;
  }

  private <T extends AutoCloseable> T push(T resource) {
    return resources.push(resource);
  }

  /** Drains the gateway, then stops services and storage in reverse start order. */
  @Override
  public synchronized void close() {
    ready = false;
    resources.close();
  }
}
