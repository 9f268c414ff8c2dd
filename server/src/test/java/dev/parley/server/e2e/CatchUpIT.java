package dev.parley.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.client.Connection;
import dev.parley.client.Connection.State;
import dev.parley.client.Credentials;
import dev.parley.client.Encoding;
import dev.parley.client.Futures;
import dev.parley.client.ParleyClient;
import dev.parley.client.SyncStats;
import dev.parley.client.TokenStore;
import dev.parley.proto.client.Message;
import dev.parley.proto.client.Platform;
import dev.parley.proto.client.SendMessageRequest;
import dev.parley.proto.client.SendMessageResponse;
import dev.parley.proto.client.TextContent;
import dev.parley.testkit.PostgresExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** SYNC-2, SYNC-3, MSG-5: catching up after being away, and idempotent sends across everything. */
class CatchUpIT {
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
  void aDeviceOfflineWhile1000MessagesArriveIn50ConversationsCatchesUpInFewRequests() {
    ParleyClient client = node.client(Encoding.PROTOBUF);
    String bobEmail = DevCodes.uniqueEmail("bob");
    Credentials alice = codes.register(client, DevCodes.uniqueEmail("alice"), "Alice", "a");
    Credentials bobPhone = codes.register(client, bobEmail, "Bob", "phone");
    Credentials bobLaptop = Users.login(client, bobEmail, "laptop", Platform.PLATFORM_DESKTOP);

    try (Device sender = Device.online(client, alice);
        Device online = Device.online(client, bobPhone);
        Device away = Device.online(client, bobLaptop)) {
      away.disconnect();

      List<Long> conversations = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        conversations.add(
            Futures.await(sender.connection.createGroup("room " + i, List.of(bobPhone.userId())))
                .getConversation()
                .getConversationId());
      }
      List<CompletableFuture<SendMessageResponse>> sends = new ArrayList<>();
      for (int round = 0; round < 20; round++) {
        for (long conv : conversations) {
          sends.add(
              sender.connection.sendMessage(
                  SendMessageRequest.newBuilder()
                      .setConversationId(conv)
                      .setClientMsgId("r" + round + "-" + conv)
                      .setText(TextContent.newBuilder().setText("round " + round))
                      .build()));
        }
        sends.forEach(Futures::await); // at most 50 in flight
        sends.clear();
      }

      away.connect();
      SyncStats catchUp = away.messenger.lastCatchUp();
      // 50 creations + 1000 messages = 1050 updates: three pages of 500, whatever the number of
      // conversations.
      assertThat(catchUp.getDifference()).isLessThanOrEqualTo(4);
      assertThat(catchUp.requests()).isLessThanOrEqualTo(6);
      assertThat(catchUp.updates()).isGreaterThanOrEqualTo(1050);
      for (long conv : conversations) {
        List<Message> truth = online.history(conv);
        assertThat(truth).hasSize(21);
        away.awaitEntries(conv, truth);
        online.awaitEntries(conv, truth);
      }
    }
  }

  @Test
  void resendingAClientMsgIdYieldsTheOriginal_onTheSameConnection_aNewOne_andAfterARestart() {
    ParleyClient client = node.client(Encoding.JSON);
    Credentials alice = codes.register(client, DevCodes.uniqueEmail("alice"), "Alice", "a");
    Credentials bob = codes.register(client, DevCodes.uniqueEmail("bob"), "Bob", "b");
    SendMessageRequest message =
        SendMessageRequest.newBuilder()
            .setUserId(bob.userId())
            .setClientMsgId("5f1d-once-only")
            .setText(TextContent.newBuilder().setText("exactly once"))
            .build();

    SendMessageResponse original;
    try (Connection c = connect(client, alice)) {
      original = Futures.await(c.sendMessage(message));
      assertThat(original.getDuplicate()).isFalse();
      SendMessageResponse sameConnection = Futures.await(c.sendMessage(message));
      assertSame(sameConnection, original);
    }
    try (Connection c = connect(client, alice)) {
      assertSame(Futures.await(c.sendMessage(message)), original);
    }
    node.restart();
    try (Connection c = connect(client, alice);
        Device bobsPhone = Device.online(client, bob)) {
      assertSame(Futures.await(c.sendMessage(message)), original);
      List<Message> history = bobsPhone.history(original.getConversationId());
      assertThat(history).hasSize(1);
      assertThat(history.get(0).getText().getText()).isEqualTo("exactly once");
    }
  }

  private static void assertSame(SendMessageResponse again, SendMessageResponse original) {
    assertThat(again.getDuplicate()).isTrue();
    assertThat(again.getSeq()).isEqualTo(original.getSeq());
    assertThat(again.getMessageId()).isEqualTo(original.getMessageId());
    assertThat(again.getConversationId()).isEqualTo(original.getConversationId());
  }

  private static Connection connect(ParleyClient client, Credentials credentials) {
    Connection c = client.newConnection(TokenStore.inMemory(credentials));
    c.start().awaitState(State.READY, Device.WAIT);
    return c;
  }
}
