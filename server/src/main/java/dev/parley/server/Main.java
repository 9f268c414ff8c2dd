package dev.parley.server;

import dev.parley.cli.CliCommand;
import dev.parley.server.cluster.ClusterNode;
import dev.parley.server.cluster.Role;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code java -jar parley-server.jar [--config FILE]}: runs a node until SIGTERM/SIGINT. {@code ...
 * cli <command>}: the command-line client (see {@code ./parley cli help}).
 */
@Command(
    name = "parley",
    mixinStandardHelpOptions = true,
    version = "parley 0.1.0",
    description =
        "Runs a Parley node (single node by default: gateway and all services, embedded PostgreSQL).")
public final class Main implements Callable<Integer> {

  @Option(
      names = {"-c", "--config"},
      description =
          "YAML configuration file (defaults: parley-defaults.yaml in the jar). "
              + "Environment variables PARLEY_SECTION_KEY override it.")
  @SuppressWarnings("NullAway.Init") // picocli sets it (a required option) before call()
  Path config;

  @Override
  public Integer call() throws Exception {
    if (config != null && !Files.isReadable(config)) {
      System.err.println("Cannot read configuration file " + config);
      return 2;
    }
    ParleyConfig parsed;
    try {
      parsed = ParleyConfig.load(config);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      return 2;
    }
    try {
      LogSetup.apply(parsed.log(), parsed.node());
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      return 2;
    }

    Set<Role> roles;
    try {
      roles = Role.parse(parsed.node().role());
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      return 2;
    }
    AutoCloseable node =
        roles.isEmpty()
            ? new SingleNode(parsed, Clock.systemUTC())
            : new ClusterNode(parsed, roles, Clock.systemUTC());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  LoggerFactory.getLogger(Main.class).info("Shutting down");
                  try {
                    node.close();
                  } catch (Exception e) {
                    LoggerFactory.getLogger(Main.class).warn("Shutdown failed", e);
                  }
                  stopped.countDown();
                },
                "parley-shutdown"));
    try {
      if (node instanceof SingleNode single) single.start();
      if (node instanceof ClusterNode cluster) cluster.start();
    } catch (RuntimeException e) {
      LoggerFactory.getLogger(Main.class).error("Start-up failed: {}", e.getMessage(), e);
      return 1;
    }
    stopped.await();
    return 0;
  }

  public static void main(String[] args) {
    boolean cli = args.length > 0 && (args[0].equals("cli") || args[0].equals("admin"));
    if (cli) LogSetup.quietForCommandLine();
    int code =
        new CommandLine(new Main())
            .addSubcommand(new CliCommand())
            .addSubcommand(new AdminCommand())
            .execute(args);
    if (code != 0 || cli) System.exit(code);
  }
}
