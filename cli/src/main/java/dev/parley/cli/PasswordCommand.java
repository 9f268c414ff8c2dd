package dev.parley.cli;

import dev.parley.client.Futures;
import dev.parley.proto.client.SetPasswordResponse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cli password --new P [--current C]}: set_password. */
@Command(name = "password", description = "Set or change the account's password.")
final class PasswordCommand extends CliSubcommand {
  @Option(
      names = "--new",
      required = true,
      paramLabel = "P",
      description = "The new password (8..128 characters).")
  String newPassword;

  @Option(
      names = "--current",
      paramLabel = "C",
      description = "The current password, if the account has one.")
  String currentPassword;

  @Override
  void run(CliContext context) {
    SetPasswordResponse response =
        Futures.await(
            context
                .connect()
                .setPassword(currentPassword == null ? "" : currentPassword, newPassword));
    context.print(response, () -> "password changed");
  }
}
