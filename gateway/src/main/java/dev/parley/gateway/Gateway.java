package dev.parley.gateway;

import dev.parley.common.bus.DeliveryBus;
import dev.parley.common.presence.Presence;
import dev.parley.gateway.delivery.ConnectionRegistry;
import dev.parley.gateway.delivery.DeliveryFanout;
import dev.parley.gateway.http.AuthEndpoints;
import dev.parley.gateway.http.HealthEndpoints;
import dev.parley.gateway.http.HttpRoute;
import dev.parley.gateway.http.WebClientEndpoints;
import dev.parley.gateway.http.WebPushKeyEndpoint;
import dev.parley.gateway.metrics.GatewayMetrics;
import dev.parley.gateway.net.ConnectionLimits;
import dev.parley.gateway.net.TlsContexts;
import dev.parley.gateway.net.Transport;
import dev.parley.gateway.presence.PresenceAnnouncements;
import dev.parley.gateway.presence.PresenceReporter;
import dev.parley.gateway.routing.InFlightRequests;
import dev.parley.gateway.routing.Routes;
import dev.parley.gateway.routing.UserSessions;
import dev.parley.gateway.ws.CloseCode;
import dev.parley.gateway.ws.Closer;
import dev.parley.gateway.ws.ConnectionHandler;
import dev.parley.gateway.ws.ConnectionSupport;
import dev.parley.web.WebAssets;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client-facing edge: HTTP and WebSocket on one port (plus HTTPS/WSS when TLS is on),
 * forwarding requests to the services over gRPC and pushing bus deliveries to connections.
 *
 * <p>Lifecycle: construct, {@link #start()} once, {@link #shutdown(Duration)} (or {@link #close()})
 * once. Shutdown order: stop accepting, turn /readyz to 503, stop taking deliveries, tell every
 * WebSocket to go away (it closes with 1001 as soon as its own calls are answered), wait up to the
 * drain time for all calls in flight, close whatever is left, stop the event loops, report the last
 * disconnects to the presence. The service channels, the bus, the presence and the meter registry
 * belong to the caller and stay open.
 *
 * <p>Presence (cluster mode): the gateway reports its authenticated sessions to a {@link Presence}
 * through a {@link PresenceReporter}, off the event loops; the single node passes {@link
 * Presence#none()}.
 */
public final class Gateway implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Gateway.class);

  /** Clients reconnect after this plus a random share of {@link #RECONNECT_JITTER_MS}. */
  private static final int RECONNECT_BASE_MS = 1_000;

  private static final int RECONNECT_JITTER_MS = 4_000;
  private static final Duration EVENT_LOOP_STOP = Duration.ofSeconds(2);

  /** The instrumentation scope of the gateway's spans. */
  public static final String TRACER = "dev.parley.gateway";

  private final GatewayConfig config;
  private final Tracer tracer;
  private final ServiceChannels services;
  private final DeliveryBus deliveries;
  private final PrometheusMeterRegistry metrics;
  private final BooleanSupplier ready;
  private final Clock clock;

  private final PresenceReporter presence;
  private final ConnectionRegistry registry;
  private final InFlightRequests inFlight = new InFlightRequests();
  private final AtomicInteger openWebSockets = new AtomicInteger();
  private final ConnectionLimits limits;
  private final ChannelGroup accepted =
      new DefaultChannelGroup("parley-gateway", GlobalEventExecutor.INSTANCE);
  private final List<Channel> listeners = new ArrayList<>();
  private volatile boolean shuttingDown;
  private boolean started;
  private boolean stopped;
  private @Nullable EventLoopGroup bossGroup;
  private @Nullable EventLoopGroup workerGroup;
  private @Nullable AutoCloseable subscription;
  private @Nullable Closer closer;
  private int port = -1;
  private int tlsPort = -1;
  // Set by whoever knows the VAPID key (the push role of this process, or the configuration).
  private volatile @Nullable String webPushKey;

  /** A gateway that reports its sessions to no presence: the single node. */
  public Gateway(
      GatewayConfig config,
      ServiceChannels services,
      DeliveryBus deliveries,
      PrometheusMeterRegistry metrics,
      BooleanSupplier ready,
      Clock clock) {
    this(
        config,
        services,
        deliveries,
        metrics,
        ready,
        Presence.none(),
        Duration.ofSeconds(15),
        clock,
        OpenTelemetry.noop().getTracer(TRACER));
  }

  /**
   * @param presence told of every session's first connection and last close here, and refreshed
   *     with all of them every {@code presenceRefresh}
   * @param tracer the spans of client requests and of deliveries' fan-out (operations.md §7), from
   *     a tracer with scope {@link #TRACER}
   */
  public Gateway(
      GatewayConfig config,
      ServiceChannels services,
      DeliveryBus deliveries,
      PrometheusMeterRegistry metrics,
      BooleanSupplier ready,
      Presence presence,
      Duration presenceRefresh,
      Clock clock,
      Tracer tracer) {
    this.tracer = tracer;
    this.config = config;
    this.services = services;
    this.deliveries = deliveries;
    this.metrics = metrics;
    this.ready = ready;
    this.clock = clock;
    // Live presence: the message service tells the friends (design.md 13.2).
    this.presence =
        new PresenceReporter(presence, presenceRefresh, PresenceAnnouncements.to(services.msg()));
    this.registry = new ConnectionRegistry(this.presence.listener());
    this.limits = new ConnectionLimits(config.maxConnections(), config.maxConnectionsPerIp());
  }

  /**
   * Serves {@code key} (base64url) at {@code GET /api/v1/push/web-push-key}, for browsers to
   * subscribe to Web Push with; until called, that path answers {@code NOT_FOUND}.
   */
  public void serveWebPushKey(String key) {
    this.webPushKey = key;
  }

  /**
   * Binds the ports and starts serving. Throws if a port cannot be bound (nothing is left running).
   */
  public synchronized void start() {
    if (started) throw new IllegalStateException("Gateway already started");
    started = true;
    if (config.heartbeatInterval().compareTo(config.idleTimeout()) >= 0) {
      log.warn(
          "gateway.heartbeat-interval ({}) is not below gateway.idle-timeout ({}): idle clients will be"
              + " closed before they are pinged",
          config.heartbeatInterval(),
          config.idleTimeout());
    }
    GatewayMetrics gatewayMetrics =
        new GatewayMetrics(metrics, limits::open, openWebSockets::get, registry::size);
    closer = new Closer(gatewayMetrics);
    ConnectionSupport support =
        new ConnectionSupport(
            new ConnectionSupport.Limits(
                config.authTimeout(),
                config.requestTimeout(),
                config.maxInFlightRequests(),
                config.heartbeatInterval(),
                config.idleTimeout(),
                config.sessionTouchInterval()),
            Routes.of(services),
            new UserSessions(services.user(), config.requestTimeout()),
            registry,
            inFlight,
            gatewayMetrics,
            closer,
            clock,
            tracer);
    Map<String, HttpRoute> routes = new HashMap<>();
    routes.putAll(HealthEndpoints.routes(() -> !shuttingDown && ready.getAsBoolean()));
    routes.putAll(
        new AuthEndpoints(services.user(), config.requestTimeout(), inFlight, gatewayMetrics)
            .routes());
    routes.putAll(WebClientEndpoints.routes(WebAssets.load(), config.webMediaOrigins()));
    routes.putAll(WebPushKeyEndpoint.routes(() -> webPushKey));

    Transport transport = Transport.best();
    bossGroup = transport.newGroup(1, "parley-gateway-accept");
    workerGroup = transport.newGroup(0, "parley-gateway-io");
    try {
      port = bind(transport, config.port(), null, routes, support);
      log.info("Gateway listening on http://{}:{} ({})", config.host(), port, transport);
      if (config.tls().enabled()) {
        SslContext tls = TlsContexts.forServer(config.tls());
        tlsPort = bind(transport, config.tls().port(), tls, routes, support);
        log.info("Gateway listening on https://{}:{}", config.host(), tlsPort);
      }
    } catch (RuntimeException e) {
      releaseNetty();
      throw e;
    }
    subscription =
        deliveries.subscribe(new DeliveryFanout(registry, ByteBufAllocator.DEFAULT, tracer));
    presence.start(registry::sessions);
  }

  private int bind(
      Transport transport,
      int wanted,
      @Nullable SslContext tls,
      Map<String, HttpRoute> routes,
      ConnectionSupport support) {
    int high = config.outboundHighWaterBytes();
    ServerBootstrap b =
        new ServerBootstrap()
            .group(bossGroup, workerGroup)
            .channel(transport.serverChannel())
            .option(ChannelOption.SO_BACKLOG, 1024)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childOption(
                ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(high / 2, high))
            .childHandler(
                new GatewayInitializer(
                    config,
                    tls,
                    routes,
                    support,
                    openWebSockets,
                    limits,
                    () -> shuttingDown,
                    accepted));
    ChannelFuture bound = b.bind(config.host(), wanted).awaitUninterruptibly();
    if (!bound.isSuccess()) {
      throw new IllegalStateException(
          "Cannot bind the gateway to "
              + config.host()
              + ":"
              + wanted
              + ": "
              + bound.cause().getMessage(),
          bound.cause());
    }
    listeners.add(bound.channel());
    return ((InetSocketAddress) bound.channel().localAddress()).getPort();
  }

  /** The bound HTTP/WebSocket port (useful with port 0); -1 before start. */
  /**
   * For each of these users with a connection to this gateway: the sessions connected. The single
   * node's push hand-off skips them (they get events live).
   */
  public java.util.Map<Long, java.util.Set<Long>> connectedSessions(
      java.util.Collection<Long> userIds) {
    return registry.sessionsOf(userIds);
  }

  public int port() {
    return port;
  }

  /** The bound HTTPS/WSS port; -1 when TLS is off. */
  public int tlsPort() {
    return tlsPort;
  }

  /**
   * Stops the gateway gracefully, waiting at most {@code drain} for calls in flight. Idempotent;
   * returns when everything is released.
   */
  public synchronized void shutdown(Duration drain) {
    if (stopped) return;
    stopped = true;
    shuttingDown = true;
    if (!started || workerGroup == null) {
      presence.close();
      return;
    }
    long deadline = System.nanoTime() + drain.toNanos();
    log.info(
        "Gateway shutting down: {} connections, {} calls in flight",
        accepted.size(),
        inFlight.count());

    for (Channel l : listeners) l.close().syncUninterruptibly();
    closeQuietly(subscription);
    for (Channel ch : accepted) {
      ConnectionHandler connection = ch.pipeline().get(ConnectionHandler.class);
      if (connection != null) {
        connection.goAway(
            RECONNECT_BASE_MS + ThreadLocalRandom.current().nextInt(RECONNECT_JITTER_MS));
      }
    }
    try {
      if (!inFlight.awaitIdle(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
        log.warn("Drain time over with {} calls in flight; closing anyway", inFlight.count());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (Channel ch : accepted) {
      if (ch.pipeline().get(ConnectionHandler.class) != null) {
        Objects.requireNonNull(closer).close(ch, CloseCode.GOING_AWAY, "server shutting down");
      } else {
        ch.close();
      }
    }
    accepted.newCloseFuture().awaitUninterruptibly(EVENT_LOOP_STOP.toMillis());
    releaseNetty();
    // After the event loops: every connection has unregistered, so its disconnect is queued.
    presence.close();
    log.info("Gateway stopped");
  }

  @Override
  public void close() {
    shutdown(config.shutdownDrain());
  }

  private void releaseNetty() {
    for (EventLoopGroup g : new EventLoopGroup[] {bossGroup, workerGroup}) {
      if (g != null) g.shutdownGracefully(0, EVENT_LOOP_STOP.toMillis(), TimeUnit.MILLISECONDS);
    }
    for (EventLoopGroup g : new EventLoopGroup[] {bossGroup, workerGroup}) {
      if (g != null) g.terminationFuture().awaitUninterruptibly(EVENT_LOOP_STOP.toMillis() * 2);
    }
  }

  private static void closeQuietly(@Nullable AutoCloseable c) {
    if (c == null) return;
    try {
      c.close();
    } catch (Exception e) {
      log.warn("Could not unsubscribe from the delivery bus", e);
    }
  }
}
