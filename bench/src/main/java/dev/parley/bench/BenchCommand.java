package dev.parley.bench;

import dev.parley.bench.scenario.S1OneToOne;
import dev.parley.bench.scenario.S2GroupFanout;
import dev.parley.bench.scenario.S3OfflineCatchUp;
import dev.parley.bench.scenario.S4IdleConnections;
import dev.parley.bench.scenario.S5Soak;
import dev.parley.bench.scenario.S6Media;
import dev.parley.bench.scenario.S7Push;
import dev.parley.bench.scenario.S8Search;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;

/**
 * {@code bench}: the load generator. {@link BenchMain} runs it alone; a launcher can add it with
 * {@code commandLine.addSubcommand(new BenchCommand())}.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    version = "parley-bench 0.1.0",
    description = {
      "Load generator for a Parley server: open-loop scenarios over the client protocol, with latency "
          + "histograms (from the intended send time) and loss/duplicate/order checks.",
      "Start with `provision`, then run a scenario. See bench/README.md.",
    },
    subcommands = {
      ProvisionCommand.class,
      FcmCredentialsCommand.class,
      S1OneToOne.class,
      S2GroupFanout.class,
      S3OfflineCatchUp.class,
      S4IdleConnections.class,
      S5Soak.class,
      S6Media.class,
      S7Push.class,
      S8Search.class,
      HelpCommand.class,
    })
public final class BenchCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
