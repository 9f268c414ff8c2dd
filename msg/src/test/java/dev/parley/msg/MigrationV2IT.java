package dev.parley.msg;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.MessageLite;
import dev.parley.msg.crypto.ContentCipher;
import dev.parley.proto.client.FriendUpdate;
import dev.parley.proto.client.GetDifferenceRequest;
import dev.parley.proto.client.GetDifferenceResponse;
import dev.parley.proto.client.GetHistoryRequest;
import dev.parley.proto.client.Message;
import dev.parley.proto.client.ReadMarker;
import dev.parley.proto.client.RecallContent;
import dev.parley.proto.client.SendMessageRequest;
import dev.parley.proto.client.ServiceContent;
import dev.parley.proto.client.ServiceContent.Action;
import dev.parley.proto.client.SyncGroupsRequest;
import dev.parley.proto.client.SyncGroupsResponse;
import dev.parley.proto.client.TextContent;
import dev.parley.proto.client.Update;
import dev.parley.testkit.PostgresExtension;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The version 2 migration (design.md 8.11) on data written the way version 1 wrote it: one feed row
 * per member for every group entry, contents and feed payloads serialized as client protocol
 * messages. After it, the service reads the old rows (history, feeds with holes, sync_groups), and
 * the feeds keep exactly what version 2 promises a device that was offline across the upgrade.
 */
class MigrationV2IT {
  @RegisterExtension static final PostgresExtension postgres = new PostgresExtension();

  static final long A = 1001;
  static final long B = 1002;
  static final long C = 1003;
  static final long DIRECT = 5001;
  static final long GROUP = 5002;
  static final Instant T = Instant.parse("2026-11-01T10:00:00Z");

  @Test
  void versionOneFeedsAndContentsSurviveTheUpgrade() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    ContentCipher cipher = new ContentCipher(Map.of(1, key), 1);

    Flyway.configure()
        .dataSource(postgres.jdbcUrl(), postgres.user(), "")
        .schemas("msg")
        .defaultSchema("msg")
        .createSchemas(true)
        .locations("classpath:db/msg")
        .table("flyway_history")
        .target("1")
        .load()
        .migrate();
    Jdbi jdbi = postgres.database().jdbi();
    jdbi.useTransaction(h -> writeVersionOneData(h, cipher));

    try (MsgHarness msg = MsgHarness.withContentKey(postgres, key)) {
      msg.users.addAll(List.of(A, B, C));

      // A's feed: the direct messages, the group's service entries, the read marker and the friend
      // update stay at their old positions; the group messages and the recall left holes.
      List<Update> feedA = wholeFeed(msg, A);
      assertThat(feedA).extracting(Update::getPts).containsExactly(1L, 2L, 6L, 7L, 8L, 9L);
      assertThat(feedA.get(0).getMessage().getText().getText()).isEqualTo("hello B");
      assertThat(feedA.get(1).getMessage().getService().getAction())
          .isEqualTo(Action.GROUP_CREATED);
      assertThat(feedA.get(2).getMessage().getService().getAction())
          .isEqualTo(Action.MEMBER_REMOVED);
      assertThat(feedA.get(3).getReadMarker())
          .isEqualTo(
              ReadMarker.newBuilder()
                  .setConversationId(GROUP)
                  .setReadSeq(4)
                  .setUnreadCount(1)
                  .build());
      assertThat(feedA.get(4).getFriend().getFriends()).isTrue();
      assertThat(feedA.get(5).getMessage().getText().getText()).isEqualTo("hello A");
      // A device that held pts 4 (inside the deleted run) continues after it.
      GetDifferenceResponse fromFour =
          msg.messages(A).getDifference(GetDifferenceRequest.newBuilder().setPts(4).build());
      assertThat(fromFour.getTooLong()).isFalse();
      assertThat(fromFour.getUpdatesList())
          .extracting(Update::getPts)
          .containsExactly(6L, 7L, 8L, 9L);
      assertThat(fromFour.getPts()).isEqualTo(9);

      // The old contents decrypt and decode through the storage schema.
      List<Message> log =
          msg.messages(A)
              .getHistory(
                  GetHistoryRequest.newBuilder().setConversationId(GROUP).setForward(true).build())
              .getMessagesList();
      assertThat(log).extracting(Message::getSeq).containsExactly(1L, 2L, 3L, 4L, 5L);
      assertThat(log.get(0).getService().getUserIdsList()).containsExactly(B, C);
      assertThat(log.get(0).getService().getTitle()).isEqualTo("old group");
      assertThat(log.get(1).getRecalled()).isTrue();
      assertThat(log.get(2).getText().getText()).isEqualTo("second");
      assertThat(log.get(3).getRecall().getTargetSeq()).isEqualTo(2);

      // A device that synced its feed under version 1 catches up on the group through sync_groups.
      SyncGroupsResponse synced =
          msg.messages(A)
              .syncGroups(
                  SyncGroupsRequest.newBuilder().addConversationIds(GROUP).addSeqs(1).build());
      assertThat(synced.getMessagesList())
          .extracting(Message::getSeq)
          .containsExactly(2L, 3L, 4L, 5L);
      assertThat(synced.getGroups(0).getSyncedSeq()).isEqualTo(5);
      // C was removed at seq 5: entries up to it, nothing later, and C's feed still says so.
      msg.messages(A)
          .sendMessage(
              SendMessageRequest.newBuilder()
                  .setConversationId(GROUP)
                  .setClientMsgId("after-upgrade")
                  .setText(TextContent.newBuilder().setText("after the upgrade"))
                  .build());
      SyncGroupsResponse removed =
          msg.messages(C)
              .syncGroups(
                  SyncGroupsRequest.newBuilder().addConversationIds(GROUP).addSeqs(0).build());
      assertThat(removed.getMessagesList())
          .extracting(Message::getSeq)
          .containsExactly(1L, 2L, 3L, 4L, 5L);
      assertThat(removed.getGroups(0).getLeft()).isTrue();
      assertThat(wholeFeed(msg, C))
          .extracting(u -> u.getMessage().getSeq())
          .containsExactly(1L, 5L);
      // The new group message went to no feed.
      assertThat(wholeFeed(msg, A)).extracting(Update::getPts).endsWith(9L);
    }
  }

  private static List<Update> wholeFeed(MsgHarness msg, long user) {
    return Feeds.all(msg, user);
  }

  /**
   * A direct chat A–B (two messages) and a group of A, B, C: created (1), a message (2), a second
   * (3), the recall of 2 (4), C removed (5); A's read marker in the group, a friendship, all with
   * version 1's feed rows: every entry in every recipient's feed.
   */
  private static void writeVersionOneData(Handle h, ContentCipher cipher) {
    conversation(h, DIRECT, 1, null, 0, 2, 2);
    conversation(h, GROUP, 2, "old group", A, 5, 2);
    h.execute("INSERT INTO msg.direct_pairs VALUES (?, ?, ?)", A, B, DIRECT);
    member(h, DIRECT, A, 1, 1, null, 2);
    member(h, DIRECT, B, 1, 1, null, 1);
    member(h, GROUP, A, 3, 1, null, 4);
    member(h, GROUP, B, 1, 1, null, 3);
    member(h, GROUP, C, 1, 1, 5L, 0);

    entry(
        h,
        cipher,
        DIRECT,
        1,
        A,
        "d1",
        1,
        Message.newBuilder().setText(TextContent.newBuilder().setText("hello B")),
        0,
        null);
    entry(
        h,
        cipher,
        DIRECT,
        2,
        B,
        "d2",
        1,
        Message.newBuilder().setText(TextContent.newBuilder().setText("hello A")),
        0,
        null);
    entry(
        h,
        cipher,
        GROUP,
        1,
        A,
        null,
        10,
        Message.newBuilder()
            .setService(
                ServiceContent.newBuilder()
                    .setAction(Action.GROUP_CREATED)
                    .setActorId(A)
                    .addUserIds(B)
                    .addUserIds(C)
                    .setTitle("old group")),
        0,
        null);
    entry(h, cipher, GROUP, 2, B, "g1", 1, null, 0, T); // recalled: no content
    entry(
        h,
        cipher,
        GROUP,
        3,
        C,
        "g2",
        1,
        Message.newBuilder().setText(TextContent.newBuilder().setText("second")),
        0,
        null);
    entry(
        h,
        cipher,
        GROUP,
        4,
        B,
        null,
        11,
        Message.newBuilder().setRecall(RecallContent.newBuilder().setTargetSeq(2)),
        2,
        null);
    entry(
        h,
        cipher,
        GROUP,
        5,
        A,
        null,
        10,
        Message.newBuilder()
            .setService(
                ServiceContent.newBuilder()
                    .setAction(Action.MEMBER_REMOVED)
                    .setActorId(A)
                    .addUserIds(C)),
        0,
        null);

    // A's version 1 feed, in commit order; 3..5 point at the group's two messages and the recall.
    feedEntry(h, A, 1, DIRECT, 1);
    feedEntry(h, A, 2, GROUP, 1);
    feedEntry(h, A, 3, GROUP, 2);
    feedEntry(h, A, 4, GROUP, 3);
    feedEntry(h, A, 5, GROUP, 4);
    feedEntry(h, A, 6, GROUP, 5);
    feedRow(
        h,
        A,
        7,
        2,
        GROUP,
        4,
        0,
        ReadMarker.newBuilder().setConversationId(GROUP).setReadSeq(4).setUnreadCount(1).build());
    feedRow(
        h,
        A,
        8,
        11,
        0,
        0,
        B,
        FriendUpdate.newBuilder()
            .setUserId(B)
            .setFriends(true)
            .setSinceMs(T.toEpochMilli())
            .build());
    feedEntry(h, A, 9, DIRECT, 2);
    h.execute("INSERT INTO msg.feed_heads (user_id, pts, min_pts) VALUES (?, 9, 1)", A);
    feedEntry(h, C, 1, GROUP, 1);
    feedEntry(h, C, 2, GROUP, 2);
    feedEntry(h, C, 3, GROUP, 3);
    feedEntry(h, C, 4, GROUP, 4);
    feedEntry(h, C, 5, GROUP, 5);
    h.execute("INSERT INTO msg.feed_heads (user_id, pts, min_pts) VALUES (?, 5, 1)", C);
  }

  private static void conversation(
      Handle h, long id, int type, String title, long owner, long lastSeq, int members) {
    h.execute(
        "INSERT INTO msg.conversations (conversation_id, type, title, owner_id, last_seq, member_count, created_at, last_activity_at) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        id,
        (short) type,
        title,
        owner == 0 ? null : owner,
        lastSeq,
        members,
        at(),
        at());
  }

  private static void member(
      Handle h,
      long conversation,
      long user,
      int role,
      long firstVisible,
      Long lastVisible,
      long readSeq) {
    h.execute(
        "INSERT INTO msg.members (conversation_id, user_id, role, first_visible_seq, last_visible_seq, read_seq, joined_at, left_at) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        conversation,
        user,
        (short) role,
        firstVisible,
        lastVisible,
        readSeq,
        at(),
        lastVisible == null ? null : at());
  }

  private static void entry(
      Handle h,
      ContentCipher cipher,
      long conversation,
      long seq,
      long sender,
      String clientMsgId,
      int kind,
      Message.Builder content,
      long refSeq,
      Instant recalledAt) {
    byte[] sealed =
        content == null ? null : cipher.encrypt(content.build().toByteArray(), conversation, seq);
    h.execute(
        "INSERT INTO msg.entries (conversation_id, seq, message_id, sender_id, client_msg_id, kind, key_id, content, ref_seq, created_at, recalled_at) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        conversation,
        seq,
        conversation * 100 + seq,
        sender,
        clientMsgId,
        (short) kind,
        sealed == null ? null : (short) 1,
        sealed,
        refSeq == 0 ? null : refSeq,
        at(),
        recalledAt == null ? null : OffsetDateTime.ofInstant(recalledAt, ZoneOffset.UTC));
  }

  private static void feedEntry(Handle h, long user, long pts, long conversation, long seq) {
    feedRow(h, user, pts, 1, conversation, seq, 0, null);
  }

  private static void feedRow(
      Handle h,
      long user,
      long pts,
      int kind,
      long conversation,
      long seq,
      long other,
      MessageLite payload) {
    h.execute(
        "INSERT INTO msg.feed (user_id, pts, kind, conversation_id, seq, other_user_id, payload, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        user,
        pts,
        (short) kind,
        conversation == 0 ? null : conversation,
        seq == 0 ? null : seq,
        other == 0 ? null : other,
        payload == null ? null : payload.toByteArray(),
        at());
  }

  private static OffsetDateTime at() {
    return OffsetDateTime.ofInstant(T, ZoneOffset.UTC);
  }
}
