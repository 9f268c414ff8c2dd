package dev.parley.bench;

import dev.parley.bench.account.Account;
import dev.parley.bench.account.AccountsFile;
import dev.parley.bench.account.AuthHttp;
import dev.parley.bench.account.DevCodeTail;
import dev.parley.bench.account.Provisioner;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench provision}: creates (or tops up) the bench users and writes accounts.json. Needs a
 * server writing codes to its development code file and relaxed rate limits
 * (bench/bench-server.yaml).
 */
@Command(
    name = "provision",
    mixinStandardHelpOptions = true,
    description = {
      "Registers bench users without passwords (code login) and saves their tokens to accounts.json.",
      "The server must write codes to <data-dir>/dev-codes.log (user.mail.mode=log) with relaxed rate limits: "
          + "run it with bench/bench-server.yaml.",
    })
public final class ProvisionCommand implements Callable<Integer> {
  @Option(
      names = "--server",
      paramLabel = "URL",
      defaultValue = "http://127.0.0.1:8080",
      description = "Server base URL. Default: ${DEFAULT-VALUE}.")
  URI server;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      required = true,
      description = "The server's data directory: codes are read from DIR/dev-codes.log.")
  Path dataDir;

  @Option(
      names = "--users",
      paramLabel = "N",
      required = true,
      description = "How many users the file should hold.")
  int users;

  @Option(
      names = "--out",
      paramLabel = "FILE",
      defaultValue = "accounts.json",
      description =
          "The accounts file; an existing one for the same server and prefix is topped up. Default: ${DEFAULT-VALUE}.")
  Path out;

  @Option(
      names = "--prefix",
      paramLabel = "NAME",
      defaultValue = "bench",
      description = "Users are NAME-<i>@example.com. Default: ${DEFAULT-VALUE}.")
  String prefix;

  @Option(
      names = "--concurrency",
      paramLabel = "N",
      defaultValue = "32",
      description = "Users provisioned at once. Default: ${DEFAULT-VALUE}.")
  int concurrency;

  @Override
  public Integer call() {
    List<Account> accounts = new ArrayList<>();
    if (Files.exists(out)) {
      AccountsFile existing = AccountsFile.load(out);
      if (server.toString().equals(existing.server()) && prefix.equals(existing.prefix())) {
        accounts.addAll(existing.accounts());
        System.out.printf("%s already holds %d users%n", out, accounts.size());
      } else {
        System.err.printf(
            "%s belongs to %s (prefix %s): choose another --out or --prefix%n",
            out, existing.server(), existing.prefix());
        return 2;
      }
    }
    if (accounts.size() >= users) {
      System.out.println("Nothing to do.");
      return 0;
    }
    System.out.printf("Provisioning users %d..%d on %s%n", accounts.size(), users - 1, server);
    try (AuthHttp http = new AuthHttp(server);
        DevCodeTail codes = new DevCodeTail(dataDir.resolve("dev-codes.log"))) {
      accounts.addAll(
          new Provisioner(http, codes, System.out)
              .provision(prefix, accounts.size(), users, concurrency));
    } catch (RuntimeException e) {
      System.err.println("bench provision: " + e.getMessage());
      return 2;
    }
    new AccountsFile(out, server.toString(), prefix, accounts).save();
    System.out.printf("Wrote %d users to %s%n", accounts.size(), out.toAbsolutePath());
    return 0;
  }
}
