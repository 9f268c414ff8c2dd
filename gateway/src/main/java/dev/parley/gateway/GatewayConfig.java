package dev.parley.gateway;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * The {@code gateway} section of the configuration; see parley-defaults.yaml for each key.
 *
 * @param webMediaOrigins where the web client's pictures and uploads go (its CSP)
 */
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
    Duration shutdownDrain,
    List<String> webMediaOrigins) {

  /** This configuration with more media origins (the object store the node itself uses). */
  public GatewayConfig withWebMediaOrigins(List<String> more) {
    LinkedHashSet<String> all = new LinkedHashSet<>(webMediaOrigins);
    all.addAll(more);
    return new GatewayConfig(
        host,
        port,
        tls,
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
        List.copyOf(all));
  }

  public record Tls(boolean enabled, int port, String certFile, String keyFile) {}
}
