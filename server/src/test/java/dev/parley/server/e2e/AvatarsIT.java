package dev.parley.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.client.ClientException;
import dev.parley.client.Encoding;
import dev.parley.client.Futures;
import dev.parley.client.ParleyClient;
import dev.parley.proto.client.Error.Reason;
import dev.parley.proto.client.FileInfo;
import dev.parley.proto.client.Profile;
import dev.parley.proto.client.UpdateProfileRequest;
import dev.parley.testkit.PostgresExtension;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 10 / ACC-5 over the WebSocket protocol on the single node: an avatar must be the user's own
 * image, it is referenced like a message's file (replacing or clearing it releases the old one),
 * and whoever may see the profile may download it and its thumbnails.
 */
class AvatarsIT {
  @RegisterExtension static final PostgresExtension postgres = new PostgresExtension();
  static TestNode node;
  static DevCodes codes;

  @BeforeAll
  static void start() {
    node = TestNode.start(postgres, Map.of());
    codes = new DevCodes(node.dataDir);
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  private static Device user(ParleyClient client, String name) {
    return Device.online(client, codes.register(client, DevCodes.uniqueEmail(name), name, name));
  }

  @Test
  void anAvatarIsTheUsersOwnImageReferencedAndVisibleToWhoeverSeesTheProfile() {
    ParleyClient client = node.client(Encoding.JSON);
    try (Device alice = user(client, "alice");
        Device bob = user(client, "bob");
        Device eve = user(client, "eve")) {
      byte[] png = FileTransfers.png(400, 300);
      FileInfo picture = FileTransfers.upload(alice.connection, png, "image/png", "me.png");
      assertThat(picture.getMedia()).isEqualTo(FileInfo.MediaStatus.PROCESSED);
      // An upload nobody uses is due for deletion after the grace period...
      assertThat(deleteAfter(picture.getFileId())).isPresent();

      Profile profile = setAvatar(alice, picture.getFileId());
      assertThat(profile.getAvatarFileId()).isEqualTo(picture.getFileId());
      // ...an avatar is a use: the content is kept.
      assertThat(deleteAfter(picture.getFileId())).isEmpty();

      // Bob sees the profile, so he may fetch the picture and its thumbnails.
      assertThat(
              Futures.await(bob.connection.getProfiles(List.of(alice.userId())))
                  .getProfiles(0)
                  .getAvatarFileId())
          .isEqualTo(picture.getFileId());
      assertThat(FileTransfers.download(bob.connection, picture.getFileId())).isEqualTo(png);
      assertThat(FileTransfers.download(bob.connection, picture.getFileId(), "320")).isNotEmpty();

      // Eve is blocked by alice: no profile for her, and no avatar either.
      assertThat(FileTransfers.download(eve.connection, picture.getFileId())).isEqualTo(png);
      Futures.await(alice.connection.blockUser(eve.userId()));
      assertThat(
              Futures.await(eve.connection.getProfiles(List.of(alice.userId()))).getProfilesList())
          .isEmpty();
      for (String variant : List.of("", "320")) {
        assertThat(
                reason(() -> FileTransfers.download(eve.connection, picture.getFileId(), variant)))
            .as(variant)
            .isEqualTo(Reason.NOT_FOUND);
      }

      // Not an avatar: a file that is not an image; someone else's upload and a missing file get
      // the same answer.
      FileInfo text =
          FileTransfers.upload(
              alice.connection, "hello\n".getBytes(StandardCharsets.UTF_8), "text/plain", "a.txt");
      ClientException notImage = error(() -> setAvatar(alice, text.getFileId()));
      assertThat(notImage.reason()).isEqualTo(Reason.INVALID_ARGUMENT);
      assertThat(notImage.error().getField()).isEqualTo("avatar_file_id");
      FileInfo bobs =
          FileTransfers.upload(bob.connection, FileTransfers.png(64, 64), "image/png", "b.png");
      for (String fileId : List.of(bobs.getFileId(), "123456789", "not-a-number")) {
        assertThat(error(() -> setAvatar(alice, fileId)).reason())
            .as(fileId)
            .isEqualTo(Reason.NOT_FOUND);
      }
      assertThat(ownProfile(alice).getAvatarFileId()).isEqualTo(picture.getFileId());

      // Replacing releases the old picture (due after the grace), keeps the new one; bob may no
      // longer fetch the old one.
      FileInfo next =
          FileTransfers.upload(alice.connection, FileTransfers.png(300, 300), "image/png", "n.png");
      assertThat(setAvatar(alice, next.getFileId()).getAvatarFileId()).isEqualTo(next.getFileId());
      assertThat(deleteAfter(picture.getFileId())).isPresent();
      assertThat(deleteAfter(next.getFileId())).isEmpty();
      assertThat(reason(() -> FileTransfers.download(bob.connection, picture.getFileId())))
          .isEqualTo(Reason.NOT_FOUND);
      assertThat(FileTransfers.download(bob.connection, next.getFileId(), "320")).isNotEmpty();

      // Setting the same avatar again keeps it; clearing releases it.
      setAvatar(alice, next.getFileId());
      assertThat(deleteAfter(next.getFileId())).isEmpty();
      assertThat(setAvatar(alice, "").getAvatarFileId()).isEmpty();
      assertThat(deleteAfter(next.getFileId())).isPresent();
    }
  }

  private static Profile setAvatar(Device d, String fileId) {
    return Futures.await(
            d.connection.updateProfile(
                UpdateProfileRequest.newBuilder().setAvatarFileId(fileId).build()))
        .getProfile();
  }

  private static Profile ownProfile(Device d) {
    return Futures.await(d.connection.getProfiles(List.of())).getProfiles(0);
  }

  private static Optional<Timestamp> deleteAfter(String fileId) {
    return FileRows.deleteAfter(postgres.database().jdbi(), fileId);
  }

  private static ClientException error(Runnable call) {
    try {
      call.run();
    } catch (ClientException e) {
      return e;
    }
    throw new AssertionError("expected an error");
  }

  private static Reason reason(Runnable call) {
    return error(call).reason();
  }
}
