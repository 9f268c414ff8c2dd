package dev.parley.bench;

import dev.parley.client.Encoding;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/** Options every scenario takes. */
public final class CommonOptions {
  @Option(
      names = "--server",
      paramLabel = "URL",
      defaultValue = "http://127.0.0.1:8080",
      description = "Server base URL (http only). Default: ${DEFAULT-VALUE}.")
  public URI server;

  @Option(
      names = "--accounts",
      paramLabel = "FILE",
      defaultValue = "accounts.json",
      description =
          "Accounts made by `bench provision`; tokens are refreshed and written back. Default: ${DEFAULT-VALUE}.")
  public Path accounts;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description =
          "The server's data directory (holds dev-codes.log): lets accounts whose refresh token no longer "
              + "works log in again by code.")
  public Path dataDir;

  @Option(
      names = "--encoding",
      paramLabel = "protobuf|json",
      defaultValue = "protobuf",
      converter = EncodingConverter.class,
      description = "Wire encoding of the WebSockets. Default: ${DEFAULT-VALUE}.")
  public Encoding encoding;

  @Option(
      names = "--source-addresses",
      paramLabel = "N",
      defaultValue = "1",
      description =
          "Bind connections to 127.0.0.1..127.0.0.N in turn (N x ~28k ephemeral ports; loopback servers only). "
              + "Default: ${DEFAULT-VALUE} (the OS picks).")
  public int sourceAddresses;

  @Option(
      names = "--threads",
      paramLabel = "N",
      description = "Event-loop threads. Default: the number of cores.")
  public Integer threads;

  @Option(
      names = "--payload",
      paramLabel = "BYTES",
      defaultValue = "128",
      description = "Size of every message text (padded). Default: ${DEFAULT-VALUE}.")
  public int payload;

  @Option(
      names = "--out",
      paramLabel = "FILE",
      description = "Where to write the JSON result. Default: bench-<scenario>-<time>.json.")
  public Path out;

  @Option(
      names = "--metrics",
      paramLabel = "URL|none",
      description =
          "The server's Prometheus endpoint (on its admin port), sampled at every phase. "
              + "Default: http://<server host>:9090/metrics.")
  public String metrics;

  @Option(
      names = "--server-pid",
      paramLabel = "PID",
      description =
          "The server's process id when it runs on this machine: RSS and CPU from /proc/PID.")
  public Long serverPid;

  @Option(
      names = "--max-in-flight",
      paramLabel = "N",
      defaultValue = "60",
      description =
          "Requests awaiting answers per connection (the server allows 64); more wait locally, and "
              + "that wait counts in the latency. Default: ${DEFAULT-VALUE}.")
  public int maxInFlight;

  @Option(
      names = "--request-timeout",
      paramLabel = "DURATION",
      defaultValue = "30s",
      converter = Durations.class,
      description =
          "A request without an answer after this is an error (and a send is retried). Default: ${DEFAULT-VALUE}.")
  public Duration requestTimeout;

  @Option(
      names = "--connect-concurrency",
      paramLabel = "N",
      defaultValue = "100",
      description = "Connections being opened at once. Default: ${DEFAULT-VALUE}.")
  public int connectConcurrency;

  @Option(
      names = "--ack-interval",
      paramLabel = "DURATION",
      defaultValue = "10s",
      converter = Durations.class,
      description =
          "How often a device acks its applied pts while updates flow (0 = never). Default: ${DEFAULT-VALUE}.")
  public Duration ackInterval;

  public int threads() {
    return threads != null && threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
  }

  /** The /metrics URL, or null when disabled. */
  public @Nullable URI metricsUri() {
    if ("none".equalsIgnoreCase(metrics)) return null;
    if (metrics != null && !metrics.isBlank()) return URI.create(metrics);
    // The server's default admin port; metrics are not served on the client port.
    return URI.create("http://" + server.getHost() + ":9090/metrics");
  }

  /** Accepts protobuf/json (any case) and the subprotocol names. */
  public static final class EncodingConverter
      implements picocli.CommandLine.ITypeConverter<Encoding> {
    @Override
    public Encoding convert(String value) {
      return switch (value.toLowerCase(java.util.Locale.ROOT)) {
        case "protobuf", "proto", "binary", "parley.v2.protobuf" -> Encoding.PROTOBUF;
        case "json", "parley.v2.json" -> Encoding.JSON;
        default ->
            throw new picocli.CommandLine.TypeConversionException(
                "encoding is protobuf or json, not " + value);
      };
    }
  }
}
