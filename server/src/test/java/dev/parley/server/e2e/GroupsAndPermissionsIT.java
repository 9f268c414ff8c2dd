package dev.parley.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.client.ClientException;
import dev.parley.client.Encoding;
import dev.parley.client.Futures;
import dev.parley.client.ParleyClient;
import dev.parley.client.Recipient;
import dev.parley.proto.client.Error.Reason;
import dev.parley.proto.client.GetHistoryRequest;
import dev.parley.proto.client.Message;
import dev.parley.proto.client.SendMessageResponse;
import dev.parley.testkit.PostgresExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * MSG-2 and the permission rules end to end: a full group of 200 live clients, strangers, blocks,
 * removals.
 */
class GroupsAndPermissionsIT {
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

  private static Reason reason(Runnable call) {
    try {
      call.run();
    } catch (ClientException e) {
      return e.reason();
    }
    throw new AssertionError("expected an error");
  }

  @Test
  void aGroupOf200LiveMembersAllReceiveEveryMessage_andThe201stIsRefused() throws Exception {
    ParleyClient client = node.client(Encoding.PROTOBUF);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<Device>> joining = new ArrayList<>();
    for (int i = 0; i < 201; i++) {
      int n = i;
      joining.add(
          pool.submit(
              () ->
                  Device.online(
                      client,
                      codes.register(client, DevCodes.uniqueEmail("m" + n), "Member " + n, "d"))));
    }
    List<Device> all = new ArrayList<>();
    for (Future<Device> f : joining) all.add(f.get());
    pool.shutdown();
    try {
      Device owner = all.get(0);
      List<Long> others = all.subList(1, 200).stream().map(Device::userId).toList();
      long group =
          Futures.await(owner.connection.createGroup("two hundred", others))
              .getConversation()
              .getConversationId();
      Device outsider = all.get(200);
      assertThat(
              reason(
                  () ->
                      Futures.await(
                          owner.connection.inviteMembers(group, List.of(outsider.userId())))))
          .isEqualTo(Reason.GROUP_FULL);

      List<SendMessageResponse> sent = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        sent.add(
            Futures.await(
                all.get(i * 50)
                    .messenger
                    .sendText(Recipient.conversation(group), "to everyone " + i)));
      }
      List<Message> truth = owner.history(group);
      assertThat(truth).hasSize(4);
      for (Device d : all.subList(0, 200)) d.awaitEntries(group, truth);
      assertThat(outsider.store.messages(group)).isEmpty();
    } finally {
      all.forEach(Device::close);
    }
  }

  @Test
  void strangersBlocksAndRemovals() {
    ParleyClient client = node.client(Encoding.JSON);
    try (Device alice =
            Device.online(
                client, codes.register(client, DevCodes.uniqueEmail("alice"), "Alice", "a"));
        Device bob =
            Device.online(client, codes.register(client, DevCodes.uniqueEmail("bob"), "Bob", "b"));
        Device carol =
            Device.online(
                client, codes.register(client, DevCodes.uniqueEmail("carol"), "Carol", "c"));
        Device eve =
            Device.online(
                client, codes.register(client, DevCodes.uniqueEmail("eve"), "Eve", "e"))) {
      long direct =
          Futures.await(alice.messenger.sendText(Recipient.user(bob.userId()), "private"))
              .getConversationId();
      long group =
          Futures.await(alice.connection.createGroup("club", List.of(bob.userId(), carol.userId())))
              .getConversation()
              .getConversationId();

      // A non-member can neither write nor read: the conversations do not exist for her.
      for (long conv : List.of(direct, group)) {
        assertThat(
                reason(
                    () ->
                        Futures.await(
                            eve.messenger.sendText(Recipient.conversation(conv), "let me in"))))
            .isEqualTo(Reason.NOT_FOUND);
        assertThat(
                reason(
                    () ->
                        Futures.await(
                            eve.connection.getHistory(
                                GetHistoryRequest.newBuilder().setConversationId(conv).build()))))
            .isEqualTo(Reason.NOT_FOUND);
      }

      // A blocked user cannot message the blocker (nor the other way round).
      Futures.await(bob.connection.blockUser(eve.userId()));
      assertThat(
              reason(
                  () ->
                      Futures.await(
                          eve.messenger.sendText(Recipient.user(bob.userId()), "hello?"))))
          .isEqualTo(Reason.BLOCKED);
      assertThat(
              reason(
                  () -> Futures.await(bob.messenger.sendText(Recipient.user(eve.userId()), "no"))))
          .isEqualTo(Reason.BLOCKED);

      // A removed member stops receiving, keeps what she saw, and can no longer write.
      long removedAt = Futures.await(alice.connection.removeMember(group, carol.userId())).getSeq();
      SendMessageResponse after =
          Futures.await(alice.messenger.sendText(Recipient.conversation(group), "carol is gone"));
      bob.messenger.awaitMessage(group, after.getSeq(), Device.WAIT);
      carol.messenger.awaitMessage(group, removedAt, Device.WAIT);
      List<Message> carolSees = carol.history(group);
      assertThat(carolSees).extracting(Message::getSeq).last().isEqualTo(removedAt);
      assertThat(carol.store.message(group, after.getSeq())).isEmpty();
      assertThat(
              reason(
                  () ->
                      Futures.await(
                          carol.messenger.sendText(Recipient.conversation(group), "wait"))))
          .isEqualTo(Reason.CONVERSATION_CLOSED);
      // Still nothing after a moment: the update was never addressed to her.
      carol.messenger.awaitCondition(() -> true, Duration.ofMillis(1));
      assertThat(carol.store.messages(group))
          .extracting(Message::getSeq)
          .doesNotContain(after.getSeq());
    }
  }
}
