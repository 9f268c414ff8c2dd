package dev.parley.cli;

import dev.parley.client.Connection;
import dev.parley.client.Futures;
import dev.parley.proto.client.Profile;
import dev.parley.proto.client.UpdateProfileRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cli profile [--name N] [--username U] [--avatar ID]}: update_profile, or show the profile.
 */
@Command(name = "profile", description = "Change the own profile; without options, show it.")
final class ProfileCommand extends CliSubcommand {
  @Option(names = "--name", paramLabel = "NAME", description = "New display name.")
  String displayName;

  @Option(names = "--username", paramLabel = "U", description = "New username; \"\" removes it.")
  String username;

  @Option(
      names = "--avatar",
      paramLabel = "ID",
      description = "File id of the new avatar; \"\" removes it.")
  String avatarFileId;

  @Override
  void run(CliContext context) {
    UpdateProfileRequest.Builder update = UpdateProfileRequest.newBuilder();
    if (displayName != null) {
      update.setDisplayName(displayName);
    }
    if (username != null) {
      update.setUsername(username);
    }
    if (avatarFileId != null) {
      update.setAvatarFileId(avatarFileId);
    }
    Connection connection = context.connect();
    Profile profile =
        update.hasDisplayName() || update.hasUsername() || update.hasAvatarFileId()
            ? Futures.await(connection.updateProfile(update.build())).getProfile()
            : Futures.await(connection.getAccount()).getAccount().getProfile();
    context.print(profile, () -> context.format().profile(profile));
  }
}
