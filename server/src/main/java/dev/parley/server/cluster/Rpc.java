package dev.parley.server.cluster;

import dev.parley.common.grpc.CallContext;
import dev.parley.common.grpc.GrpcErrors;
import io.grpc.BindableService;
import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.NameResolverRegistry;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.TlsChannelCredentials;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * Network gRPC between the processes of a cluster: servers with the error and call-context
 * interceptors every service expects, and round-robin channels to a static list or a DNS name, both
 * with optional mutual TLS.
 */
final class Rpc {
  static {
    NameResolverRegistry.getDefaultRegistry().register(new StaticNameResolverProvider());
  }

  private Rpc() {}

  static Server server(
      int port, Executor executor, List<BindableService> services, ClusterConfig.Tls tls) {
    NettyServerBuilder b =
        NettyServerBuilder.forAddress(new InetSocketAddress("0.0.0.0", port))
            .executor(executor)
            .permitKeepAliveTime(10, TimeUnit.SECONDS)
            .maxInboundMessageSize(16 << 20);
    for (BindableService s : services) {
      b.addService(
          ServerInterceptors.intercept(
              s, GrpcErrors.serverInterceptor(), CallContext.serverInterceptor()));
    }
    try {
      if (tls.enabled()) {
        b.sslContext(
            GrpcSslContexts.forServer(new File(tls.certFile()), new File(tls.keyFile()))
                .trustManager(new File(tls.caFile()))
                .clientAuth(ClientAuth.REQUIRE)
                .build());
      }
      return b.build().start();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start the gRPC server on port " + port, e);
    }
  }

  /**
   * gRPC backs off reconnecting to a failed address up to 2 minutes, failing calls meanwhile: a
   * user or msg instance that restarts would be shunned long after it is back. Every channel is
   * nudged to retry every second instead (a refused connection to a dead instance costs next to
   * nothing).
   */
  private static final java.util.concurrent.ScheduledExecutorService RECONNECT =
      java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
          r -> Thread.ofPlatform().daemon().name("grpc-reconnect").unstarted(r));

  static ManagedChannel channel(String target, ClusterConfig.Tls tls) {
    ManagedChannel channel = build(target, tls);
    RECONNECT.scheduleWithFixedDelay(
        () -> {
          // An exception ends a periodic task: this one ends with its channel.
          if (channel.isShutdown())
            throw new java.util.concurrent.CancellationException("channel closed");
          channel.resetConnectBackoff();
        },
        1,
        1,
        TimeUnit.SECONDS);
    return channel;
  }

  private static ManagedChannel build(String target, ClusterConfig.Tls tls) {
    if (target == null || target.isBlank())
      throw new IllegalArgumentException(
          "A gRPC target is required (static:///host:port or dns:///name:port)");
    return NettyChannelBuilder.forTarget(target, credentials(tls))
        .defaultLoadBalancingPolicy("round_robin")
        .keepAliveTime(30, TimeUnit.SECONDS)
        .maxInboundMessageSize(16 << 20)
        .build();
  }

  /**
   * The credentials of every channel from this process to another: mutual TLS (this process's
   * certificate, trusting only the cluster's CA) when cluster.tls is enabled, plaintext otherwise.
   * The one place they are made, so that no channel (services, dispatcher to gateways) is left out.
   */
  static ChannelCredentials credentials(ClusterConfig.Tls tls) {
    if (!tls.enabled()) return InsecureChannelCredentials.create();
    try {
      return TlsChannelCredentials.newBuilder()
          .keyManager(new File(tls.certFile()), new File(tls.keyFile()))
          .trustManager(new File(tls.caFile()))
          .build();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the cluster TLS files", e);
    }
  }
}
