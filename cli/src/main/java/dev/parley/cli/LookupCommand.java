package dev.parley.cli;

import dev.parley.client.Futures;
import dev.parley.proto.client.LookupUserRequest;
import dev.parley.proto.client.Profile;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cli lookup (--username U | --email E | --phone P)}: lookup_user, exact match only. */
@Command(
    name = "lookup",
    description = "Find a user by exact username, e-mail address or phone number.")
final class LookupCommand extends CliSubcommand {
  @ArgGroup(exclusive = true, multiplicity = "1")
  By by;

  static final class By {
    @Option(names = "--username", paramLabel = "U")
    String username;

    @Option(names = "--email", paramLabel = "E")
    String email;

    @Option(names = "--phone", paramLabel = "P")
    String phone;

    LookupUserRequest toProto() {
      LookupUserRequest.Builder request = LookupUserRequest.newBuilder();
      if (username != null) {
        request.setUsername(username);
      } else if (email != null) {
        request.setEmail(email);
      } else {
        request.setPhone(phone);
      }
      return request.build();
    }
  }

  @Override
  void run(CliContext context) {
    Profile profile = Futures.await(context.connect().lookupUser(by.toProto())).getProfile();
    context.print(profile, () -> context.format().profile(profile));
  }
}
