package dev.parley.cli;

import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine;

/** Runs {@code cli} in-process with its home directory in {@code home}, as the launcher would. */
final class CliRunner {
  record Run(int exitCode, String out, String err) {}

  private final Path home;

  CliRunner(Path home) {
    this.home = home;
  }

  Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine commandLine =
        new CommandLine(
            new CliCommand(
                Map.of("PARLEY_CLI_HOME", home.toString()), InputStream.nullInputStream()));
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    int exitCode = commandLine.execute(args);
    return new Run(exitCode, out.toString(), err.toString());
  }

  /** Parses without running: the subcommand's object, for tests of argument handling. */
  static <T> T parse(Class<T> type, String... args) {
    CommandLine.ParseResult result =
        new CommandLine(new CliCommand(Map.of(), InputStream.nullInputStream())).parseArgs(args);
    while (result.hasSubcommand()) {
      result = result.subcommand();
    }
    return type.cast(result.commandSpec().userObject());
  }
}
