package dev.parley.cli;

import dev.parley.proto.client.Identifier;
import dev.parley.proto.client.RequestCodeResponse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code cli code <identifier>}: POST /api/v1/auth/code. */
@Command(name = "code", description = "Request a verification code (sent by e-mail or SMS).")
final class CodeCommand extends CliSubcommand {
  @Parameters(
      paramLabel = "<identifier>",
      converter = Identifiers.Converter.class,
      description = "E-mail address, or phone number starting with '+'.")
  Identifier identifier;

  @Override
  void run(CliContext context) {
    RequestCodeResponse sent = context.client().auth().requestCode(identifier);
    context.print(sent, () -> context.format().codeSent(identifier, sent));
  }
}
