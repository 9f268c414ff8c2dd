package dev.parley.msg;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.proto.client.Conversation;
import dev.parley.proto.client.CreateGroupRequest;
import dev.parley.proto.client.Error.Reason;
import dev.parley.proto.client.GetConversationsRequest;
import dev.parley.proto.client.GetConversationsResponse;
import dev.parley.proto.client.GroupProgress;
import dev.parley.proto.client.InviteMembersRequest;
import dev.parley.proto.client.Message;
import dev.parley.proto.client.RemoveMemberRequest;
import dev.parley.proto.client.SendMessageRequest;
import dev.parley.proto.client.SyncGroupsRequest;
import dev.parley.proto.client.SyncGroupsResponse;
import dev.parley.proto.client.TextContent;
import dev.parley.testkit.PostgresExtension;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * sync_groups (design.md 8.3): a device learns which of its groups moved in one request however
 * many it is in, gets their entries in seq order within its window, paged by count and bytes; and
 * the conversation list of a new device misses no conversation that moves while it pages.
 */
class GroupSyncIT {
  @RegisterExtension static final PostgresExtension postgres = new PostgresExtension();
  static MsgHarness msg;

  @BeforeAll
  static void start() {
    msg = new MsgHarness(postgres, c -> c);
  }

  @AfterAll
  static void stop() {
    msg.close();
  }

  @Test
  void oneRequestTellsWhichOfSixtyGroupsMoved_andBringsTheirEntries() {
    long me = msg.newUser();
    long other = msg.newUser();
    List<Long> groups = new ArrayList<>();
    for (int i = 0; i < 60; i++) groups.add(group(other, me));
    Map<Long, Long> held = new LinkedHashMap<>();
    for (long g : groups) held.put(g, 1L); // GROUP_CREATED, from the feed
    List<Long> moved = List.of(groups.get(3), groups.get(17), groups.get(42));
    for (long g : moved) for (int i = 0; i < 4; i++) send(other, g, "m" + i);

    SyncGroupsResponse r = sync(me, held, 0);
    assertThat(r.getGroupsList())
        .extracting(GroupProgress::getConversationId)
        .containsExactlyElementsOf(moved);
    assertThat(r.getGroupsList())
        .allSatisfy(
            p -> {
              assertThat(p.getSyncedSeq()).isEqualTo(5);
              assertThat(p.getLastSeq()).isEqualTo(5);
              assertThat(p.getLeft()).isFalse();
            });
    assertThat(r.getMessagesList()).hasSize(12);
    assertThat(r.getMessagesList())
        .extracting(Message::getConversationId)
        .containsExactlyElementsOf(
            moved.stream().flatMap(g -> List.of(g, g, g, g).stream()).toList());
    assertThat(r.getMore()).isFalse();
    assertThat(r.getNotFoundList()).isEmpty();

    // Held at the heads now: nothing moved, nothing on the wire.
    for (long g : moved) held.put(g, 5L);
    SyncGroupsResponse quiet = sync(me, held, 0);
    assertThat(quiet.getGroupsList()).isEmpty();
    assertThat(quiet.getMessagesList()).isEmpty();
  }

  @Test
  void answersArePagedByLimitAcrossGroupsInTheOrderListed() {
    long me = msg.newUser();
    long other = msg.newUser();
    long g1 = group(other, me);
    long g2 = group(other, me);
    long g3 = group(other, me);
    for (long g : List.of(g1, g2, g3)) for (int i = 0; i < 7; i++) send(other, g, "m" + i);
    Map<Long, Long> held = new LinkedHashMap<>(Map.of(g1, 0L));
    held.put(g2, 0L);
    held.put(g3, 0L);

    SyncGroupsResponse first = sync(me, held, 10);
    assertThat(first.getMessagesList()).hasSize(10);
    assertThat(first.getGroupsList())
        .extracting(GroupProgress::getSyncedSeq)
        .containsExactly(8L, 2L, 0L);
    assertThat(first.getGroupsList())
        .extracting(GroupProgress::getLastSeq)
        .containsExactly(8L, 8L, 8L);
    assertThat(first.getMore()).isTrue();

    Map<Long, Long> behind = new LinkedHashMap<>();
    for (GroupProgress p : first.getGroupsList())
      if (p.getSyncedSeq() < p.getLastSeq()) behind.put(p.getConversationId(), p.getSyncedSeq());
    SyncGroupsResponse second = sync(me, behind, 10);
    assertThat(second.getMessagesList())
        .extracting(m -> m.getConversationId() + ":" + m.getSeq())
        .containsExactlyElementsOf(
            List.of(
                g2 + ":3", g2 + ":4", g2 + ":5", g2 + ":6", g2 + ":7", g2 + ":8", g3 + ":1",
                g3 + ":2", g3 + ":3", g3 + ":4"));
    assertThat(second.getMore()).isTrue();
  }

  @Test
  void largeEntriesAreCutAtAboutAMebibyte_andTheRestFollows() {
    long me = msg.newUser();
    long other = msg.newUser();
    long g = group(other, me);
    String big = "x".repeat(4000);
    for (int i = 0; i < 300; i++) send(other, g, big);
    List<Long> seqs = new ArrayList<>();
    long held = 0;
    int requests = 0;
    SyncGroupsResponse r;
    do {
      r = sync(me, Map.of(g, held), 1000);
      requests++;
      assertThat(r.getSerializedSize()).isLessThan((1 << 20) + 64 * 1024);
      r.getMessagesList().forEach(m -> seqs.add(m.getSeq()));
      held = r.getGroups(0).getSyncedSeq();
      if (!r.getMessagesList().isEmpty())
        assertThat(held).isEqualTo(r.getMessages(r.getMessagesCount() - 1).getSeq());
    } while (r.getMore());
    assertThat(requests).isEqualTo(2);
    assertThat(seqs).containsExactlyElementsOf(LongStream.rangeClosed(1, 301).boxed().toList());
  }

  @Test
  void windowsAreTheServers_andStrangersLearnNothing() {
    long owner = msg.newUser();
    long carol = msg.newUser();
    long stranger = msg.newUser();
    long g = group(owner, carol);
    send(owner, g, "before");
    long removed =
        msg.groups(owner)
            .removeMember(
                RemoveMemberRequest.newBuilder().setConversationId(g).setUserId(carol).build())
            .getSeq();
    send(owner, g, "after");

    SyncGroupsResponse r = sync(carol, Map.of(g, 0L), 0);
    assertThat(r.getMessagesList()).extracting(Message::getSeq).containsExactly(1L, 2L, removed);
    assertThat(r.getGroups(0).getLeft()).isTrue();
    assertThat(r.getGroups(0).getLastSeq()).isEqualTo(removed);
    assertThat(r.getMore()).isFalse();
    // Claiming to hold more than the window changes nothing.
    assertThat(sync(carol, Map.of(g, 99L), 0).getGroupsList()).isEmpty();

    // Re-added: the window starts again at the entry that added her.
    long readded =
        msg.groups(owner)
            .inviteMembers(
                InviteMembersRequest.newBuilder().setConversationId(g).addUserIds(carol).build())
            .getSeq();
    SyncGroupsResponse back = sync(carol, Map.of(g, removed), 0);
    assertThat(back.getMessagesList()).extracting(Message::getSeq).containsExactly(readded);
    assertThat(back.getGroups(0).getLeft()).isFalse();

    SyncGroupsResponse strangers = sync(stranger, Map.of(g, 0L, 424242L, 0L), 0);
    assertThat(strangers.getGroupsList()).isEmpty();
    assertThat(strangers.getMessagesList()).isEmpty();
    assertThat(strangers.getNotFoundList()).containsExactlyInAnyOrder(g, 424242L);
  }

  @Test
  void badListsAreRefusedWithTheFieldAtFault() {
    long me = msg.newUser();
    assertThat(
            invalid(
                SyncGroupsRequest.newBuilder()
                    .addConversationIds(1)
                    .addConversationIds(2)
                    .addSeqs(0)))
        .isEqualTo("seqs");
    assertThat(invalid(SyncGroupsRequest.newBuilder().addConversationIds(1).addSeqs(-1)))
        .isEqualTo("seqs");
    assertThat(
            invalid(
                SyncGroupsRequest.newBuilder()
                    .addConversationIds(1)
                    .addConversationIds(1)
                    .addSeqs(0)
                    .addSeqs(0)))
        .isEqualTo("conversation_ids");
    assertThat(invalid(SyncGroupsRequest.newBuilder().addConversationIds(0).addSeqs(0)))
        .isEqualTo("conversation_ids");
    SyncGroupsRequest.Builder tooMany = SyncGroupsRequest.newBuilder();
    for (int i = 1; i <= 5001; i++) tooMany.addConversationIds(i).addSeqs(0);
    assertThat(invalid(tooMany)).isEqualTo("conversation_ids");
    assertThat(invalid(SyncGroupsRequest.newBuilder().setLimit(1001))).isEqualTo("limit");
    assertThat(msg.messages(me).syncGroups(SyncGroupsRequest.getDefaultInstance()).getGroupsCount())
        .isZero();
  }

  @Test
  void aListingPagedWhileConversationsMoveMissesNone() {
    long me = msg.newUser();
    long other = msg.newUser();
    List<Long> all = new ArrayList<>();
    for (int i = 0; i < 9; i++) all.add(group(other, me));
    // Newest first: all[8] .. all[0]. Page one shows all[8], all[7], all[6].
    GetConversationsResponse page =
        msg.messages(me).getConversations(GetConversationsRequest.newBuilder().setLimit(3).build());
    Set<Long> seen = new HashSet<>();
    page.getConversationsList().forEach(c -> seen.add(c.getConversationId()));
    // Meanwhile the oldest two become active: they jump above the cursor, past the pages to come.
    send(other, all.get(0), "wake up");
    send(other, all.get(1), "me too");
    String cursor = page.getNextCursor();
    while (!cursor.isEmpty()) {
      page =
          msg.messages(me)
              .getConversations(
                  GetConversationsRequest.newBuilder().setLimit(3).setCursor(cursor).build());
      page.getConversationsList().stream().map(Conversation::getConversationId).forEach(seen::add);
      cursor = page.getNextCursor();
    }
    assertThat(seen).containsExactlyInAnyOrderElementsOf(all);
  }

  @Test
  void cursorsNotMadeByTheServerAreRefusedWithTheFieldAtFault() {
    long me = msg.newUser();
    for (String raw :
        List.of("-9223372036854775808:1:0", "1:2:3:4", "x:1", "9223372036854775807:1:0", "1")) {
      String cursor =
          java.util.Base64.getUrlEncoder()
              .withoutPadding()
              .encodeToString(raw.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      var error =
          MsgHarness.error(
              () ->
                  msg.messages(me)
                      .getConversations(
                          GetConversationsRequest.newBuilder().setCursor(cursor).build()));
      assertThat(error.getReason()).as(raw).isEqualTo(Reason.INVALID_ARGUMENT);
      assertThat(error.getField()).isEqualTo("cursor");
    }
    var notBase64 =
        MsgHarness.error(
            () ->
                msg.messages(me)
                    .getConversations(
                        GetConversationsRequest.newBuilder().setCursor("%%%").build()));
    assertThat(notBase64.getField()).isEqualTo("cursor");
  }

  // --- helpers ---

  private static long group(long owner, long... others) {
    return msg.groups(owner)
        .createGroup(
            CreateGroupRequest.newBuilder()
                .setTitle("g")
                .addAllUserIds(LongStream.of(others).boxed().toList())
                .build())
        .getConversation()
        .getConversationId();
  }

  private static void send(long from, long conversation, String text) {
    msg.messages(from)
        .sendMessage(
            SendMessageRequest.newBuilder()
                .setConversationId(conversation)
                .setClientMsgId(UUID.randomUUID().toString())
                .setText(TextContent.newBuilder().setText(text))
                .build());
  }

  private static SyncGroupsResponse sync(long user, Map<Long, Long> held, int limit) {
    SyncGroupsRequest.Builder b = SyncGroupsRequest.newBuilder().setLimit(limit);
    held.forEach((g, seq) -> b.addConversationIds(g).addSeqs(seq));
    return msg.messages(user).syncGroups(b.build());
  }

  private static String invalid(SyncGroupsRequest.Builder request) {
    long me = msg.newUser();
    var error = MsgHarness.error(() -> msg.messages(me).syncGroups(request.build()));
    assertThat(error.getReason()).isEqualTo(Reason.INVALID_ARGUMENT);
    return error.getField();
  }
}
