package dev.parley.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The web client's pure logic (mention ranges, reaction counts, typing rules, applying entries)
 * under Node's own test runner: {@code node --test src/test/js/*.test.mjs}. The modules under test
 * are the very files the browser loads; they touch no DOM, so Node runs them as they are. Node is
 * needed by the tests only (as for {@code WebClientIT}), never by users; an IT so that {@code
 * ./mvnw test} needs no Node.
 */
class WebLogicIT {
  private static final Path TESTS = Path.of("src", "test", "js");

  @Test
  void theJavaScriptUnitTestsPass() throws IOException, InterruptedException {
    List<String> files;
    try (Stream<Path> s = Files.list(TESTS)) {
      files = s.map(Path::toString).filter(f -> f.endsWith(".test.mjs")).sorted().toList();
    }
    assertThat(files).as("JavaScript tests in %s", TESTS).isNotEmpty();
    List<String> command = new ArrayList<>(List.of("node", "--test", "--test-reporter=tap"));
    command.addAll(files);
    Path log = Files.createDirectories(Path.of("target")).resolve("node-test.log");
    Process p =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("node --test ran longer than 120 s");
    }
    String out = Files.readString(log);
    assertThat(p.exitValue()).as("node --test:%n%s", out).isZero();
    assertThat(out).contains("# fail 0").containsPattern("# pass [1-9]");
  }
}
