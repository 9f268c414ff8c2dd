package dev.parley.server.cluster;

import dev.parley.common.bus.DeliveryBus;
import dev.parley.common.bus.LocalDeliveryBus;
import dev.parley.common.bus.kafka.KafkaConfig;
import dev.parley.common.bus.kafka.KafkaDeliveryBus;
import dev.parley.common.bus.kafka.KafkaTopics;
import dev.parley.common.db.Database;
import dev.parley.common.grpc.UnservedService;
import dev.parley.common.id.Snowflake;
import dev.parley.common.id.WorkerIdLease;
import dev.parley.common.redis.PresenceConfig;
import dev.parley.common.redis.RedisClients;
import dev.parley.common.redis.RedisConfig;
import dev.parley.common.redis.RedisPresence;
import dev.parley.common.redis.RedisRateLimiter;
import dev.parley.common.trace.Tracing;
import dev.parley.file.FileModule;
import dev.parley.file.image.ImageMediaProcessor;
import dev.parley.gateway.Gateway;
import dev.parley.gateway.ServiceChannels;
import dev.parley.gateway.cluster.GatewayDeliveryService;
import dev.parley.msg.MsgModule;
import dev.parley.msg.RecentCache;
import dev.parley.msg.core.FileAttachments;
import dev.parley.msg.core.VisibleEntries;
import dev.parley.msg.grpc.GrpcUserDirectory;
import dev.parley.proto.internal.FileServiceGrpc;
import dev.parley.push.dispatch.DirectDelivery;
import dev.parley.push.dispatch.Dispatcher;
import dev.parley.push.dispatch.DispatcherConfig;
import dev.parley.push.notify.GrpcPushLookups;
import dev.parley.push.notify.PushJobHandOff;
import dev.parley.push.notify.PushProviders;
import dev.parley.push.notify.PushWorker;
import dev.parley.push.queue.KafkaPushQueue;
import dev.parley.push.queue.KafkaPushQueueConfig;
import dev.parley.push.queue.PushQueue;
import dev.parley.server.AdminServer;
import dev.parley.server.FileLinks;
import dev.parley.server.ParleyConfig;
import dev.parley.server.Resources;
import dev.parley.server.ServerDatabase;
import dev.parley.server.ServerMetrics;
import dev.parley.server.StartupChecks;
import dev.parley.user.GrpcAvatarRefs;
import dev.parley.user.GrpcBlockList;
import dev.parley.user.UserModule;
import io.grpc.BindableService;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One process of a cluster, running the roles named in {@code node.role} (e.g. {@code gateway}, or
 * {@code user,msg}) against external PostgreSQL, Redis and Kafka, reaching the other roles over the
 * network. The same modules as the single node, wired with the cluster's transports: Kafka instead
 * of the local delivery bus, Redis for rate limits and presence, network gRPC instead of
 * in-process.
 */
public final class ClusterNode implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ClusterNode.class);

  /** How long a starting process waits for Redis to accept connections before giving up. */
  private static final Duration REDIS_STARTUP_WAIT = Duration.ofSeconds(60);

  private final ParleyConfig config;
  private final Set<Role> roles;
  private final Clock clock;
  private final Resources resources = new Resources();
  private volatile boolean ready;
  private @Nullable Gateway gateway;
  private @Nullable Server grpc;
  private @Nullable AdminServer admin;

  public ClusterNode(ParleyConfig config, Set<Role> roles, Clock clock) {
    this.config = config;
    this.roles = roles;
    this.clock = clock;
  }

  public ClusterNode start() {
    try {
      StartupChecks.verify(config);
      ClusterConfig cluster = config.cluster();
      String roleNames = String.join(",", roles.stream().map(r -> r.name().toLowerCase()).toList());
      PrometheusMeterRegistry metrics = ServerMetrics.create(roleNames, resources::push);
      boolean services = roles.contains(Role.USER) || roles.contains(Role.MSG);
      List<BindableService> served = new ArrayList<>();
      // The msg role answers the sync audit on its admin port (parley admin audit-user).
      @Nullable MsgModule audited = null;

      RedisClients redis =
          resources.push(
              RedisClients.connectWaiting(
                  RedisConfig.of(required(cluster.redis().uri(), "cluster.redis.uri")),
                  REDIS_STARTUP_WAIT));
      java.util.Map<String, String> kafkaProperties =
          new java.util.HashMap<>(cluster.kafka().properties());
      // Static membership: a dispatcher restarted under the same instance id gets its partitions
      // back
      // at once instead of after a rebalance that waits for the dead member's session to expire.
      kafkaProperties.putIfAbsent("consumer.group.instance.id", instanceId());
      kafkaProperties.putIfAbsent(
          "consumer.session.timeout.ms",
          Long.toString(cluster.kafka().sessionTimeout().toMillis()));
      KafkaConfig kafka =
          new KafkaConfig(
              required(cluster.kafka().bootstrapServers(), "cluster.kafka.bootstrap-servers"),
              cluster.kafka().topic(),
              cluster.kafka().partitions(),
              cluster.kafka().replicationFactor(),
              "parley-" + roleNames,
              kafkaProperties);
      KafkaTopics.ensure(kafka);
      // Spans of a message's path, exported over OTLP when tracing.exporter says so (off by
      // default); the service name is the process's roles, as in its metrics.
      Tracing tracing =
          resources.push(
              Tracing.create(config.tracing(), "parley-" + config.node().role(), instanceId()));

      if (services) {
        if (config.database().isEmbedded()) {
          throw new IllegalArgumentException(
              "database.url is required in cluster mode: all instances share one PostgreSQL");
        }
        // Every instance must hold the same keys; generating them per instance would split the
        // cluster.
        if (roles.contains(Role.USER) && config.user().tokenKey().isBlank()) {
          throw new IllegalArgumentException(
              "user.token-key is required in cluster mode (the same on every user instance)");
        }
        if (roles.contains(Role.MSG) && config.msg().contentKeys().isEmpty()) {
          throw new IllegalArgumentException(
              "msg.content-keys is required in cluster mode (the same on every msg instance)");
        }
        Database database =
            resources.push(ServerDatabase.open(config.database(), config.dataDir(), metrics));
        WorkerIdLease lease =
            config.node().workerId() >= 0
                ? null
                : resources.push(WorkerIdLease.acquire(database.dataSource()));
        if (lease != null) {
          // A restart or failover of PostgreSQL releases the lease with our session: take the id
          // again.
          // If another process started meanwhile and got it, ids could collide: stop (SIGTERM's
          // path,
          // draining), and let the supervisor start this process again with a free id.
          lease.watch(
              Duration.ofSeconds(1),
              () -> Thread.ofPlatform().name("worker-id-lost").start(() -> System.exit(1)));
        }
        Snowflake ids =
            new Snowflake(lease != null ? lease.workerId() : config.node().workerId(), clock);
        DeliveryBus bus = resources.push(KafkaDeliveryBus.create(kafka, metrics));
        if (roles.contains(Role.USER)) {
          ManagedChannel msg = (channel(cluster.msgService(), "cluster.msg-service"));
          UserModule users =
              resources.push(
                  UserModule.create(
                      config.user(),
                      database,
                      clock,
                      ids,
                      bus,
                      new RedisRateLimiter(redis, metrics),
                      config.dataDir(),
                      metrics,
                      new GrpcBlockList(msg),
                      new GrpcAvatarRefs(msg),
                      // One switch for both SSRF checks: registration here, sending in the push
                      // role (every process reads the same configuration).
                      config.push().providers().webPush().allowPrivateEndpoints()));
          served.add(users.grpcService());
        }
        if (roles.contains(Role.MSG)) {
          ManagedChannel user = (channel(cluster.userService(), "cluster.user-service"));
          // The msg role hosts the file service (design.md 11.1), when an S3 store is configured:
          // the embedded one is for the single node only. Without it, file messages are refused.
          FileAttachments attachments = FileAttachments.NONE;
          if (config.file().s3().isEmbedded()) {
            log.warn("file.s3.endpoint is not set: this msg instance serves no file operations");
            served.add(
                new UnservedService(
                    FileServiceGrpc.getServiceDescriptor(),
                    "File storage is not configured on this server"));
          } else {
            ImageMediaProcessor images =
                resources.push(
                    ImageMediaProcessor.start(
                        config.file().image(), config.dataDir().resolve("tmp"), clock));
            FileModule files =
                resources.push(
                    FileModule.create(
                        config.file(),
                        database,
                        clock,
                        ids,
                        config.dataDir(),
                        metrics,
                        images,
                        FileLinks.visibility(new VisibleEntries(database)),
                        FileLinks.profiles(database)));
            served.add(files.grpcService());
            attachments = FileLinks.attachments(files.attachments());
          }
          MsgModule messages =
              resources.push(
                  MsgModule.create(
                      config.msg(),
                      database,
                      clock,
                      ids,
                      bus,
                      new GrpcUserDirectory(user),
                      attachments,
                      config.dataDir(),
                      metrics,
                      cluster.redis().recentCache() ? RecentCache.redis(redis) : RecentCache.none(),
                      // get_presence reads who is online and last seen (design.md 13.2).
                      RedisPresence.reader(redis, metrics),
                      // Typing indicators go straight to the recipients' gateways, never through
                      // Kafka, which would store them (design.md 13.6).
                      resources.push(
                          DirectDelivery.create(
                              Rpc.credentials(cluster.tls()),
                              RedisPresence.reader(redis, metrics),
                              metrics,
                              clock)),
                      tracing.tracer(MsgModule.TRACER)));
          served.addAll(messages.grpcServices());
          audited = messages;
        }
      }

      LocalDeliveryBus gatewayBus = new LocalDeliveryBus();
      if (roles.contains(Role.GATEWAY)) served.add(new GatewayDeliveryService(gatewayBus));
      if (!served.isEmpty()) {
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        resources.push(executor::shutdown);
        grpc = Rpc.server(cluster.grpcPort(), executor, served, cluster.tls());
        resources.push(
            () -> Objects.requireNonNull(grpc).shutdown().awaitTermination(5, TimeUnit.SECONDS));
        log.info("gRPC services listening on port {}", grpc.getPort());
      }

      if (roles.contains(Role.GATEWAY)) {
        ManagedChannel user = (channel(cluster.userService(), "cluster.user-service"));
        ManagedChannel msg = (channel(cluster.msgService(), "cluster.msg-service"));
        String id = instanceId();
        RedisPresence presence =
            new RedisPresence(
                redis,
                new PresenceConfig(
                    id,
                    advertiseHost(cluster) + ":" + Objects.requireNonNull(grpc).getPort(),
                    cluster.presence().ttl(),
                    cluster.presence().refreshInterval()),
                metrics);
        gateway =
            new Gateway(
                // The web client shows pictures from, and uploads to, the store's presigned URLs.
                config.file().s3().isEmbedded()
                    ? config.gateway()
                    : config
                        .gateway()
                        .withWebMediaOrigins(List.of(config.file().s3().publicOrigin())),
                new ServiceChannels(user, msg),
                gatewayBus,
                metrics,
                () -> ready,
                presence,
                cluster.presence().refreshInterval(),
                clock,
                tracing.tracer(Gateway.TRACER));
        // A gateway without the push role knows the key only from the configuration (production
        // always configures it); a push role in this process sets it below in any case.
        var webPush = config.push().providers().webPush();
        if (webPush.enabled() && !webPush.publicKey().isBlank()) {
          gateway.serveWebPushKey(webPush.publicKey().trim());
        }
        gateway.start();
        resources.push(
            () -> Objects.requireNonNull(gateway).shutdown(config.gateway().shutdownDrain()));
      }

      if (roles.contains(Role.PUSH)) {
        // The push workers read targets and settings from the user and msg services; the
        // dispatcher's hand-off feeds them jobs, skipping the sessions presence shows connected.
        PushProviders providers =
            resources.push(
                PushProviders.create(
                    config.push().providers(),
                    config.dataDir().resolve("keys"),
                    config.node().production(),
                    metrics,
                    clock));
        Gateway here = gateway;
        String webPushKey = providers.webPushKey();
        if (here != null && webPushKey != null) here.serveWebPushKey(webPushKey);
        PushWorker worker =
            resources.push(
                new PushWorker(
                    new GrpcPushLookups(
                        channel(cluster.userService(), "cluster.user-service"),
                        channel(cluster.msgService(), "cluster.msg-service"),
                        clock),
                    providers,
                    config.push(),
                    metrics,
                    clock));
        // Durable: a job stays in Kafka until its push is sent, dropped or expired, so a push role
        // that dies or a provider outage replays the unfinished ones (design 12.2).
        KafkaPushQueueConfig pushQueue =
            KafkaPushQueueConfig.defaults(
                cluster.kafka().partitions(), cluster.kafka().replicationFactor());
        KafkaPushQueue.ensureTopic(kafka, pushQueue);
        PushQueue queue = resources.push(KafkaPushQueue.create(kafka, pushQueue, metrics));
        queue.start(worker);
        Dispatcher dispatcher =
            Dispatcher.create(
                kafka,
                DispatcherConfig.defaults(),
                Rpc.credentials(cluster.tls()),
                RedisPresence.reader(redis, metrics),
                new PushJobHandOff(queue, clock),
                metrics,
                clock,
                tracing.tracer(Dispatcher.TRACER));
        dispatcher.start();
        resources.push(dispatcher);
      }

      admin = resources.push(new AdminServer(config.admin(), metrics, () -> ready));
      if (audited != null) {
        MsgModule auditing = audited;
        admin.serveAudit(user -> auditing.syncAudit().audit(user).text());
        admin.serveReindex(auditing::reindexSearch);
      }
      log.info("Admin endpoints (/healthz, /readyz, /metrics) on http://{}", admin.address());
      ready = true;
      log.info("Parley cluster node ready: roles {}", roleNames);
      return this;
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /** A channel to another role, shut down with this node. */
  private ManagedChannel channel(String target, String key) {
    ManagedChannel channel = Rpc.channel(required(target, key), config.cluster().tls());
    resources.push(() -> channel.shutdown().awaitTermination(5, TimeUnit.SECONDS));
    return channel;
  }

  private static String required(String value, String key) {
    if (value == null || value.isBlank())
      throw new IllegalArgumentException(key + " is required in cluster mode");
    return value;
  }

  private String instanceId() {
    String configured = config.node().instanceId();
    if (configured != null && !configured.isBlank()) return configured;
    return hostName() + "-" + ProcessHandle.current().pid();
  }

  private static String advertiseHost(ClusterConfig cluster) {
    String host = cluster.advertiseHost();
    return host == null || host.isBlank() ? "127.0.0.1" : host;
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName().replaceAll("[^A-Za-z0-9._:-]", "-");
    } catch (UnknownHostException e) {
      return "node";
    }
  }

  public int gatewayPort() {
    return gateway == null ? -1 : gateway.port();
  }

  public int grpcPort() {
    return grpc == null ? -1 : grpc.getPort();
  }

  public int adminPort() {
    return admin == null ? -1 : admin.port();
  }

  @Override
  public synchronized void close() {
    ready = false;
    resources.close();
  }
}
