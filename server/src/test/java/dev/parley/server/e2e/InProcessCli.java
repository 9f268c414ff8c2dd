package dev.parley.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.cli.CliCommand;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine;

/** Runs {@code parley cli} in this JVM with its profiles under {@code home}, as a user would. */
final class InProcessCli {
  private InProcessCli() {}

  /** Runs the command, asserts it succeeded, and returns what it printed, stripped. */
  static String ok(Path home, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine commandLine =
        new CommandLine(
            new CliCommand(
                Map.of("PARLEY_CLI_HOME", home.toString()), InputStream.nullInputStream()));
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    assertThat(commandLine.execute(args)).as(err.toString()).isZero();
    return out.toString().strip();
  }
}
