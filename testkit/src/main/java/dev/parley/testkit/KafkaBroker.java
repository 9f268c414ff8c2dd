package dev.parley.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Uuid;
import org.jspecify.annotations.Nullable;

/**
 * A real single-node Kafka: one KRaft process that is both broker and controller, in a child JVM,
 * so that a test can kill it (SIGKILL) and start it again on the same ports and data.
 *
 * <p>The child runs exactly what Kafka's scripts run, with this JVM's classpath (which holds {@code
 * kafka_2.13} and {@code kafka-server} through this module):
 *
 * <ul>
 *   <li>once, before the first start: {@code java @DIR/jvm.args kafka.tools.StorageTool format
 *       --config DIR/server.properties --cluster-id <random> --standalone} (= {@code
 *       kafka-storage.sh format --standalone}: formats {@code DIR/data} with this node as the only
 *       controller voter);
 *   <li>at every start: {@code java @DIR/jvm.args kafka.Kafka DIR/server.properties} (= {@code
 *       kafka-server-start.sh}).
 * </ul>
 *
 * <p>Both print into {@code DIR/logs/broker.log}. Ports are chosen once (free ports on 127.0.0.1
 * unless given) and kept across restarts, so clients built before a restart reconnect by
 * themselves; topics and committed offsets live in {@code DIR/data} and survive {@link #stop()},
 * {@link #kill()} and {@link #restart()}. The layout of DIR is described in {@link
 * KafkaBrokerFiles}.
 *
 * <p>A child outlives a parent JVM killed with SIGKILL. A shutdown hook kills it on any other exit,
 * and a start in the same directory first kills the process named by {@code DIR/broker.pid} if it
 * is still a Kafka broker.
 */
public final class KafkaBroker implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

  private final KafkaBrokerFiles files;
  private final boolean temporary;
  private final int port;
  private final int controllerPort;
  private final Map<String, String> overrides;
  private final Thread shutdownHook = new Thread(this::stopOnExit, "kafka-broker-stop");
  // Volatile: the shutdown hook reads it without the lock, which start() may hold for a while.
  private volatile @Nullable Process process;
  private volatile boolean exiting;
  private boolean hookInstalled;

  /**
   * @param dir the broker's directory (created if missing; formatted at the first start)
   * @param port the client listener's port on 127.0.0.1; 0 picks a free one
   * @param controllerPort the controller listener's port; 0 picks a free one
   * @param overrides broker settings added to (or replacing) the defaults
   */
  public KafkaBroker(Path dir, int port, int controllerPort, Map<String, String> overrides) {
    this(dir, port, controllerPort, overrides, false);
  }

  private KafkaBroker(
      Path dir, int port, int controllerPort, Map<String, String> overrides, boolean temporary) {
    this.files = new KafkaBrokerFiles(dir.toAbsolutePath());
    this.port = port == 0 ? freePort() : port;
    this.controllerPort = controllerPort == 0 ? freePort() : controllerPort;
    this.overrides = Map.copyOf(overrides);
    this.temporary = temporary;
  }

  /** A broker in a fresh temp directory, deleted by {@link #close()}. */
  public static KafkaBroker temporary() {
    try {
      return new KafkaBroker(Files.createTempDirectory("parley-kafka-"), 0, 0, Map.of(), true);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create a temp directory for Kafka", e);
    }
  }

  /** Formats the directory if needed, starts the broker and returns once it answers clients. */
  public synchronized void start() {
    if (isRunning()) return;
    files.createDirectories();
    stopOrphan();
    Map<String, String> config =
        new LinkedHashMap<>(KafkaBrokerFiles.defaults(port, controllerPort, files.dataDir()));
    config.putAll(overrides);
    files.writeServerProperties(config);
    files.writeLoggingConfigs();
    files.writeArgFile(System.getProperty("java.class.path"), files.jvmOptions());
    if (!files.formatted()) format();
    if (!hookInstalled) {
      Runtime.getRuntime().addShutdownHook(shutdownHook);
      hookInstalled = true;
    }
    process = launch("kafka.Kafka", files.serverProperties().toString());
    KafkaBrokerFiles.write(files.pidFile(), Long.toString(process.pid()));
    awaitReady();
  }

  /** Graceful shutdown (SIGTERM: Kafka's own shutdown hook runs); SIGKILL if it takes over 30 s. */
  public synchronized void stop() {
    if (process == null) return;
    process.destroy();
    try {
      if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) kill();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      kill();
    }
    process = null;
  }

  /** SIGKILL, as a crash: nothing is flushed or deregistered; returns once the process is gone. */
  public synchronized void kill() {
    if (process == null) return;
    ProcessHandle handle = process.toHandle();
    handle.destroyForcibly();
    handle.onExit().join();
    process = null;
  }

  /** {@link #stop()} then {@link #start()}: same ports, same data. */
  public synchronized void restart() {
    stop();
    start();
  }

  public synchronized boolean isRunning() {
    return process != null && process.isAlive();
  }

  /** {@code 127.0.0.1:PORT}; stable across restarts. */
  public String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  public Path directory() {
    return files.dir();
  }

  public Path logFile() {
    return files.logFile();
  }

  /** Stops the broker; a temporary one's directory is deleted. */
  @Override
  public synchronized void close() {
    stop();
    if (hookInstalled) {
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException alreadyShuttingDown) {
        // The hook is running or about to: nothing left to undo.
      }
      hookInstalled = false;
    }
    if (temporary) deleteRecursively(files.dir());
  }

  private void format() {
    String clusterId = Uuid.randomUuid().toString();
    Process formatter =
        launch(
            "kafka.tools.StorageTool",
            "format",
            "--config",
            files.serverProperties().toString(),
            "--cluster-id",
            clusterId,
            "--standalone");
    try {
      if (!formatter.waitFor(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        formatter.destroyForcibly();
        throw new IllegalStateException(
            "Formatting Kafka storage timed out; see " + files.logFile());
      }
    } catch (InterruptedException e) {
      formatter.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while formatting Kafka storage", e);
    }
    if (formatter.exitValue() != 0 || !files.formatted()) {
      throw new IllegalStateException(
          "Formatting Kafka storage failed (exit "
              + formatter.exitValue()
              + "):\n"
              + files.logTail(30));
    }
  }

  private Process launch(String mainClass, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("@" + files.argFile());
    command.add(mainClass);
    command.addAll(List.of(args));
    try {
      return new ProcessBuilder(command)
          .directory(files.dir().toFile())
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(files.logFile().toFile()))
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start " + mainClass, e);
    }
  }

  /**
   * Ready means: the client listener accepts connections (KRaft opens it only once the broker has
   * registered with the controller and caught up with the metadata log) and the cluster answers a
   * metadata request naming this broker.
   */
  private void awaitReady() {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (!accepts()) {
      checkAlive(deadline);
      pause();
    }
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    props.put(AdminClientConfig.CLIENT_ID_CONFIG, "parley-testkit-readiness");
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000");
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "2000");
    try (Admin admin = Admin.create(props)) {
      while (true) {
        try {
          if (!admin
              .describeCluster(new DescribeClusterOptions().timeoutMs(2000))
              .nodes()
              .get()
              .isEmpty()) return;
        } catch (ExecutionException e) {
          // Not ready yet: retry until the deadline.
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("Interrupted while waiting for Kafka", e);
        }
        checkAlive(deadline);
        pause();
      }
    }
  }

  private void checkAlive(long deadline) {
    Process running = Objects.requireNonNull(process, "started");
    if (!running.isAlive()) {
      int exit = running.exitValue();
      process = null;
      throw new IllegalStateException(
          "Kafka exited with " + exit + " while starting:\n" + files.logTail(40));
    }
    if (System.nanoTime() > deadline) {
      kill();
      throw new IllegalStateException(
          "Kafka did not become ready within " + START_TIMEOUT + ":\n" + files.logTail(40),
          new TimeoutException());
    }
  }

  private boolean accepts() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static void pause() {
    try {
      Thread.sleep(100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for Kafka", e);
    }
  }

  /** Kills a broker that an earlier (killed) parent started in this directory. */
  private void stopOrphan() {
    if (!Files.exists(files.pidFile())) return;
    try {
      long pid = Long.parseLong(Files.readString(files.pidFile(), StandardCharsets.UTF_8).trim());
      Optional<ProcessHandle> orphan = ProcessHandle.of(pid);
      if (orphan.isPresent()
          && orphan.get().info().commandLine().map(c -> c.contains("kafka.Kafka")).orElse(false)) {
        orphan.get().destroyForcibly();
        orphan.get().onExit().get(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      }
      Files.delete(files.pidFile());
    } catch (IOException | NumberFormatException | ExecutionException | TimeoutException e) {
      throw new IllegalStateException("Cannot stop the broker named in " + files.pidFile(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while stopping an orphaned broker", e);
    }
  }

  /** The shutdown hook: a graceful stop, bounded, so that no broker outlives a JVM that exits. */
  private void stopOnExit() {
    exiting = true;
    Process p = process;
    if (p == null) return;
    p.destroy();
    try {
      if (!p.waitFor(10, TimeUnit.SECONDS)) p.destroyForcibly();
    } catch (InterruptedException e) {
      p.destroyForcibly();
    }
  }

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) return;
    try {
      Files.walkFileTree(
          dir,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                throws IOException {
              Files.delete(file);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
              Files.delete(d);
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot delete " + dir, e);
    }
  }

  /**
   * Runs a broker until this JVM is stopped, for scripts (the local cluster):
   *
   * <pre>
   * java -cp CLASSPATH dev.parley.testkit.KafkaBroker --dir DIR [--port 9092] [--controller-port 9093]
   *     [--set key=value]...
   * </pre>
   *
   * Prints {@code bootstrap.servers=127.0.0.1:PORT} once the broker is ready. SIGTERM (or Ctrl-C)
   * stops the broker gracefully. Data stays in DIR for the next start.
   */
  public static void main(String[] args) throws InterruptedException {
    Path dir = null;
    int port = 9092;
    int controllerPort = 9093;
    Map<String, String> overrides = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      @Nullable String value = i + 1 < args.length ? args[i + 1] : null;
      switch (args[i]) {
        case "--dir" -> dir = Path.of(required(args[i], value));
        case "--port" -> port = Integer.parseInt(required(args[i], value));
        case "--controller-port" -> controllerPort = Integer.parseInt(required(args[i], value));
        case "--set" -> {
          String kv = required(args[i], value);
          int eq = kv.indexOf('=');
          if (eq <= 0) throw new IllegalArgumentException("--set needs key=value, got " + kv);
          overrides.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        default -> throw new IllegalArgumentException("Unknown argument " + args[i]);
      }
      i++;
    }
    if (dir == null) throw new IllegalArgumentException("--dir is required");
    // This launcher logs (its readiness check) like the broker, unless told otherwise; the file is
    // written by start() before anything here logs.
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty(
          "logback.configurationFile", dir.toAbsolutePath().resolve("logback.xml").toString());
    }
    KafkaBroker broker = new KafkaBroker(dir, port, controllerPort, overrides);
    broker.start();
    System.out.println("bootstrap.servers=" + broker.bootstrapServers());
    System.out.println("log=" + broker.logFile());
    int exit = Objects.requireNonNull(broker.process).waitFor();
    // Our SIGTERM stops the broker through the shutdown hook; otherwise it died on its own. (halt,
    // not
    // exit: exit would block forever if the JVM were already running its hooks.)
    if (!broker.exiting) {
      System.err.println("Kafka exited with " + exit + "; see " + broker.logFile());
      Runtime.getRuntime().halt(1);
    }
  }

  private static String required(String flag, @Nullable String value) {
    if (value == null) throw new IllegalArgumentException(flag + " needs a value");
    return value;
  }
}
