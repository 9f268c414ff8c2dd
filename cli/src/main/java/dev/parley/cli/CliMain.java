package dev.parley.cli;

import java.util.List;
import picocli.CommandLine;

/** Runs {@code cli} on its own: {@code java -cp ... dev.parley.cli.CliMain whoami}. */
public final class CliMain {
  private CliMain() {}

  public static void main(String[] args) {
    // Before the first logger exists: our logback configuration, silent unless --verbose. (Inside
    // the
    // launcher, the launcher's logging applies instead.)
    System.setProperty("logback.configurationFile", "dev/parley/cli/cli-logback.xml");
    List<String> argList = List.of(args);
    System.setProperty(
        "parley.cli.log.level",
        argList.contains("-v") || argList.contains("--verbose") ? "DEBUG" : "OFF");
    System.exit(new CommandLine(new CliCommand()).execute(args));
  }
}
