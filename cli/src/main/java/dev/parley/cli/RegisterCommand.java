package dev.parley.cli;

import dev.parley.client.Credentials;
import dev.parley.proto.client.Identifier;
import dev.parley.proto.client.RegisterRequest;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cli register <identifier> --code C --name NAME}: creates an account and saves the session.
 */
@Command(name = "register", description = "Create an account with a verification code and log in.")
final class RegisterCommand extends CliSubcommand {
  @Parameters(
      paramLabel = "<identifier>",
      converter = Identifiers.Converter.class,
      description = "E-mail address, or phone number starting with '+'.")
  Identifier identifier;

  @Option(
      names = "--code",
      required = true,
      paramLabel = "C",
      description = "The verification code.")
  String code;

  @Option(names = "--name", required = true, paramLabel = "NAME", description = "Display name.")
  String displayName;

  @ArgGroup(
      exclusive = true,
      multiplicity = "0..1",
      heading = "Optional password (without one, log in by code):%n")
  PasswordInput password;

  @Mixin DeviceOptions device;

  @Override
  void run(CliContext context) {
    RegisterRequest request =
        RegisterRequest.newBuilder()
            .setIdentifier(identifier)
            .setCode(code)
            .setPassword(PasswordInput.resolve(password, context))
            .setDisplayName(displayName)
            .setDevice(device.toProto(context.profile()))
            .build();
    Credentials credentials = context.client().auth().register(request);
    LoginCommand.saveAndPrint(context, credentials);
  }
}
