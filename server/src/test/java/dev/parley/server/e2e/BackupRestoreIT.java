package dev.parley.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.client.Encoding;
import dev.parley.client.Futures;
import dev.parley.client.ParleyClient;
import dev.parley.client.Recipient;
import dev.parley.proto.client.Conversation;
import dev.parley.proto.client.Message;
import dev.parley.testkit.FreePorts;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15 item 8: the runbook's backup of the single node (docs/operations.md §8) restores. A node
 * on its embedded PostgreSQL takes messages; an online base backup of it is taken while sends go on
 * ({@link OnlineBaseBackup}, the runbook's steps); the node stops; a node started on a fresh data
 * directory made from the backup serves every message acknowledged before the backup ended, with
 * its content (encrypted at rest: the keys are part of the backup), through history and through
 * sync from nothing, to the devices' old sessions (whose tokens need the backed-up token key).
 */
class BackupRestoreIT {
  /**
   * Only a machine crash needs fsync; PostgreSQL writes full pages into the WAL during a backup
   * whatever full_page_writes says, so the backup is the same without it.
   */
  private static final Map<String, String> NO_FSYNC = Map.of("database.embedded.fsync", "false");

  @TempDir Path work;

  @Test
  void onlineBaseBackup_restoredIntoAFreshDataDirectory_servesEveryMessageAcknowledgedBeforeIt()
      throws Exception {
    Path live = work.resolve("live");
    Path backup = work.resolve("backup");
    Path restored = work.resolve("restored");
    int postgresPort = FreePorts.next();

    long t0 = System.nanoTime();
    List<Device> devices;
    Map<Long, List<Message>> written = new LinkedHashMap<>();
    try (TestNode node = TestNode.onEmbeddedPostgres(live, postgresPort, NO_FSYNC);
        TestUsers users = new TestUsers(node, new DevCodes(live))) {
      Device ann = users.user("ann", 1).get(0);
      Device ben = users.user("ben", 1).get(0);
      Device cat = users.user("cat", 1).get(0);
      devices = List.of(ann, ben, cat);
      long group = TestUsers.group(ann, ben, cat);
      long direct =
          Futures.await(ann.messenger.sendText(Recipient.user(ben.userId()), "hi ben, é ✓ 北京"))
              .getConversationId();
      for (int i = 0; i < 10; i++) {
        TestUsers.send(devices.get(i % 3), group, "before the backup " + i);
        TestUsers.send(i % 2 == 0 ? ann : ben, direct, "direct " + i + " 🙂");
      }
      // Taken while the node runs, with sends acknowledged between start and stop of the backup.
      long backupStart = System.nanoTime();
      OnlineBaseBackup.take(
          live,
          postgresPort,
          backup,
          () -> {
            for (int i = 0; i < 5; i++) TestUsers.send(cat, group, "during the backup " + i);
          });
      System.out.printf(
          "BackupRestoreIT: node up and messages sent %d ms, backup %d ms%n",
          ms(t0, backupStart), ms(backupStart, System.nanoTime()));
      written.put(group, ann.history(group));
      written.put(direct, ben.history(direct));
      assertThat(written.get(group)).filteredOn(Message::hasText).hasSize(10 + 5);
      assertThat(written.get(direct)).filteredOn(Message::hasText).hasSize(1 + 10);
    }

    long restoreStart = System.nanoTime();
    OnlineBaseBackup.restore(backup, restored);
    try (TestNode node = TestNode.onEmbeddedPostgres(restored, FreePorts.next(), NO_FSYNC)) {
      List<Device> back = new ArrayList<>();
      try {
        for (Device old : devices) {
          ParleyClient client = node.client(Encoding.PROTOBUF);
          // The old session, on an empty store: everything comes by sync from pts 0.
          back.add(Device.online(client, old.credentials));
        }
        Device ann = back.get(0);
        Device ben = back.get(1);
        long group = written.keySet().iterator().next();
        System.out.printf(
            "BackupRestoreIT: restored node up and devices synced %d ms%n",
            ms(restoreStart, System.nanoTime()));
        for (Map.Entry<Long, List<Message>> conversation : written.entrySet()) {
          long id = conversation.getKey();
          List<String> expected = contents(conversation.getValue());
          Device member = id == group ? back.get(2) : ben;
          assertThat(contents(member.history(id))).isEqualTo(expected);
          // Sync from nothing: the conversation list, each with its newest entry (older ones are
          // fetched lazily, by history, which the line above read).
          assertThat(contents(ann.store.messages(id))).containsExactly(expected.getLast());
        }
        assertThat(ann.store.conversations())
            .extracting(Conversation::getConversationId)
            .containsExactlyInAnyOrderElementsOf(written.keySet());
      } finally {
        back.forEach(Device::close);
      }
    }
  }

  private static long ms(long from, long to) {
    return (to - from) / 1_000_000;
  }

  /** What a message is, as the test compares it: position, identity, author and text. */
  private static List<String> contents(List<Message> log) {
    return log.stream()
        .map(
            m ->
                m.getSeq()
                    + " "
                    + m.getMessageId()
                    + " "
                    + m.getSenderId()
                    + " "
                    + m.getContentCase()
                    + " "
                    + m.getText().getText())
        .toList();
  }
}
