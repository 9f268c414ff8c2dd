package dev.parley.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.testkit.PostgresExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The web client in a real browser: one single node, then the Playwright scenarios of {@code
 * web/src/test/browser/scenarios.mjs} (two users register, befriend and chat both ways; a second
 * tab; recall; reload; offline and back; edit, reply, reactions, pins, typing; a group of three
 * with a mention, "read by" and a forward; the Chinese interface; the chat menu, who reacted, Web
 * Push opt-in, search and presence; images, files, upload progress, refusals and retries, avatars)
 * driving Debian's Chromium. Node.js is needed by this test only (users of the web client never
 * need it): the test project is copied to {@code target/browser-tests}, installed there with {@code
 * npm ci} from its lock file, and run with {@code node}. Screenshots land in {@code
 * target/browser-tests/screenshots} (on a failure, one of every open page).
 */
class WebClientIT {
  @RegisterExtension static final PostgresExtension postgres = new PostgresExtension();

  private static final Path SOURCES = Path.of("..", "web", "src", "test", "browser");
  private static final Path WORK = Path.of("target", "browser-tests");
  private static final String CHROMIUM =
      System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium");

  private static TestNode node;

  @BeforeAll
  static void start() {
    // Web Push on, with development keys, so that the client can opt in (the scenarios stand in
    // for the browser's unreachable push service, not for the server); files up to 10 MiB, so that
    // a larger one shows the refusal without a huge upload.
    node =
        TestNode.start(
            postgres,
            Map.of(
                "push.providers.web-push.enabled", "true",
                "push.providers.web-push.subject", "mailto:ops@parley.test",
                "file.max-size", Integer.toString(10 << 20)));
  }

  @AfterAll
  static void stop() {
    if (node != null) node.close();
  }

  @Test
  void theBrowserScenariosPass() throws Exception {
    assertThat(Path.of(CHROMIUM))
        .as("Chromium is needed for the browser tests: apt-get install -y chromium")
        .exists();
    Files.createDirectories(WORK);
    boolean lockChanged = !sameFile("package-lock.json");
    for (String f : List.of("package.json", "package-lock.json", "scenarios.mjs")) {
      Files.copy(SOURCES.resolve(f), WORK.resolve(f), StandardCopyOption.REPLACE_EXISTING);
    }
    if (lockChanged || !Files.isDirectory(WORK.resolve("node_modules/playwright-core"))) {
      assertThat(run(List.of("npm", "ci", "--no-audit", "--no-fund"), Map.of(), "npm.log", 300))
          .as("npm ci (see target/browser-tests/npm.log)")
          .isZero();
    }
    Map<String, String> env =
        Map.of(
            "PARLEY_URL", node.baseUri().toString(),
            "PARLEY_CODES_FILE", node.dataDir.resolve("dev-codes.log").toString(),
            "PARLEY_SCREENSHOTS", WORK.resolve("screenshots").toAbsolutePath().toString(),
            "CHROMIUM", CHROMIUM);
    int exit = run(List.of("node", "scenarios.mjs"), env, "scenarios.log", 480);
    String log = Files.readString(WORK.resolve("scenarios.log"));
    System.out.println(log);
    assertThat(exit).as("browser scenarios:%n%s", log).isZero();
    assertThat(log)
        .contains("PASS a group of three")
        .contains("PASS presence: Bob sees Alice online")
        .contains("PASS a user's picture shows in the others' chat list")
        .contains("PASS search: a Chinese message found and opened")
        .doesNotContain("FAIL");
  }

  private static boolean sameFile(String name) throws IOException {
    Path copy = WORK.resolve(name);
    return Files.exists(copy) && Files.mismatch(copy, SOURCES.resolve(name)) == -1;
  }

  private static int run(List<String> command, Map<String, String> env, String log, int seconds)
      throws IOException, InterruptedException {
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .directory(WORK.toFile())
            .redirectErrorStream(true)
            .redirectOutput(WORK.resolve(log).toFile());
    pb.environment().putAll(env);
    Process p = pb.start();
    if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(String.join(" ", command) + " ran longer than " + seconds + " s");
    }
    return p.exitValue();
  }
}
