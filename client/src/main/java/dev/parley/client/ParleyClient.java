package dev.parley.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import org.jspecify.annotations.Nullable;

/**
 * The entry point of the SDK: one per server (base URL) and configuration; holds what its
 * connections share — an {@link HttpClient}, a timer thread and an executor of virtual threads — so
 * a load generator can run thousands of {@link Connection}s on one client.
 *
 * <pre>{@code
 * ParleyClient client = ParleyClient.builder(URI.create("https://chat.example.org"))
 *     .encoding(Encoding.JSON)
 *     .requestTimeout(Duration.ofSeconds(5))
 *     .build();
 * Credentials credentials = client.auth().login(loginRequest);
 * Connection connection = client.connect(credentials);
 * }</pre>
 *
 * <p>{@link #close()} closes every connection it made.
 */
public final class ParleyClient implements AutoCloseable {
  private static final AtomicInteger connectionCount = new AtomicInteger();

  private final ClientSettings settings;
  private final HttpClient http;
  private final ScheduledThreadPoolExecutor timer;
  private final ExecutorService workers;
  private final AuthApi auth;
  private final ClientResources resources;
  private final Set<Connection> connections = ConcurrentHashMap.newKeySet();

  private ParleyClient(ClientSettings settings, @Nullable SSLContext sslContext) {
    this.settings = settings;
    HttpClient.Builder http =
        HttpClient.newBuilder()
            .version(
                HttpClient.Version
                    .HTTP_1_1) // the gateway speaks HTTP/1.1; skips an h2c upgrade attempt
            .connectTimeout(settings.connectTimeout());
    if (sslContext != null) {
      http.sslContext(sslContext);
    }
    this.http = http.build();
    this.timer =
        new ScheduledThreadPoolExecutor(
            1,
            task -> {
              Thread thread = new Thread(task, "parley-client-timer");
              thread.setDaemon(true);
              return thread;
            });
    this.timer.setRemoveOnCancelPolicy(true); // request timeouts are nearly always cancelled
    this.workers =
        Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("parley-client-", 0).factory());
    this.auth =
        new AuthApi(
            this.http,
            settings.endpoints(),
            settings.encoding(),
            settings.requestTimeout(),
            workers);
    this.resources = new ClientResources(this.http, auth, timer, workers);
  }

  public static Builder builder(URI baseUri) {
    return new Builder(baseUri);
  }

  /** Register, login, refresh: the calls made before there is an access token. */
  public AuthApi auth() {
    return auth;
  }

  public Encoding encoding() {
    return settings.encoding();
  }

  public URI baseUri() {
    return settings.baseUri();
  }

  /**
   * The WebSocket endpoint: the base URL with a ws/wss scheme and {@code /ws} appended to its path.
   */
  public URI webSocketUri() {
    return settings.webSocketUri();
  }

  /** Opens a connection with these credentials, kept in memory (refreshed ones included). */
  public Connection connect(Credentials credentials) {
    return connect(TokenStore.inMemory(credentials));
  }

  /** Opens a connection with the credentials in {@code tokens}. */
  public Connection connect(TokenStore tokens) {
    return newConnection(tokens).start();
  }

  /** A connection that starts on {@link Connection#start()}, so listeners can be added before. */
  public Connection newConnection(TokenStore tokens) {
    Objects.requireNonNull(tokens, "tokens");
    Connection connection =
        new Connection(
            "parley-conn-" + connectionCount.incrementAndGet(), settings, resources, tokens);
    connections.add(connection);
    connection.onStateChange(
        state -> {
          if (state.isFinal()) {
            connections.remove(connection);
          }
        });
    return connection;
  }

  /**
   * Uploads and downloads over {@code connection}, sending the bytes with this client's HTTP client
   * and threads; default retries.
   */
  public FileTransfers files(Operations connection) {
    return files(connection, TransferSettings.DEFAULT);
  }

  public FileTransfers files(Operations connection, TransferSettings settings) {
    return new FileTransfers(connection, http, workers, settings);
  }

  /** Closes every connection, then releases the threads and the HTTP client. */
  @Override
  public void close() {
    connections.forEach(Connection::close);
    http.shutdown();
    try {
      if (!http.awaitTermination(Duration.ofSeconds(2))) {
        http.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      http.shutdownNow();
    }
    timer.shutdownNow();
    workers.shutdown();
  }

  /** Settings with defaults for a client on a normal network; tests usually shorten them. */
  public static final class Builder {
    private final List<URI> bases = new ArrayList<>();
    private Encoding encoding = Encoding.PROTOBUF;
    private Duration requestTimeout = Duration.ofSeconds(10);
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration pingInterval = Duration.ofSeconds(30);
    private Duration backoffBase = Duration.ofMillis(200);
    private Duration backoffMax = Duration.ofSeconds(30);
    private Duration backoffResetAfter = Duration.ofSeconds(30);
    private @Nullable SSLContext sslContext;
    private Clock clock = Clock.systemUTC();

    private Builder(URI baseUri) {
      bases.add(checked(baseUri));
    }

    /**
     * More server addresses (other gateways of a cluster): when the current one cannot be reached
     * or drops the connection, the client moves on to the next, in order, wrapping around.
     */
    public Builder fallback(URI... others) {
      for (URI u : others) bases.add(checked(u));
      return this;
    }

    private static URI checked(URI baseUri) {
      String scheme = Objects.requireNonNull(baseUri, "baseUri").getScheme();
      if (!"http".equals(scheme) && !"https".equals(scheme)) {
        throw new IllegalArgumentException("base URL must be http or https: " + baseUri);
      }
      if (baseUri.getRawQuery() != null || baseUri.getRawFragment() != null) {
        throw new IllegalArgumentException("base URL must have no query or fragment: " + baseUri);
      }
      return baseUri;
    }

    /** Protobuf (binary frames) by default. */
    public Builder encoding(Encoding encoding) {
      this.encoding = Objects.requireNonNull(encoding);
      return this;
    }

    /** Default time for a request to be answered (including waiting for READY); 10 s. */
    public Builder requestTimeout(Duration timeout) {
      this.requestTimeout = positive(timeout, "requestTimeout");
      return this;
    }

    /** Time to open a TCP (and TLS) connection; 10 s. */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = positive(timeout, "connectTimeout");
      return this;
    }

    /**
     * How often a READY connection sends an app-level {@code ping}; one unanswered within the
     * request timeout drops the connection and reconnects. 30 s; {@link Duration#ZERO} turns pings
     * off.
     */
    public Builder pingInterval(Duration interval) {
      if (interval.isNegative()) {
        throw new IllegalArgumentException("pingInterval must not be negative: " + interval);
      }
      this.pingInterval = interval;
      return this;
    }

    /**
     * Reconnect delays: full jitter over {@code [0, min(max, base * 2^failures)]}; 200 ms and 30 s.
     */
    public Builder reconnectBackoff(Duration base, Duration max) {
      this.backoffBase = positive(base, "base");
      this.backoffMax = positive(max, "max");
      if (max.compareTo(base) < 0) {
        throw new IllegalArgumentException("max " + max + " is below base " + base);
      }
      return this;
    }

    /** How long a connection must stay up for the back-off to start from scratch; 30 s. */
    public Builder backoffResetAfter(Duration duration) {
      if (duration.isNegative()) {
        throw new IllegalArgumentException("backoffResetAfter must not be negative: " + duration);
      }
      this.backoffResetAfter = duration;
      return this;
    }

    /** For https/wss with a trust store other than the JDK's (a test CA, say). */
    public Builder sslContext(SSLContext sslContext) {
      this.sslContext = Objects.requireNonNull(sslContext);
      return this;
    }

    /** The clock that decides whether an access token has expired; the system clock by default. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock);
      return this;
    }

    public ParleyClient build() {
      return new ParleyClient(
          new ClientSettings(
              new Endpoints(bases),
              encoding,
              requestTimeout,
              connectTimeout,
              pingInterval,
              backoffBase,
              backoffMax,
              backoffResetAfter,
              clock),
          sslContext);
    }

    private static Duration positive(Duration d, String what) {
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(what + " must be positive: " + d);
      }
      return d;
    }
  }
}
