package dev.parley.server.cluster;

import static org.awaitility.Awaitility.await;

import dev.parley.testkit.KafkaBroker;
import dev.parley.testkit.PostgresExtension;
import dev.parley.testkit.RedisExtension;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A whole Parley cluster for one test class, as {@code scripts/cluster-local.sh} runs it: the
 * packaged jar as six OS processes — {@code user-1}, {@code msg-1}, {@code msg-2}, {@code push-1},
 * {@code gateway-1}, {@code gateway-2} — sharing the test class's PostgreSQL database, Redis and
 * Kafka broker.
 *
 * <p>Every process gets the same secrets (token key, content key), the services as {@code
 * static:///} targets, and its own fixed ports, chosen once, so that a process started again after
 * {@link #kill} comes back where its peers and clients expect it. Test settings: presence TTL 6 s
 * refreshed every 2 s, cheap Argon2, rate limits out of the way, 2 s shutdown drain.
 *
 * <p>Verification codes: {@code user-1} runs the development code sink, which appends them to
 * {@code <its data dir>/dev-codes.log} ({@link #userDataDir()}). Logs: {@code
 * <dir>/logs/<name>.log}.
 */
final class ClusterHarness implements AutoCloseable {
  static final List<String> NODES =
      List.of("user-1", "msg-1", "msg-2", "push-1", "gateway-1", "gateway-2");
  static final Duration PRESENCE_TTL = Duration.ofSeconds(6);
  static final Duration PRESENCE_REFRESH = Duration.ofSeconds(2);
  private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

  private final Path dir;
  private final RedisExtension redis;
  private final KafkaBroker kafka;
  private final Map<String, String> shared = new HashMap<>();
  private final Map<String, Integer> grpcPort = new HashMap<>();
  private final Map<String, Integer> adminPort = new HashMap<>();
  private final Map<String, Integer> httpPort = new HashMap<>();
  private final Map<String, NodeProcess> running = new LinkedHashMap<>();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final RedisClient redisClient;
  private final StatefulRedisConnection<String, String> redisConnection;

  private ClusterHarness(
      Path dir,
      String jdbcUrl,
      String dbUser,
      String dbPassword,
      RedisExtension redis,
      KafkaBroker kafka) {
    this.dir = dir;
    this.redis = redis;
    this.kafka = kafka;
    for (String n : NODES) {
      grpcPort.put(n, freePort());
      adminPort.put(n, freePort());
      if (n.startsWith("gateway-")) httpPort.put(n, freePort());
    }
    SecureRandom random = new SecureRandom();
    shared.put("PARLEY_USER_TOKEN_KEY", randomKey(random));
    shared.put("PARLEY_MSG_CONTENT_KEYS_1", randomKey(random));
    shared.put("PARLEY_DATABASE_URL", jdbcUrl);
    shared.put("PARLEY_DATABASE_USER", dbUser);
    shared.put("PARLEY_DATABASE_PASSWORD", dbPassword);
    shared.put("PARLEY_DATABASE_POOL_SIZE", "6");
    shared.put("PARLEY_CLUSTER_REDIS_URI", redis.uri());
    shared.put("PARLEY_CLUSTER_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
    shared.put("PARLEY_CLUSTER_USER_SERVICE", "static:///127.0.0.1:" + grpcPort.get("user-1"));
    shared.put(
        "PARLEY_CLUSTER_MSG_SERVICE",
        "static:///127.0.0.1:" + grpcPort.get("msg-1") + ",127.0.0.1:" + grpcPort.get("msg-2"));
    shared.put("PARLEY_CLUSTER_PRESENCE_TTL", PRESENCE_TTL.toSeconds() + "s");
    shared.put("PARLEY_CLUSTER_PRESENCE_REFRESH_INTERVAL", PRESENCE_REFRESH.toSeconds() + "s");
    shared.put("PARLEY_USER_PASSWORD_MEMORY_KIB", "1024");
    shared.put("PARLEY_USER_PASSWORD_ITERATIONS", "1");
    for (String limit :
        List.of(
            "CODE_PER_IDENTIFIER",
            "CODE_PER_IP",
            "LOGIN_PER_IDENTIFIER",
            "LOGIN_PER_IP",
            "REGISTER_PER_IP",
            "REFRESH_PER_SESSION",
            "LOOKUP_PER_USER")) {
      shared.put("PARLEY_USER_RATE_LIMITS_" + limit + "_PERMITS", "10000");
    }
    shared.put("PARLEY_USER_CODE_RESEND_COOLDOWN", "1ms");
    shared.put("PARLEY_GATEWAY_HOST", "127.0.0.1");
    shared.put("PARLEY_GATEWAY_SHUTDOWN_DRAIN", "2s");
    redisClient = RedisClient.create(redis.uri());
    redisConnection = redisClient.connect();
  }

  /**
   * A cluster whose state and logs live in {@code target/cluster-it/<test name>} (emptied first),
   * kept after the run for post-mortems.
   */
  static ClusterHarness start(
      String testName, PostgresExtension postgres, RedisExtension redis, KafkaBroker kafka) {
    return start(emptyDir(testName), postgres, redis, kafka);
  }

  /** The same with more environment for every process (e.g. the file service's S3 store). */
  static ClusterHarness start(
      String testName,
      PostgresExtension postgres,
      RedisExtension redis,
      KafkaBroker kafka,
      Map<String, String> env) {
    return start(emptyDir(testName), postgres.jdbcUrl(), postgres.user(), "", redis, kafka, env);
  }

  /** {@code target/cluster-it/<test name>}, emptied. */
  static Path emptyDir(String testName) {
    Path dir = Path.of("target", "cluster-it", testName).toAbsolutePath();
    deleteRecursively(dir);
    return dir;
  }

  /**
   * Starts the services first (user and msg migrate their schemas, under Flyway's lock), then push
   * and the gateways, and waits until each is ready. Two waves rather than six JVMs at once: on a
   * 2-core machine six starting JVMs starve each other, and a process whose first Redis connection
   * takes longer than its connect timeout (2 s) refuses to start.
   */
  static ClusterHarness start(
      Path dir, PostgresExtension postgres, RedisExtension redis, KafkaBroker kafka) {
    return start(dir, postgres.jdbcUrl(), postgres.user(), "", redis, kafka);
  }

  /** The same against any PostgreSQL database, e.g. a {@link RestartablePostgres}. */
  static ClusterHarness start(
      Path dir,
      String jdbcUrl,
      String dbUser,
      String dbPassword,
      RedisExtension redis,
      KafkaBroker kafka) {
    return start(dir, jdbcUrl, dbUser, dbPassword, redis, kafka, Map.of());
  }

  private static ClusterHarness start(
      Path dir,
      String jdbcUrl,
      String dbUser,
      String dbPassword,
      RedisExtension redis,
      KafkaBroker kafka,
      Map<String, String> env) {
    ClusterHarness cluster = new ClusterHarness(dir, jdbcUrl, dbUser, dbPassword, redis, kafka);
    cluster.shared.putAll(env);
    try {
      for (List<String> wave : List.of(NODES.subList(0, 3), NODES.subList(3, 6))) {
        for (String n : wave) cluster.launch(n);
        for (String n : wave) cluster.awaitStarted(n);
      }
      return cluster;
    } catch (RuntimeException | Error e) {
      cluster.close();
      throw e;
    }
  }

  private Map<String, String> env(String name) {
    Map<String, String> env = new HashMap<>(shared);
    env.put("PARLEY_NODE_ROLE", name.substring(0, name.indexOf('-')));
    env.put("PARLEY_NODE_INSTANCE_ID", name);
    env.put("PARLEY_NODE_DATA_DIR", dataDir(name).toString());
    env.put("PARLEY_CLUSTER_GRPC_PORT", grpcPort.get(name).toString());
    env.put("PARLEY_ADMIN_PORT", adminPort.get(name).toString());
    env.put("PARLEY_GATEWAY_PORT", httpPort.getOrDefault(name, 0).toString());
    return env;
  }

  private void launch(String name) {
    NodeProcess old = running.get(name);
    if (old != null && old.isAlive()) throw new IllegalStateException(name + " is running");
    running.put(
        name, NodeProcess.start(name, dir.resolve("logs").resolve(name + ".log"), env(name)));
  }

  /**
   * Starts a stopped or killed process again (same ports, same data directory) and waits until it
   * is ready.
   */
  void start(String name) {
    launch(name);
    awaitStarted(name);
  }

  /**
   * Waits until a launched process is ready. One that gave up while starting is launched again, up
   * to twice: on a machine this busy (load above 20 while other builds run) its first Redis
   * connection can take longer than the 2 s connect timeout, and the process then refuses to start,
   * as it should.
   */
  private void awaitStarted(String name) {
    for (int attempt = 1; ; attempt++) {
      try {
        awaitReady(name, START_TIMEOUT);
        return;
      } catch (AssertionError e) {
        if (attempt == 3 || isAlive(name)) throw e;
        System.out.println(
            "[cluster] "
                + name
                + " exited while starting (attempt "
                + attempt
                + "), launching it again: "
                + process(name)
                    .logTail(40)
                    .lines()
                    .filter(l -> l.contains("Start-up failed"))
                    .findFirst()
                    .orElse("?"));
        launch(name);
      }
    }
  }

  /** SIGKILL. */
  void kill(String name) {
    process(name).kill();
  }

  /** SIGTERM; returns the exit code. */
  int stop(String name) {
    return process(name).terminate(Duration.ofSeconds(30));
  }

  /** Sends SIGSTOP or SIGCONT: a process that hangs (a GC pause, a stuck disk) without dying. */
  void signal(String name, String signal) {
    try {
      Process p =
          new ProcessBuilder("kill", "-" + signal, Long.toString(process(name).pid()))
              .inheritIO()
              .start();
      if (p.waitFor() != 0)
        throw new IllegalStateException("kill -" + signal + " " + name + " failed");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  boolean isAlive(String name) {
    NodeProcess p = running.get(name);
    return p != null && p.isAlive();
  }

  NodeProcess process(String name) {
    NodeProcess p = running.get(name);
    if (p == null) throw new IllegalArgumentException("no process " + name);
    return p;
  }

  void awaitReady(String name, Duration timeout) {
    NodeProcess p = process(name);
    await("readiness of " + name)
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              if (!p.isAlive())
                throw new AssertionError(name + " exited while starting:\n" + p.logTail(40));
              return status(name, "/readyz") == 200;
            });
  }

  /** The base URL of gateway 1 or 2 for clients. */
  URI gateway(int i) {
    return URI.create("http://127.0.0.1:" + httpPort.get("gateway-" + i));
  }

  /** The process's gRPC port (services; a gateway's delivery endpoint). */
  int grpcPort(String name) {
    return grpcPort.get(name);
  }

  /** Where a process's health and metrics are: its admin port, whatever its roles. */
  URI admin(String name) {
    return URI.create("http://127.0.0.1:" + adminPort.get(name));
  }

  /** The HTTP status of GET path on the process's admin endpoint; -1 if it cannot be reached. */
  int status(String name, String path) {
    try {
      return http.send(
              HttpRequest.newBuilder(admin(name).resolve(path))
                  .timeout(Duration.ofSeconds(2))
                  .build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  HttpResponse<String> get(String name, String path) {
    try {
      return http.send(
          HttpRequest.newBuilder(admin(name).resolve(path)).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * The sum of a Prometheus counter's samples (all tag sets) on a process; 0 if it has none yet.
   */
  double metric(String name, String metric) {
    double sum = 0;
    for (String line : get(name, "/metrics").body().lines().toList()) {
      if (line.startsWith(metric + "{") || line.startsWith(metric + " ")) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return sum;
  }

  Path dataDir(String name) {
    return dir.resolve("data").resolve(name);
  }

  /** Where user-1's development code sink writes codes. */
  Path userDataDir() {
    return dataDir("user-1");
  }

  /**
   * A synchronous Redis connection to the cluster's Redis (reconnects by itself after a restart).
   */
  RedisCommands<String, String> redis() {
    return redisConnection.sync();
  }

  RedisExtension redisServer() {
    return redis;
  }

  KafkaBroker kafka() {
    return kafka;
  }

  /**
   * Session → gateway id of a user's live presence entries, as the dispatcher would read them
   * ({@code parley:presence:<user>}: field session id, value {@code <gateway>|<expiry ms>}).
   */
  Map<Long, String> presence(long userId) {
    Map<Long, String> out = new HashMap<>();
    long now = System.currentTimeMillis();
    redis()
        .hgetall("parley:presence:" + userId)
        .forEach(
            (session, value) -> {
              int sep = value.lastIndexOf('|');
              if (Long.parseLong(value.substring(sep + 1)) > now)
                out.put(Long.parseLong(session), value.substring(0, sep));
            });
    return out;
  }

  /**
   * Stops every process that runs, all at once, gracefully (SIGKILL after 30 s); then the Redis
   * client.
   */
  @Override
  public void close() {
    List<CompletableFuture<Void>> stops =
        running.values().stream()
            .filter(NodeProcess::isAlive)
            .map(
                p ->
                    CompletableFuture.runAsync(
                        () -> {
                          try {
                            p.terminate(Duration.ofSeconds(30));
                          } catch (AssertionError e) {
                            System.err.println(e.getMessage());
                          }
                        }))
            .toList();
    stops.forEach(CompletableFuture::join);
    redisConnection.close();
    redisClient.shutdown();
  }

  private static void deleteRecursively(Path dir) {
    if (!java.nio.file.Files.exists(dir)) return;
    try (java.util.stream.Stream<Path> paths = java.nio.file.Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList())
        java.nio.file.Files.delete(p);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot empty " + dir, e);
    }
  }

  private static String randomKey(SecureRandom random) {
    byte[] key = new byte[32];
    random.nextBytes(key);
    return Base64.getEncoder().encodeToString(key);
  }

  private static int freePort() {
    return dev.parley.testkit.FreePorts.next();
  }
}
