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
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A few seconds of each scenario that carries messages (S1, S2, S3, S5, S6, S8) against a real
 * single node, through the command line as a user runs them: provision, then the scenarios. Asserts
 * correctness (nothing lost or duplicated, the verdict), that numbers were produced and which sync
 * each catch-up used (get_difference for one-to-one messages, sync_groups for group entries);
 * performance is not asserted.
 */
class BenchSmokeIT {
  @RegisterExtension static final PostgresExtension postgres = new PostgresExtension();

  @TempDir static Path dir;

  static BenchServer server;
  static Path accounts;

  @BeforeAll
  static void startAndProvision() {
    server = BenchServer.start(postgres);
    accounts = dir.resolve("accounts.json");
    int code =
        bench(
            "provision",
            "--server",
            server.uri().toString(),
            "--data-dir",
            server.dataDir.toString(),
            "--users",
            "12",
            "--out",
            accounts.toString(),
            "--concurrency",
            "4");
    assertThat(code).isZero();
    assertThat(accounts).exists();
  }

  @AfterAll
  static void stop() {
    if (server != null) server.close();
  }

  @Test
  void s1RingStepsUpWithoutLossAndProducesNumbers() throws IOException {
    JsonObject r =
        runPassing(
            "s1",
            "--users",
            "10",
            "--start-rate",
            "20",
            "--step",
            "20",
            "--max-rate",
            "40",
            "--step-duration",
            "2s",
            "--drain",
            "10s",
            "--p99-limit",
            "10s",
            "--threads",
            "2");
    JsonArray phases = r.getAsJsonArray("phases");
    assertThat(phases.size()).isEqualTo(3); // warm-up and two steps
    for (JsonElement e : phases) {
      JsonObject p = e.getAsJsonObject();
      long sent = p.get("sent").getAsLong();
      long acked = p.get("acked").getAsLong();
      assertThat(sent).isPositive();
      // An overloaded server may refuse some sends (counted as errors); every stored one must
      // arrive.
      assertThat(acked + p.get("failed").getAsLong()).isEqualTo(sent);
      assertThat(p.get("delivered").getAsLong() + p.get("deliveredViaSync").getAsLong())
          .isEqualTo(acked);
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
    JsonObject r =
        runPassing(
            "s3",
            "--messages",
            "1200",
            "--conversations",
            "5",
            "--fill-rate",
            "200",
            "--encoding",
            "json",
            "--threads",
            "2");
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
    assertThat(round.get("pages").getAsInt())
        .isBetween((int) pagesOfUpdates, (int) pagesOfUpdates + 1);
    assertThat(results.get("catchUpRequests").getAsInt())
        .isEqualTo(1 + round.get("pages").getAsInt());
    assertThat(results.get("catchUpMs").getAsDouble()).isPositive();
    // Direct conversations only: the device follows no group, so its catch-up is get_difference
    // alone.
    assertThat(round.get("syncGroupsRequests").getAsInt()).isZero();
  }

  @Test
  void s2GroupMessagesReachEveryOtherMemberLiveWithoutPts() throws IOException {
    JsonObject r =
        runPassing(
            "s2",
            "--groups",
            "2",
            "--group-size",
            "5",
            "--users",
            "10",
            "--rate",
            "20",
            "--duration",
            "2s",
            "--drain",
            "10s",
            "--threads",
            "2");
    JsonObject rate = r.getAsJsonArray("phases").get(0).getAsJsonObject();
    long acked = rate.get("acked").getAsLong();
    assertThat(acked).isPositive();
    assertThat(acked + rate.get("failed").getAsLong()).isEqualTo(rate.get("sent").getAsLong());
    // Four other members per message, each delivery counted once, live or by sync; the group's
    // GROUP_CREATED entry (seq 1, through the feed) is no message of the ledger's.
    assertThat(rate.get("delivered").getAsLong() + rate.get("deliveredViaSync").getAsLong())
        .isEqualTo(4 * acked);
    assertThat(rate.get("lost").getAsLong()).isZero();
    assertThat(rate.get("duplicates").getAsLong()).isZero();
    assertThat(rate.getAsJsonObject("endToEnd").get("count").getAsLong())
        .isEqualTo(rate.get("delivered").getAsLong());
    assertThat(rate.getAsJsonObject("lastRecipient").get("count").getAsLong()).isEqualTo(acked);
    // The final sync: each of the ten members follows its one group.
    assertThat(r.getAsJsonObject("connections").get("syncGroupsRequests").getAsLong())
        .isGreaterThanOrEqualTo(10);
  }

  @Test
  void s5ReconnectingDevicesCatchUpPairsAndGroupsWithoutLoss() throws IOException {
    // Ten users: two groups of four and one pair; one device a second leaves for 300 ms; a fifth
    // of the messages come with an edit, a fifth with a reaction.
    JsonObject r =
        runPassing(
            "s5",
            "--users",
            "10",
            "--duration",
            "6s",
            "--interval",
            "3s",
            "--rate",
            "40",
            "--group-size",
            "4",
            "--grouped-users",
            "0.8",
            "--group-share",
            "0.7",
            "--reconnect-percent",
            "600",
            "--offline",
            "300ms",
            "--edit-share",
            "0.2",
            "--reaction-share",
            "0.2",
            "--drain",
            "10s",
            "--threads",
            "2");
    for (JsonElement e : r.getAsJsonArray("phases")) {
      JsonObject p = e.getAsJsonObject();
      assertThat(p.get("acked").getAsLong()).isPositive();
      assertThat(p.get("lost").getAsLong()).isZero();
      assertThat(p.get("duplicates").getAsLong()).isZero();
    }
    JsonObject connections = r.getAsJsonObject("connections");
    assertThat(connections.get("reconnects").getAsLong()).isPositive();
    assertThat(connections.getAsJsonObject("reconnectCatchUp").get("count").getAsLong())
        .isPositive();
    assertThat(connections.get("syncGroupsRequests").getAsLong()).isPositive();
    assertThat(connections.get("syncGroupsErrors").getAsLong()).isZero();
    // Edits, reactions and typing flowed with the messages; the server refused none of them (a
    // request cut
    // by a reconnect is the only failure allowed), and the receipts above still found every text.
    JsonObject results = r.getAsJsonObject("results");
    assertThat(results.get("edits").getAsLong()).isPositive();
    assertThat(results.get("reactions").getAsLong()).isPositive();
    assertThat(results.get("typing").getAsLong()).isPositive();
    assertThat(results.get("typingReceived").getAsLong()).isPositive();
    assertThat(results.getAsJsonObject("extrasErrors").keySet())
        .allSatisfy(error -> assertThat(error).endsWith(" closed"));
  }

  @Test
  void s8LoadsSearchesProbesAndReindexesAtTinyScale() throws IOException {
    JsonObject r =
        runPassing(
            "s8",
            "--users",
            "12",
            "--conversations",
            "20",
            "--messages",
            "500",
            "--heavy-conversations",
            "3",
            "--heavy-messages",
            "300",
            "--searches",
            "26",
            "--search-warmup",
            "13",
            "--probes",
            "8",
            "--probe-interval",
            "100ms",
            "--background-rate",
            "20",
            "--threads",
            "2");
    JsonObject results = r.getAsJsonObject("results");
    JsonObject load = results.getAsJsonObject("load");
    assertThat(load.get("messages").getAsLong()).isEqualTo(500);
    assertThat(load.get("failed").getAsLong()).isZero();
    assertThat(load.get("heavyUserVisibleMessages").getAsLong()).isEqualTo(300);
    // Every stored message was indexed (the counter counts every entry, so at least as many).
    assertThat(load.get("indexedEntries").getAsLong()).isGreaterThanOrEqualTo(500);
    assertThat(load.get("indexerWentQuiet").getAsBoolean()).isTrue();
    // 26 searches of the 13 kinds, each kind found something (else the run FAILED above).
    JsonObject all = results.getAsJsonObject("searchByKind").getAsJsonObject("all");
    assertThat(all.get("requests").getAsLong()).isEqualTo(26);
    assertThat(results.getAsJsonObject("searchMs").get("p99Ms").getAsDouble()).isPositive();
    JsonObject findable = results.getAsJsonObject("findable");
    assertThat(findable.get("probes").getAsLong()).isEqualTo(8);
    assertThat(findable.get("found").getAsLong()).isEqualTo(8);
    assertThat(findable.getAsJsonObject("ackToFoundMs").get("maxMs").getAsDouble()).isPositive();
    JsonObject reindex = results.getAsJsonObject("reindex");
    assertThat(reindex.get("finished").getAsBoolean()).isTrue();
    assertThat(reindex.get("entries").getAsLong()).isGreaterThanOrEqualTo(500);
  }

  /**
   * Runs a scenario against the test server with the provisioned accounts, asserts that it PASSED
   * (exit code 0) and returns its JSON report.
   */
  @Test
  void s6UploadsDistinctPhotosAndTheObserverReceivesEveryOne() throws IOException {
    JsonObject r =
        runPassing(
            "s6", "--clients", "2", "--images", "6", "--image-bytes", "60000", "--drain", "30s");
    JsonObject results = r.getAsJsonObject("results");
    assertThat(results.get("receivedByObserver").getAsLong()).isEqualTo(6);
    assertThat(results.get("uploadMBPerSecond").getAsDouble()).isPositive();
    assertThat(results.getAsJsonObject("uploadMs").get("count").getAsLong()).isEqualTo(6);
    assertThat(results.getAsJsonObject("completeUploadMs").get("p50Ms").getAsDouble()).isPositive();
    // Distinct content: no upload may have been a dedup, none may have failed.
    assertThat(results.getAsJsonObject("problems").keySet())
        .noneMatch(k -> k.startsWith("deduplicated") || k.startsWith("upload or send failed"));
  }

  private static JsonObject runPassing(String scenario, String... options) throws IOException {
    Path out = dir.resolve(scenario + ".json");
    List<String> args =
        new ArrayList<>(
            List.of(
                scenario,
                "--server",
                server.uri().toString(),
                "--accounts",
                accounts.toString(),
                "--out",
                out.toString(),
                "--metrics",
                server.metricsUri().toString()));
    args.addAll(List.of(options));
    int code = bench(args.toArray(String[]::new));
    JsonObject r = read(out);
    assertThat(r.get("verdict").getAsString()).as(r.get("failures").toString()).isEqualTo("PASSED");
    assertThat(code).isZero();
    return r;
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
