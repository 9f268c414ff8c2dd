package dev.parley.bench;

import picocli.CommandLine;

/** {@code java -jar parley-bench.jar <scenario> ...}: see {@link BenchCommand}. */
public final class BenchMain {
  private BenchMain() {}

  public static void main(String[] args) {
    // Before the first logger exists: warnings only (the report goes to stdout).
    System.setProperty("logback.configurationFile", "dev/parley/bench/bench-logback.xml");
    System.exit(new CommandLine(new BenchCommand()).execute(args));
  }
}
