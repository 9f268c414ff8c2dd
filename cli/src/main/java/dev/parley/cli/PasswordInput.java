package dev.parley.cli;

import picocli.CommandLine.Option;

/**
 * A password given as {@code --password P} or, to keep it out of the process list and shell
 * history, as one line on standard input with {@code --password-stdin}. Used as an exclusive
 * argument group.
 */
final class PasswordInput {
  @Option(names = "--password", paramLabel = "P", description = "The password.")
  String password;

  @Option(
      names = "--password-stdin",
      description = "Read the password from the first line of standard input.")
  boolean passwordStdin;

  /** The password; empty when the group was not given. */
  static String resolve(PasswordInput input, CliContext context) {
    if (input == null) {
      return "";
    }
    return input.passwordStdin ? context.readLine("a password") : input.password;
  }
}
