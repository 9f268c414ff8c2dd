package dev.parley.gateway.support;

import dev.parley.gateway.GatewayConfig;
import java.time.Duration;
import java.util.List;

/** A mutable stand-in for the configuration record, with small limits and short times for tests. */
public final class TestConfig {
  public int port;
  public boolean tls;
  public int maxFrameBytes = 4096;
  public int maxHttpBodyBytes = 4096;
  public Duration heartbeatInterval = Duration.ofMillis(200);
  public Duration idleTimeout = Duration.ofSeconds(3);
  public Duration authTimeout = Duration.ofSeconds(2);
  public int maxInFlightRequests = 2;
  public Duration requestTimeout = Duration.ofSeconds(5);
  public int outboundHighWaterBytes = 64 * 1024;
  public int outboundLimitBytes = 1024 * 1024;
  public int maxConnections = 100;
  public int maxConnectionsPerIp = 0;
  public Duration handshakeTimeout = Duration.ofSeconds(5);
  public List<String> allowedOrigins = List.of();
  public Duration sessionTouchInterval = Duration.ofMinutes(5);
  public Duration shutdownDrain = Duration.ofSeconds(3);
  public List<String> webMediaOrigins = List.of();

  public GatewayConfig build() {
    return new GatewayConfig(
        "127.0.0.1",
        port,
        new GatewayConfig.Tls(tls, 0, "", ""),
        maxFrameBytes,
        maxHttpBodyBytes,
        heartbeatInterval,
        idleTimeout,
        authTimeout,
        maxInFlightRequests,
        requestTimeout,
        outboundHighWaterBytes,
        outboundLimitBytes,
        maxConnections,
        maxConnectionsPerIp,
        handshakeTimeout,
        allowedOrigins,
        sessionTouchInterval,
        shutdownDrain,
        webMediaOrigins);
  }
}
