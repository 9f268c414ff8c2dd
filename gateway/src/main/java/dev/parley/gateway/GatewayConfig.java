package dev.parley.gateway;

import java.time.Duration;
import java.util.List;

/** The {@code gateway} section of the configuration; see parley-defaults.yaml for each key. */
public record GatewayConfig(
    String host,
    int port,
    Tls tls,
    int maxFrameBytes,
    int maxHttpBodyBytes,
    Duration heartbeatInterval,
    Duration idleTimeout,
    Duration authTimeout,
    int maxInFlightRequests,
    Duration requestTimeout,
    int outboundHighWaterBytes,
    int outboundLimitBytes,
    int maxConnections,
    int maxConnectionsPerIp,
    Duration handshakeTimeout,
    List<String> allowedOrigins,
    Duration sessionTouchInterval,
    Duration shutdownDrain) {

  public record Tls(boolean enabled, int port, String certFile, String keyFile) {}
}
