package dev.parley.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.client.Connection;
import dev.parley.client.Connection.State;
import dev.parley.client.Credentials;
import dev.parley.client.Encoding;
import dev.parley.client.Futures;
import dev.parley.client.ParleyClient;
import dev.parley.client.TokenStore;
import dev.parley.proto.client.Message;
import dev.parley.proto.client.Platform;
import dev.parley.proto.client.SendMessageRequest;
import dev.parley.proto.client.SendMessageResponse;
import dev.parley.proto.client.TextContent;
import dev.parley.server.audit.ConversationLogs;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MSG-6 across a graceful restart: a client_msg_id stays bound to its entry when the server stops
 * and starts again. Resending it on a new connection, from the same or another device of the
 * sender, to the conversation or (direct chats) to the user, answers with the original: same seq,
 * message id and time, {@code duplicate = true}; the log keeps one copy.
 */
class IdempotencyAcrossRestartIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final Map<String, String> FAST_HASHING =
      Map.of("PARLEY_USER_PASSWORD_MEMORY_KIB", "1024", "PARLEY_USER_PASSWORD_ITERATIONS", "1");

  @TempDir Path dataDir;

  @Test
  void resendAfterRestart_answersWithTheOriginal_andStoresNothingNew() throws Exception {
    Credentials alice;
    Credentials alicePhone;
    long bob;
    long group;
    SendMessageResponse direct;
    SendMessageResponse inGroup;
    try (ServerProcess server = ServerProcess.start(dataDir, FAST_HASHING);
        ParleyClient client = client(server.awaitPort(Duration.ofSeconds(60)))) {
      DevCodes codes = new DevCodes(dataDir);
      String aliceEmail = DevCodes.uniqueEmail("alice");
      alice = codes.register(client, aliceEmail, "Alice", "laptop");
      alicePhone = Users.login(client, aliceEmail, "phone", Platform.PLATFORM_ANDROID);
      bob = codes.register(client, DevCodes.uniqueEmail("bob"), "Bob", "laptop").userId();
      try (Connection c = connect(client, alice)) {
        group =
            Futures.await(c.createGroup("restart", List.of(bob)))
                .getConversation()
                .getConversationId();
        direct = Futures.await(c.sendMessage(toUser(bob, "direct-1", "hello Bob")));
        inGroup = Futures.await(c.sendMessage(toConversation(group, "group-1", "hello group")));
        assertThat(direct.getDuplicate()).isFalse();
        assertThat(inGroup.getDuplicate()).isFalse();
        // Before the restart, too: the same answer.
        assertThat(Futures.await(c.sendMessage(toUser(bob, "direct-1", "hello Bob"))))
            .isEqualTo(direct.toBuilder().setDuplicate(true).build());
      }
      int exit = server.terminate(WAIT);
      assertThat(server.output()).as("exit %d", exit).contains("Gateway stopped");
    }

    try (ServerProcess server = ServerProcess.start(dataDir, FAST_HASHING);
        ParleyClient client = client(server.awaitPort(Duration.ofSeconds(60)));
        Connection laptop = connect(client, alice);
        Connection phone = connect(client, alicePhone)) {
      SendMessageResponse directAgain = direct.toBuilder().setDuplicate(true).build();
      SendMessageResponse groupAgain = inGroup.toBuilder().setDuplicate(true).build();
      assertThat(Futures.await(laptop.sendMessage(toUser(bob, "direct-1", "hello Bob"))))
          .isEqualTo(directAgain);
      assertThat(
              Futures.await(
                  laptop.sendMessage(
                      toConversation(direct.getConversationId(), "direct-1", "hello Bob"))))
          .isEqualTo(directAgain);
      assertThat(Futures.await(phone.sendMessage(toUser(bob, "direct-1", "hello Bob"))))
          .isEqualTo(directAgain);
      assertThat(Futures.await(laptop.sendMessage(toConversation(group, "group-1", "hello group"))))
          .isEqualTo(groupAgain);
      assertThat(Futures.await(phone.sendMessage(toConversation(group, "group-1", "hello group"))))
          .isEqualTo(groupAgain);

      List<Message> directLog = ConversationLogs.read(laptop, direct.getConversationId());
      ConversationLogs.checkInvariants(direct.getConversationId(), directLog);
      assertThat(directLog).extracting(Message::getClientMsgId).containsExactly("direct-1");
      assertThat(directLog.get(0).getMessageId()).isEqualTo(direct.getMessageId());
      List<Message> groupLog = ConversationLogs.read(laptop, group);
      ConversationLogs.checkInvariants(group, groupLog);
      assertThat(groupLog)
          .filteredOn(m -> m.getClientMsgId().equals("group-1"))
          .singleElement()
          .satisfies(m -> assertThat(m.getSeq()).isEqualTo(inGroup.getSeq()))
          .satisfies(m -> assertThat(m.getMessageId()).isEqualTo(inGroup.getMessageId()));
      assertThat(groupLog).hasSize((int) inGroup.getSeq());

      // A new client_msg_id is still a new message, right after the old ones.
      SendMessageResponse next =
          Futures.await(laptop.sendMessage(toConversation(group, "group-2", "still here")));
      assertThat(next.getDuplicate()).isFalse();
      assertThat(next.getSeq()).isEqualTo(inGroup.getSeq() + 1);

      int exit = server.terminate(WAIT);
      assertThat(server.output()).as("exit %d", exit).contains("Gateway stopped");
    }
  }

  private static SendMessageRequest toUser(long userId, String clientMsgId, String text) {
    return SendMessageRequest.newBuilder()
        .setUserId(userId)
        .setClientMsgId(clientMsgId)
        .setText(TextContent.newBuilder().setText(text))
        .build();
  }

  private static SendMessageRequest toConversation(
      long conversationId, String clientMsgId, String text) {
    return SendMessageRequest.newBuilder()
        .setConversationId(conversationId)
        .setClientMsgId(clientMsgId)
        .setText(TextContent.newBuilder().setText(text))
        .build();
  }

  private static Connection connect(ParleyClient client, Credentials credentials) {
    Connection c = client.newConnection(TokenStore.inMemory(credentials)).start();
    c.awaitState(State.READY, WAIT);
    return c;
  }

  private static ParleyClient client(int port) {
    return ParleyClient.builder(URI.create("http://127.0.0.1:" + port))
        .encoding(Encoding.JSON)
        .build();
  }
}
