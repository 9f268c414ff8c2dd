package dev.parley.server.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The packaged server ({@code server/target/parley-server.jar}) run as its own OS process, exactly
 * as the README starts it, so tests can kill it for real (SIGTERM or SIGKILL) and start it again on
 * the same data directory.
 */
final class ServerProcess implements AutoCloseable {
  private static final Pattern LISTENING =
      Pattern.compile("Gateway listening on http://[^:]+:(\\d+)");
  private static final Pattern ADMIN = Pattern.compile("Admin endpoints .* on http://[^:]+:(\\d+)");

  private final Process process;
  private final List<String> output = new CopyOnWriteArrayList<>();
  private final CompletableFuture<Integer> port = new CompletableFuture<>();
  private final CompletableFuture<Integer> adminPort = new CompletableFuture<>();
  private final CompletableFuture<Void> outputEnded = new CompletableFuture<>();

  private ServerProcess(Process process) {
    this.process = process;
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                  output.add(line);
                  Matcher m = LISTENING.matcher(line);
                  if (m.find()) port.complete(Integer.parseInt(m.group(1)));
                  Matcher admin = ADMIN.matcher(line);
                  if (admin.find()) adminPort.complete(Integer.parseInt(admin.group(1)));
                }
              } catch (IOException ignored) {
                // the process is gone
              }
              port.completeExceptionally(
                  new IllegalStateException(
                      "server exited before listening:\n" + String.join("\n", output)));
              adminPort.completeExceptionally(
                  new IllegalStateException("server exited before its admin port was bound"));
              outputEnded.complete(null);
            },
            "server-output");
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * The PostgreSQL server the node of {@code dataDir} started, if it runs (a stale pid file's pid
   * may belong to another program). It outlives a killed JVM until the next start shuts it down.
   */
  static java.util.Optional<ProcessHandle> postgresOf(Path dataDir) throws IOException {
    Path pid = dataDir.resolve("postgres").resolve("postmaster.pid");
    if (!Files.exists(pid)) return java.util.Optional.empty();
    long p = Long.parseLong(Files.readAllLines(pid).get(0).trim());
    return ProcessHandle.of(p)
        .filter(ProcessHandle::isAlive)
        .filter(h -> h.info().command().map(command -> command.contains("postgres")).orElse(false));
  }

  /**
   * A client of a server process on {@code port}: short timeouts and fast reconnects for kill
   * tests.
   */
  static dev.parley.client.ParleyClient client(int port, dev.parley.client.Encoding encoding) {
    return dev.parley.client.ParleyClient.builder(java.net.URI.create("http://127.0.0.1:" + port))
        .encoding(encoding)
        .requestTimeout(Duration.ofSeconds(10))
        .reconnectBackoff(Duration.ofMillis(50), Duration.ofMillis(500))
        .build();
  }

  static int freePort() {
    return dev.parley.testkit.FreePorts.next();
  }

  static Path jar() {
    Path jar = Path.of("target", "parley-server.jar").toAbsolutePath();
    if (!Files.exists(jar))
      throw new IllegalStateException("Build the server first: " + jar + " is missing");
    return jar;
  }

  static ServerProcess start(Path dataDir, Map<String, String> env) {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-jar", jar().toString()));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().put("PARLEY_NODE_DATA_DIR", dataDir.toString());
    pb.environment().put("PARLEY_GATEWAY_HOST", "127.0.0.1");
    pb.environment().put("PARLEY_GATEWAY_PORT", "0");
    pb.environment().put("PARLEY_ADMIN_PORT", "0");
    pb.environment().putAll(env);
    try {
      return new ServerProcess(pb.start());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits until the process has logged its admin port (/healthz, /readyz, /metrics). */
  int awaitAdminPort(Duration timeout) {
    return adminPort.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).join();
  }

  /** Waits until the gateway has logged its port. */
  int awaitPort(Duration timeout) {
    return port.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).join();
  }

  long pid() {
    return process.pid();
  }

  /** SIGTERM: the graceful path (shutdown hook drains and stops PostgreSQL). */
  int terminate(Duration timeout) throws InterruptedException {
    // Through the handle: Process.destroy() would also close our end of the output pipe, and the
    // server's shutdown lines would be lost.
    process.toHandle().destroy();
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("server did not stop within " + timeout + ":\n" + output());
    }
    outputEnded.orTimeout(5, TimeUnit.SECONDS).join();
    return process.exitValue();
  }

  /** SIGKILL: nothing runs, the embedded PostgreSQL child is left behind. */
  void kill() throws InterruptedException {
    process.toHandle().destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  String output() {
    return String.join("\n", output);
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
    }
  }
}
