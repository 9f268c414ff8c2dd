package dev.parley.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.client.ClientException;
import dev.parley.client.Encoding;
import dev.parley.client.Futures;
import dev.parley.client.ParleyClient;
import dev.parley.client.Recipient;
import dev.parley.proto.client.Error.Reason;
import dev.parley.proto.client.FileContent;
import dev.parley.proto.client.FileInfo;
import dev.parley.proto.client.ImageContent;
import dev.parley.proto.client.Message;
import dev.parley.testkit.PostgresExtension;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 10, items 5 and 7, over the WebSocket protocol on the single node: image and file messages
 * reference real uploads, the server fills in what the file is, and who may download a file follows
 * who may see a message that references it.
 */
class FileMessagesIT {
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
  void imagesAndFilesAreFilledInAndDownloadableByWhoeverMaySeeTheirMessage() {
    ParleyClient client = node.client(Encoding.JSON);
    try (Device alice = user(client, "alice");
        Device bob = user(client, "bob");
        Device carol = user(client, "carol");
        Device eve = user(client, "eve")) {
      long group =
          Futures.await(
                  alice.connection.createGroup("photos", List.of(bob.userId(), carol.userId())))
              .getConversation()
              .getConversationId();
      byte[] png = FileTransfers.png(64, 48);
      FileInfo picture = FileTransfers.upload(alice.connection, png, "image/png", "pic.png");

      // The client's claims about the image are ignored; the server fills them in from the file.
      long imageSeq =
          Futures.await(
                  alice.messenger.sendImage(
                      Recipient.conversation(group),
                      ImageContent.newBuilder()
                          .setFileId(picture.getFileId())
                          .setCaption("the view")
                          .setWidth(9999)
                          .setHeight(1)
                          .setMimeType("image/gif")
                          .setSize(1)
                          .build()))
              .getSeq();
      ImageContent got = bob.messenger.awaitMessage(group, imageSeq, Device.WAIT).getImage();
      assertThat(got.getFileId()).isEqualTo(picture.getFileId());
      assertThat(got.getCaption()).isEqualTo("the view");
      assertThat(got.getMimeType()).isEqualTo("image/png");
      assertThat(got.getSize()).isEqualTo(png.length);
      assertThat(got.getWidth()).isEqualTo(picture.getWidth());
      assertThat(got.getHeight()).isEqualTo(picture.getHeight());
      if (picture.getMedia() == FileInfo.MediaStatus.PROCESSED) {
        // With the image processor wired in: dimensions, preview and thumbnails from the file.
        assertThat(got.getWidth()).isEqualTo(64);
        assertThat(got.getHeight()).isEqualTo(48);
        assertThat(got.getPreview().isEmpty()).isFalse();
      } else {
        assertThat(got.getMediaNote()).isEqualTo("no thumbnail: not processed");
        assertThat(got.getThumbnailsList()).isEmpty();
      }

      // A member downloads the original bytes; a stranger is told the file does not exist.
      assertThat(FileTransfers.download(bob.connection, picture.getFileId())).isEqualTo(png);
      assertThat(reason(() -> FileTransfers.download(eve.connection, picture.getFileId())))
          .isEqualTo(Reason.NOT_FOUND);

      // Attaching: a file that does not exist and a file one may not see get the same answer; a
      // file that is not an image cannot be sent as one.
      for (String fileId : List.of("123456789", "not-a-number", picture.getFileId())) {
        assertThat(
                reason(
                    () ->
                        Futures.await(
                            eve.messenger.sendImage(
                                Recipient.user(alice.userId()),
                                ImageContent.newBuilder().setFileId(fileId).build()))))
            .as(fileId)
            .isEqualTo(Reason.NOT_FOUND);
      }
      byte[] text = "minutes of the meeting\n".getBytes(StandardCharsets.UTF_8);
      FileInfo notes = FileTransfers.upload(alice.connection, text, "text/plain", "notes.txt");
      assertThat(
              reason(
                  () ->
                      Futures.await(
                          alice.messenger.sendImage(
                              Recipient.conversation(group),
                              ImageContent.newBuilder().setFileId(notes.getFileId()).build()))))
          .isEqualTo(Reason.INVALID_ARGUMENT);

      // Forwarding: bob may see the picture's message, so he may attach it elsewhere (a new
      // reference, no copy); eve then sees it through that message.
      long forwarded =
          Futures.await(
                  bob.messenger.sendImage(
                      Recipient.user(eve.userId()),
                      ImageContent.newBuilder().setFileId(picture.getFileId()).build()))
              .getSeq();
      assertThat(forwarded).isPositive();
      assertThat(FileTransfers.download(eve.connection, picture.getFileId())).isEqualTo(png);

      // Carol is removed; a file posted afterwards is not hers to fetch, the earlier one still is.
      Futures.await(alice.connection.removeMember(group, carol.userId()));
      long fileSeq =
          Futures.await(
                  alice.messenger.sendFile(
                      Recipient.conversation(group),
                      FileContent.newBuilder()
                          .setFileId(notes.getFileId())
                          .setCaption("for the record")
                          .setSize(7)
                          .setMimeType("application/zip")
                          .build()))
              .getSeq();
      Message fileMessage = bob.messenger.awaitMessage(group, fileSeq, Device.WAIT);
      assertThat(fileMessage.getFile().getName()).isEqualTo("notes.txt");
      assertThat(fileMessage.getFile().getSize()).isEqualTo(text.length);
      assertThat(fileMessage.getFile().getMimeType()).isEqualTo("text/plain");
      assertThat(FileTransfers.download(bob.connection, notes.getFileId())).isEqualTo(text);
      assertThat(reason(() -> FileTransfers.download(carol.connection, notes.getFileId())))
          .isEqualTo(Reason.NOT_FOUND);
      assertThat(FileTransfers.download(carol.connection, picture.getFileId())).isEqualTo(png);

      // A recall takes the file away from everyone who saw it only through that message.
      Futures.await(alice.connection.recallMessage(group, fileSeq));
      assertThat(reason(() -> FileTransfers.download(bob.connection, notes.getFileId())))
          .isEqualTo(Reason.NOT_FOUND);
      assertThat(FileTransfers.download(alice.connection, notes.getFileId())).isEqualTo(text);
    }
  }

  private static Reason reason(Runnable call) {
    try {
      call.run();
    } catch (ClientException e) {
      return e.reason();
    }
    throw new AssertionError("expected an error");
  }
}
