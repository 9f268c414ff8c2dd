package dev.parley.gateway.support;

import dev.parley.common.bus.LocalDeliveryBus;
import dev.parley.common.grpc.CallContext;
import dev.parley.common.grpc.GrpcErrors;
import dev.parley.common.presence.Presence;
import dev.parley.gateway.Gateway;
import dev.parley.gateway.ServiceChannels;
import dev.parley.gateway.codec.Encoding;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A real {@link Gateway} on a free port in front of an in-process gRPC server running {@link
 * FakeUserService} (with the production error and call-context interceptors), plus clients for it.
 */
public final class GatewayHarness implements AutoCloseable {
  public final FakeUserService users = new FakeUserService();
  public final LocalDeliveryBus bus = new LocalDeliveryBus();
  public final PrometheusMeterRegistry metrics =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  public final AtomicBoolean ready = new AtomicBoolean(true);
  public final Gateway gateway;
  public final HttpClient http;
  private final Server server;
  private final ManagedChannel channel;

  public GatewayHarness(TestConfig config) {
    this(config, Presence.none(), Duration.ofSeconds(15));
  }

  /** A gateway that reports its sessions to {@code presence} every {@code presenceRefresh}. */
  public GatewayHarness(TestConfig config, Presence presence, Duration presenceRefresh) {
    String name = InProcessServerBuilder.generateName();
    try {
      server =
          InProcessServerBuilder.forName(name)
              .addService(
                  ServerInterceptors.intercept(
                      users, GrpcErrors.serverInterceptor(), CallContext.serverInterceptor()))
              .build()
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    channel = InProcessChannelBuilder.forName(name).build();
    gateway =
        new Gateway(
            config.build(),
            new ServiceChannels(channel, channel),
            bus,
            metrics,
            ready::get,
            presence,
            presenceRefresh,
            Clock.systemUTC(),
            OpenTelemetry.noop().getTracer(Gateway.TRACER));
    gateway.start();
    http =
        TestTls.trustingAll(HttpClient.newBuilder()).version(HttpClient.Version.HTTP_1_1).build();
  }

  public URI http(String path) {
    return URI.create("http://127.0.0.1:" + gateway.port() + path);
  }

  public URI ws() {
    return URI.create("ws://127.0.0.1:" + gateway.port() + "/ws");
  }

  public WsClient connect(Encoding encoding) {
    return WsClient.connect(http, ws(), encoding);
  }

  /** Connects and authenticates as the given user and session. */
  public WsClient login(Encoding encoding, long user, long session) {
    WsClient c = connect(encoding);
    c.authenticate("good-" + user + "-" + session);
    return c;
  }

  public HttpResponse<String> get(String path) {
    return send(
        HttpRequest.newBuilder(http(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> body) {
    try {
      return http.send(request, body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    gateway.shutdown(Duration.ofSeconds(1));
    http.close();
    channel.shutdownNow();
    server.shutdownNow();
    try {
      server.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
