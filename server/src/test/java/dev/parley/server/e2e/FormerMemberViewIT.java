package dev.parley.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.client.Encoding;
import dev.parley.client.Futures;
import dev.parley.client.ParleyClient;
import dev.parley.client.Recipient;
import dev.parley.proto.client.Conversation;
import dev.parley.proto.client.GetConversationResponse;
import dev.parley.proto.client.GetDifferenceResponse;
import dev.parley.proto.client.Member;
import dev.parley.proto.client.ReadReceipt;
import dev.parley.proto.client.Update;
import dev.parley.testkit.PostgresExtension;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 9, items 1 and 2, over the WebSocket protocol: a member removed from a group goes on seeing
 * the group as it was at the removal (title, members, read counts), and no read receipt reaches
 * their devices for reads made after it.
 */
class FormerMemberViewIT {
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

  @Test
  void aRemovedMemberSeesTheGroupFrozenAtTheRemovalAndGetsNoLaterReceipts() {
    ParleyClient client = node.client(Encoding.JSON);
    try (Device alice =
            Device.online(
                client, codes.register(client, DevCodes.uniqueEmail("alice"), "Alice", "a"));
        Device bob =
            Device.online(client, codes.register(client, DevCodes.uniqueEmail("bob"), "Bob", "b"));
        Device carol =
            Device.online(
                client, codes.register(client, DevCodes.uniqueEmail("carol"), "Carol", "c"));
        Device dan =
            Device.online(client, codes.register(client, DevCodes.uniqueEmail("dan"), "Dan", "d"));
        Device eve =
            Device.online(
                client, codes.register(client, DevCodes.uniqueEmail("eve"), "Eve", "e"))) {
      List<ReadReceipt> carolsReceipts = new CopyOnWriteArrayList<>();
      carol.messenger.onReadReceipt(carolsReceipts::add);
      long group =
          Futures.await(
                  alice.connection.createGroup(
                      "club", List.of(bob.userId(), carol.userId(), dan.userId())))
              .getConversation()
              .getConversationId();
      long bobs =
          Futures.await(bob.messenger.sendText(Recipient.conversation(group), "hello")).getSeq();
      long carols =
          Futures.await(carol.messenger.sendText(Recipient.conversation(group), "hi all")).getSeq();
      long removed = Futures.await(alice.connection.removeMember(group, carol.userId())).getSeq();
      carol.messenger.awaitMessage(group, removed, Device.WAIT);

      // After the removal: a new title, a new member, new reads of carol's and bob's messages.
      Futures.await(alice.connection.renameGroup(group, "without carol"));
      Futures.await(alice.connection.inviteMembers(group, List.of(eve.userId())));
      long latest =
          Futures.await(alice.messenger.sendText(Recipient.conversation(group), "carol is gone"))
              .getSeq();
      List<ReadReceipt> alicesReceipts = new CopyOnWriteArrayList<>();
      alice.messenger.onReadReceipt(alicesReceipts::add);
      Futures.await(dan.connection.markRead(group, latest));
      alice.messenger.awaitCondition(
          () -> alicesReceipts.stream().anyMatch(r -> r.getUserId() == dan.userId()), Device.WAIT);

      // Nothing live, and nothing in carol's feed either (what any of her devices would catch up
      // on).
      assertThat(carolsReceipts).isEmpty();
      GetDifferenceResponse feed = Futures.await(carol.connection.getDifference(0, 1000));
      assertThat(feed.getMore()).isFalse();
      assertThat(feed.getUpdatesList()).filteredOn(Update::hasReadReceipt).isEmpty();

      GetConversationResponse seen = Futures.await(carol.connection.getConversation(group));
      assertThat(seen.getConversation().getTitle()).isEqualTo("club");
      assertThat(seen.getConversation().getMemberCount()).isEqualTo(3);
      assertThat(seen.getConversation().getLastVisibleSeq()).isEqualTo(removed);
      assertThat(seen.getMembersList())
          .extracting(Member::getUserId)
          .containsExactlyInAnyOrder(alice.userId(), bob.userId(), dan.userId());
      // Dan had read nothing when carol was removed.
      assertThat(seen.getMembersList())
          .filteredOn(m -> m.getUserId() == dan.userId())
          .extracting(Member::getReadSeq)
          .containsExactly(0L);
      Conversation listed =
          Futures.await(carol.connection.getConversations(50, "")).getConversationsList().stream()
              .filter(c -> c.getConversationId() == group)
              .findFirst()
              .orElseThrow();
      assertThat(listed.getTitle()).isEqualTo("club");
      assertThat(listed.getMemberCount()).isEqualTo(3);
      // bob's message was read by alice and carol at the removal; dan's later read does not show.
      assertThat(
              Futures.await(carol.connection.getReadCounts(group, List.of(bobs, carols)))
                  .getCountsList())
          .extracting(c -> c.getSeq() + ":" + c.getReadCount())
          .containsExactlyInAnyOrder(bobs + ":2", carols + ":1");

      // The members see the group as it is now.
      GetConversationResponse now = Futures.await(bob.connection.getConversation(group));
      assertThat(now.getConversation().getTitle()).isEqualTo("without carol");
      assertThat(now.getMembersList()).extracting(Member::getUserId).contains(eve.userId());
      assertThat(
              Futures.await(bob.connection.getReadCounts(group, List.of(bobs)))
                  .getCounts(0)
                  .getReadCount())
          .isEqualTo(3);
    }
  }
}
