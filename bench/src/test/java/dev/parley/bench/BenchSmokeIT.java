package dev.parley.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.parley.testkit.PostgresExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A few seconds of S1 and S3 against a real single node, through the command line as a user runs them:
 * provision, then the scenarios. Asserts correctness (nothing lost or duplicated, the verdict) and that
 * numbers were produced; performance is not asserted.
 */
class BenchSmokeIT {
  @RegisterExtension
  static final PostgresExtension postgres = new PostgresExtension();

  @TempDir
  static Path dir;

  static BenchServer server;
  static Path accounts;

  @BeforeAll
  static void startAndProvision() {
    server = BenchServer.start(postgres);
    accounts = dir.resolve("accounts.json");
    int code = bench("provision", "--server", server.uri().toString(), "--data-dir", server.dataDir.toString(),
        "--users", "12", "--out", accounts.toString(), "--concurrency", "4");
    assertThat(code).isZero();
    assertThat(accounts).exists();
  }

  @AfterAll
  static void stop() {
    if (server != null) server.close();
  }

  @Test
  void s1RingStepsUpWithoutLossAndProducesNumbers() throws IOException {
    Path out = dir.resolve("s1.json");
    int code = bench("s1", "--server", server.uri().toString(), "--accounts", accounts.toString(), "--users", "10",
        "--start-rate", "20", "--step", "20", "--max-rate", "40", "--step-duration", "2s", "--drain", "10s",
        "--p99-limit", "10s", "--threads", "2", "--out", out.toString());
    JsonObject r = read(out);
    assertThat(r.get("verdict").getAsString()).as(r.get("failures").toString()).isEqualTo("PASSED");
    assertThat(code).isZero();
    JsonArray phases = r.getAsJsonArray("phases");
    assertThat(phases.size()).isEqualTo(3); // warm-up and two steps
    for (JsonElement e : phases) {
      JsonObject p = e.getAsJsonObject();
      long sent = p.get("sent").getAsLong();
      long acked = p.get("acked").getAsLong();
      assertThat(sent).isPositive();
      // An overloaded server may refuse some sends (counted as errors); every stored one must arrive.
      assertThat(acked + p.get("failed").getAsLong()).isEqualTo(sent);
      assertThat(p.get("delivered").getAsLong() + p.get("deliveredViaSync").getAsLong()).isEqualTo(acked);
      assertThat(p.get("lost").getAsLong()).isZero();
      assertThat(p.get("duplicates").getAsLong()).isZero();
      assertThat(p.getAsJsonObject("endToEnd").get("count").getAsLong()).isPositive();
      assertThat(p.getAsJsonObject("ack").get("p99Ms").getAsDouble()).isPositive();
    }
    JsonObject step1 = phases.get(1).getAsJsonObject();
    assertThat(step1.get("sent").getAsLong()).isEqualTo(40); // 20/s for 2 s, open loop
    assertThat(step1.getAsJsonObject("server").get("available").getAsBoolean()).isTrue();
    assertThat(step1.getAsJsonObject("server").get("heapUsedMb")).isNotNull();
    assertThat(r.getAsJsonObject("machine").get("cores").getAsInt()).isPositive();
    assertThat(r.getAsJsonArray("commandLine").get(0).getAsString()).isEqualTo("s1");
  }

  @Test
  void s3CatchesUpEveryMessageOverJson() throws IOException {
    Path out = dir.resolve("s3.json");
    int code = bench("s3", "--server", server.uri().toString(), "--accounts", accounts.toString(),
        "--messages", "1200", "--conversations", "5", "--fill-rate", "200", "--encoding", "json", "--threads", "2",
        "--out", out.toString());
    JsonObject r = read(out);
    assertThat(r.get("verdict").getAsString()).as(r.get("failures").toString()).isEqualTo("PASSED");
    assertThat(code).isZero();
    JsonObject fill = r.getAsJsonArray("phases").get(0).getAsJsonObject();
    long acked = fill.get("acked").getAsLong();
    assertThat(acked + fill.get("failed").getAsLong()).isEqualTo(1200);
    assertThat(fill.get("deliveredViaSync").getAsLong()).isEqualTo(acked);
    assertThat(fill.get("delivered").getAsLong()).isZero(); // the device was offline
    assertThat(fill.get("lost").getAsLong()).isZero();
    JsonObject results = r.getAsJsonObject("results");
    JsonObject round = results.getAsJsonArray("rounds").get(0).getAsJsonObject();
    // authenticate + one get_difference per page of 1000 updates
    assertThat(round.get("updates").getAsLong()).isGreaterThanOrEqualTo(acked);
    long pagesOfUpdates = round.get("updates").getAsLong() / 1000;
    assertThat(round.get("pages").getAsInt()).isBetween((int) pagesOfUpdates, (int) pagesOfUpdates + 1);
    assertThat(results.get("catchUpRequests").getAsInt()).isEqualTo(1 + round.get("pages").getAsInt());
    assertThat(results.get("catchUpMs").getAsDouble()).isPositive();
  }

  private static int bench(String... args) {
    return new CommandLine(new BenchCommand()).execute(args);
  }

  private static JsonObject read(Path file) throws IOException {
    assertThat(file).exists();
    String json = Files.readString(file);
    System.out.println(json); // kept in the test's output file for whoever debugs a failure
    return JsonParser.parseString(json).getAsJsonObject();
  }
}
