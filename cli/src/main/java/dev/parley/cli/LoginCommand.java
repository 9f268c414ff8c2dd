package dev.parley.cli;

import dev.parley.client.Credentials;
import dev.parley.proto.client.AuthTokens;
import dev.parley.proto.client.Identifier;
import dev.parley.proto.client.LoginRequest;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cli login <identifier> (--password P | --password-stdin | --code C)}: saves the session.
 */
@Command(name = "login", description = "Log in with a password or a verification code.")
final class LoginCommand extends CliSubcommand {
  @Parameters(
      paramLabel = "<identifier>",
      converter = Identifiers.Converter.class,
      description = "E-mail address, or phone number starting with '+'.")
  Identifier identifier;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Secret secret;

  @Mixin DeviceOptions device;

  static final class Secret {
    @ArgGroup(exclusive = true, multiplicity = "0..1")
    PasswordInput password;

    @Option(
        names = "--code",
        paramLabel = "C",
        description = "A verification code (see 'cli code').")
    String code;
  }

  @Override
  void run(CliContext context) {
    LoginRequest.Builder request = LoginRequest.newBuilder().setIdentifier(identifier);
    if (secret.code != null) {
      request.setCode(secret.code);
    } else {
      request.setPassword(PasswordInput.resolve(secret.password, context));
    }
    request.setDevice(device.toProto(context.profile()));
    saveAndPrint(context, context.client().auth().login(request.build()));
  }

  /**
   * Saves a new session's credentials, with the server they belong to, and prints it. The JSON
   * output leaves the tokens out: they are secrets, and they are in the profile file.
   */
  static void saveAndPrint(CliContext context, Credentials credentials) {
    context.profile().saveLogin(context.server(), credentials);
    context.print(
        withoutSecrets(credentials),
        () -> context.format().loggedIn(credentials, context.server(), context.profile().name()));
  }

  static AuthTokens withoutSecrets(Credentials credentials) {
    return credentials.toProto().toBuilder().clearAccessToken().clearRefreshToken().build();
  }
}
