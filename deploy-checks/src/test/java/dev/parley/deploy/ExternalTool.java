package dev.parley.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A command-line tool the checks run (promtool, kubectl). A missing tool fails the test with the
 * package to install rather than skipping it: a skipped check would let a broken file through CI.
 */
record ExternalTool(String command, String howToInstall) {
  static final ExternalTool PROMTOOL =
      new ExternalTool(
          "promtool", "install Debian's `prometheus` package (apt-get install prometheus)");
  static final ExternalTool KUBECTL =
      new ExternalTool(
          "kubectl", "install a kubectl client (1.27 or newer; `kubectl kustomize` works offline)");

  /** What one run printed (stdout and stderr interleaved) and its exit status. */
  record Result(int exitCode, String output) {}

  /** Runs the tool with {@code args} in {@code dir}; fails when it is not on the PATH. */
  Result run(Path dir, String... args) throws IOException, InterruptedException {
    Path executable = find();
    List<String> cmd = new ArrayList<>();
    cmd.add(executable.toString());
    cmd.addAll(List.of(args));
    Process process =
        new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    // Read before waiting: a full pipe would block the tool.
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(2, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError(command + " did not finish within 2 minutes");
    }
    return new Result(process.exitValue(), output);
  }

  private Path find() {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(java.io.File.pathSeparator)) {
      if (dir.isEmpty()) continue;
      Path candidate = Path.of(dir, command);
      if (Files.isExecutable(candidate)) return candidate;
    }
    throw new AssertionError(
        command + " is not installed, and the deploy/ checks need it: " + howToInstall + ".");
  }
}
