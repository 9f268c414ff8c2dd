package dev.parley.server;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code parley admin ...}: operator commands that talk to a running process's admin port. They run
 * on the machine (or in the pod) of that process: the admin endpoints they use answer loopback
 * clients only.
 */
@Command(
    name = "admin",
    mixinStandardHelpOptions = true,
    description = "Operator commands against a running process's admin port.",
    subcommands = {AdminCommand.AuditUser.class, AdminCommand.Reindex.class})
public final class AdminCommand implements Callable<Integer> {

  @Override
  public Integer call() {
    System.err.println(
        "Usage: parley admin audit-user <user id> [--admin URL] | parley admin reindex [--admin URL]");
    return 2;
  }

  /** Sends {@code request} to the admin port; null (after saying why) when it cannot be reached. */
  static @Nullable HttpResponse<String> send(URI admin, HttpRequest request)
      throws InterruptedException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      System.err.println("Cannot reach the admin port at " + admin + ": " + e);
      return null;
    }
  }

  /** Exit codes: 0 no problem found, 1 problems found, 2 the audit could not run. */
  @Command(
      name = "audit-user",
      mixinStandardHelpOptions = true,
      description =
          "Checks a user's feed, device cursors and conversations for seq gaps, cursor problems and"
              + " read-state inconsistencies, and prints the report (operations.md, \"Sync audit\")."
              + " Exit code 0: no problem; 1: problems found; 2: the audit could not run.")
  static final class AuditUser implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "USER_ID", description = "The user's id.")
    long userId;

    @Option(
        names = "--admin",
        defaultValue = "http://127.0.0.1:9090",
        description =
            "Admin base URL of the single node or of a msg-role process. Default: ${DEFAULT-VALUE}.")
    @SuppressWarnings("NullAway.Init") // picocli sets it (it has a default) before call()
    URI admin;

    @Override
    public Integer call() throws InterruptedException {
      HttpResponse<String> response =
          send(
              admin,
              HttpRequest.newBuilder(admin.resolve("/audit/user?id=" + userId))
                  .timeout(Duration.ofMinutes(5))
                  .build());
      if (response == null) return 2;
      if (response.statusCode() == 404) {
        System.err.println(
            admin + " serves no audit: point --admin at the single node or a msg-role process");
        return 2;
      }
      if (response.statusCode() != 200) {
        System.err.println("The audit failed (" + response.statusCode() + "): " + response.body());
        return 2;
      }
      System.out.print(response.body());
      return response.body().startsWith("OK") ? 0 : 1;
    }
  }

  /** Exit codes: 0 the rebuild started, 2 it could not. */
  @Command(
      name = "reindex",
      mixinStandardHelpOptions = true,
      description =
          "Rebuilds the message search index online (after a content key rotation or a tokenizer"
              + " change; design.md 14.4): search keeps answering meanwhile.")
  static final class Reindex implements Callable<Integer> {
    @Option(
        names = "--admin",
        defaultValue = "http://127.0.0.1:9090",
        description =
            "Admin base URL of the single node or of a msg-role process. Default: ${DEFAULT-VALUE}.")
    @SuppressWarnings("NullAway.Init") // picocli sets it (it has a default) before call()
    URI admin;

    @Override
    public Integer call() throws InterruptedException {
      HttpResponse<String> response =
          send(
              admin,
              HttpRequest.newBuilder(admin.resolve("/search/reindex"))
                  .POST(HttpRequest.BodyPublishers.noBody())
                  .timeout(Duration.ofMinutes(1))
                  .build());
      if (response == null) return 2;
      if (response.statusCode() != 200) {
        System.err.println("Reindex refused (" + response.statusCode() + "): " + response.body());
        return 2;
      }
      System.out.println(response.body().strip());
      return 0;
    }
  }
}
