package dev.parley.server.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One process of a test cluster: the packaged jar ({@code server/target/parley-server.jar}) as its
 * own OS process, started the way {@code scripts/cluster-local.sh} starts it (configuration by
 * environment variables), so that a test can SIGKILL it and start it again on the same ports and
 * data directory.
 *
 * <p>Output goes to {@code <logs>/<name>.log}, appended across restarts (the script does the same),
 * so a failure report can show what the process said before and after a crash.
 */
final class NodeProcess {
  private final String name;
  private final Path log;
  private final Process process;

  private NodeProcess(String name, Path log, Process process) {
    this.name = name;
    this.log = log;
    this.process = process;
  }

  static Path jar() {
    Path jar = Path.of("target", "parley-server.jar").toAbsolutePath();
    if (!Files.exists(jar))
      throw new IllegalStateException("Build the server first: " + jar + " is missing");
    return jar;
  }

  static NodeProcess start(String name, Path log, Map<String, String> env) {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> command =
        new ArrayList<>(
            List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-jar", jar().toString()));
    try {
      Files.createDirectories(log.getParent());
      Files.writeString(
          log,
          "=== start " + name + " " + Instant.now() + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
      ProcessBuilder pb =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      pb.environment().putAll(env);
      return new NodeProcess(name, log, pb.start());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start " + name, e);
    }
  }

  String name() {
    return name;
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** SIGKILL: nothing runs in the process, its sockets are closed by the kernel. */
  void kill() {
    process.toHandle().destroyForcibly();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS))
        throw new AssertionError(name + " survived SIGKILL");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * SIGTERM (the shutdown hook drains and stops cleanly); SIGKILL after {@code timeout}. Returns
   * the exit code.
   */
  int terminate(Duration timeout) {
    process.toHandle().destroy();
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        kill();
        throw new AssertionError(
            name + " did not stop within " + timeout + " after SIGTERM:\n" + logTail(30));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      kill();
    }
    return process.exitValue();
  }

  /** The log since the process's first start. */
  String log() {
    try {
      return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String logTail(int lines) {
    List<String> all = log().lines().toList();
    return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
  }
}
