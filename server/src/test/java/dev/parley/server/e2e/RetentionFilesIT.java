package dev.parley.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.client.Encoding;
import dev.parley.client.Futures;
import dev.parley.client.ParleyClient;
import dev.parley.client.Recipient;
import dev.parley.proto.client.FileInfo;
import dev.parley.proto.client.ImageContent;
import dev.parley.testkit.PostgresExtension;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 10, item 6: history retention (msg.history-retention) releases the files of the messages it
 * deletes, in the same transaction, so their content is deleted after the grace like a recalled
 * message's; newer messages keep theirs.
 */
class RetentionFilesIT {
  @RegisterExtension static final PostgresExtension postgres = new PostgresExtension();
  static TestNode node;
  static DevCodes codes;

  @BeforeAll
  static void start() {
    node = TestNode.start(postgres, Map.of("msg.history-retention", "10m"));
    codes = new DevCodes(node.dataDir);
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @Test
  void retentionReleasesTheFilesOfTheMessagesItDeletes() {
    ParleyClient client = node.client(Encoding.JSON);
    try (Device alice =
            Device.online(client, codes.register(client, DevCodes.uniqueEmail("a"), "a", "alice"));
        Device bob =
            Device.online(client, codes.register(client, DevCodes.uniqueEmail("b"), "b", "bob"))) {
      FileInfo old =
          FileTransfers.upload(alice.connection, FileTransfers.png(50, 40), "image/png", "o.png");
      long oldSeq = sendImage(alice, bob, old);
      assertThat(refs(old)).isEqualTo(1);
      assertThat(deleteAfter(old)).isEmpty();
      long conversation = conversationOf(old);

      node.clock.advance(Duration.ofMinutes(11));
      FileInfo recent =
          FileTransfers.upload(alice.connection, FileTransfers.png(60, 40), "image/png", "r.png");
      long recentSeq = sendImage(alice, bob, recent);
      assertThat(recentSeq).isGreaterThan(oldSeq);

      assertThat(node.runRetention()).isGreaterThanOrEqualTo(1);

      // The old message is gone and so is its reference: its content is due after the grace.
      assertThat(entry(conversation, oldSeq)).isZero();
      assertThat(entry(conversation, recentSeq)).isOne();
      assertThat(refs(old)).isZero();
      assertThat(deleteAfter(old)).isPresent();
      assertThat(deleteAfter(old).get().toInstant()).isAfter(node.clock.instant());
      // The newer one keeps both.
      assertThat(refs(recent)).isEqualTo(1);
      assertThat(deleteAfter(recent)).isEmpty();
    }
  }

  private static long sendImage(Device from, Device to, FileInfo file) {
    return Futures.await(
            from.messenger.sendImage(
                Recipient.user(to.userId()),
                ImageContent.newBuilder().setFileId(file.getFileId()).build()))
        .getSeq();
  }

  private static int refs(FileInfo f) {
    return FileRows.refs(postgres.database().jdbi(), f.getFileId());
  }

  private static long conversationOf(FileInfo f) {
    return postgres
        .database()
        .jdbi()
        .withHandle(
            h ->
                h.createQuery("SELECT conversation_id FROM file.refs WHERE file_id = :f")
                    .bind("f", Long.parseLong(f.getFileId()))
                    .mapTo(Long.class)
                    .one());
  }

  private static int entry(long conversation, long seq) {
    return postgres
        .database()
        .jdbi()
        .withHandle(
            h ->
                h.createQuery(
                        "SELECT count(*) FROM msg.entries WHERE conversation_id = :c AND seq = :s")
                    .bind("c", conversation)
                    .bind("s", seq)
                    .mapTo(Integer.class)
                    .one());
  }

  private static Optional<Timestamp> deleteAfter(FileInfo f) {
    return FileRows.deleteAfter(postgres.database().jdbi(), f.getFileId());
  }
}
