package dev.parley.msg;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.proto.client.Error.Reason;
import dev.parley.proto.client.GetConversationsRequest;
import dev.parley.proto.client.GetConversationsResponse;
import dev.parley.proto.client.GetDifferenceRequest;
import dev.parley.proto.client.GetDifferenceResponse;
import dev.parley.proto.client.GetHistoryRequest;
import dev.parley.proto.client.GetHistoryResponse;
import dev.parley.proto.client.GetStateRequest;
import dev.parley.proto.client.MarkReadRequest;
import dev.parley.proto.client.MarkReadResponse;
import dev.parley.proto.client.Message;
import dev.parley.proto.client.RecallMessageRequest;
import dev.parley.proto.client.SendMessageRequest;
import dev.parley.proto.client.SendMessageResponse;
import dev.parley.proto.client.TextContent;
import dev.parley.proto.client.Update;
import dev.parley.testkit.PostgresExtension;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One-to-one messaging through the gRPC service on real PostgreSQL: seq, idempotency, feed, read
 * state.
 */
class MessagingIT {
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

  static SendMessageRequest text(long to, String id, String text) {
    return SendMessageRequest.newBuilder()
        .setUserId(to)
        .setClientMsgId(id)
        .setText(TextContent.newBuilder().setText(text))
        .build();
  }

  @Test
  void firstMessageCreatesTheConversation_seqsAreGapFree_andBothFeedsGetEveryEntry() {
    long alice = msg.newUser();
    long bob = msg.newUser();
    SendMessageResponse first = msg.messages(alice).sendMessage(text(bob, "a1", "hi bob"));
    SendMessageResponse second = msg.messages(bob).sendMessage(text(alice, "b1", "hi alice"));
    assertThat(second.getConversationId()).isEqualTo(first.getConversationId());
    assertThat(first.getSeq()).isEqualTo(1);
    assertThat(second.getSeq()).isEqualTo(2);

    GetDifferenceResponse bobs =
        msg.messages(bob).getDifference(GetDifferenceRequest.newBuilder().setPts(0).build());
    assertThat(bobs.getUpdatesList())
        .extracting(u -> u.getMessage().getSeq())
        .containsExactly(1L, 2L);
    assertThat(bobs.getUpdatesList()).extracting(Update::getPts).containsExactly(1L, 2L);
    assertThat(bobs.getUpdates(0).getMessage().getText().getText()).isEqualTo("hi bob");
    assertThat(bobs.getPts()).isEqualTo(2);
    assertThat(bobs.getMore()).isFalse();
  }

  @Test
  void resendingAClientMsgIdReturnsTheOriginal() {
    long alice = msg.newUser();
    long bob = msg.newUser();
    SendMessageResponse original = msg.messages(alice).sendMessage(text(bob, "same-id", "once"));
    SendMessageResponse again = msg.messages(alice).sendMessage(text(bob, "same-id", "once"));
    assertThat(again.getDuplicate()).isTrue();
    assertThat(again.getSeq()).isEqualTo(original.getSeq());
    assertThat(again.getMessageId()).isEqualTo(original.getMessageId());
    GetHistoryResponse history =
        msg.messages(bob)
            .getHistory(
                GetHistoryRequest.newBuilder()
                    .setConversationId(original.getConversationId())
                    .build());
    assertThat(history.getMessagesList()).hasSize(1);
  }

  @Test
  void concurrentSendersGetGapFreeSeqsAndConcurrentDuplicatesCollapse() throws Exception {
    long alice = msg.newUser();
    long bob = msg.newUser();
    long conv = msg.messages(alice).sendMessage(text(bob, "open", "open")).getConversationId();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Callable<SendMessageResponse>> calls = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      long from = i % 2 == 0 ? alice : bob;
      String id = "m" + (i % 50); // every id is sent twice by the same sender
      long sender = i % 2 == 0 ? alice : bob;
      calls.add(
          () ->
              msg.messages(sender)
                  .sendMessage(
                      SendMessageRequest.newBuilder()
                          .setConversationId(conv)
                          .setClientMsgId(id + "-" + from)
                          .setText(TextContent.newBuilder().setText("x"))
                          .build()));
    }
    Set<Long> seqs = new HashSet<>();
    for (Future<SendMessageResponse> f : pool.invokeAll(calls)) seqs.add(f.get().getSeq());
    pool.shutdown();
    // 50 distinct (sender, id) pairs + the opening message: seqs 1..51, no gaps, no extras.
    GetHistoryResponse all =
        msg.messages(alice)
            .getHistory(
                GetHistoryRequest.newBuilder()
                    .setConversationId(conv)
                    .setForward(true)
                    .setLimit(200)
                    .build());
    assertThat(all.getMessagesList())
        .extracting(Message::getSeq)
        .containsExactlyElementsOf(range(1, 51));
    assertThat(seqs).hasSize(50);
  }

  @Test
  void contentIsEncryptedAtRest() throws Exception {
    long alice = msg.newUser();
    long bob = msg.newUser();
    msg.messages(alice).sendMessage(text(bob, "secret", "the password is swordfish"));
    try (Connection c = DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), "");
        ResultSet rs = c.createStatement().executeQuery("SELECT content FROM msg.entries")) {
      while (rs.next()) {
        assertThat(new String(rs.getBytes(1), java.nio.charset.StandardCharsets.ISO_8859_1))
            .doesNotContain("swordfish");
      }
    }
  }

  @Test
  void readStateAndUnreadCountsAreDerivedFromSeqs() {
    long alice = msg.newUser();
    long bob = msg.newUser();
    long conv = 0;
    for (int i = 0; i < 5; i++)
      conv = msg.messages(alice).sendMessage(text(bob, "r" + i, "m" + i)).getConversationId();
    GetConversationsResponse list =
        msg.messages(bob).getConversations(GetConversationsRequest.getDefaultInstance());
    assertThat(list.getConversations(0).getUnreadCount()).isEqualTo(5);
    assertThat(list.getTotalUnread()).isEqualTo(5);
    assertThat(list.getConversations(0).getLastMessage().getSeq()).isEqualTo(5);

    MarkReadResponse read =
        msg.messages(bob)
            .markRead(MarkReadRequest.newBuilder().setConversationId(conv).setSeq(3).build());
    assertThat(read.getUnreadCount()).isEqualTo(2);
    // never backwards
    assertThat(
            msg.messages(bob)
                .markRead(MarkReadRequest.newBuilder().setConversationId(conv).setSeq(1).build())
                .getReadSeq())
        .isEqualTo(3);
    // Alice got a receipt, Bob's devices a read marker.
    GetDifferenceResponse alices =
        msg.messages(alice).getDifference(GetDifferenceRequest.newBuilder().setPts(5).build());
    assertThat(alices.getUpdatesList())
        .anySatisfy(u -> assertThat(u.getReadReceipt().getReadSeq()).isEqualTo(3));
    GetDifferenceResponse bobs =
        msg.messages(bob).getDifference(GetDifferenceRequest.newBuilder().setPts(5).build());
    assertThat(bobs.getUpdates(0).getReadMarker().getUnreadCount()).isEqualTo(2);
    // Bob replies: his own message implies he read everything before it.
    msg.messages(bob).sendMessage(text(alice, "reply", "ok"));
    assertThat(msg.messages(bob).getState(GetStateRequest.getDefaultInstance()).getTotalUnread())
        .isZero();
  }

  @Test
  void recallErasesContentAndAppendsARecallEntry() {
    long alice = msg.newUser();
    long bob = msg.newUser();
    SendMessageResponse sent = msg.messages(alice).sendMessage(text(bob, "oops", "wrong chat"));
    long recallSeq =
        msg.messages(alice)
            .recallMessage(
                RecallMessageRequest.newBuilder()
                    .setConversationId(sent.getConversationId())
                    .setSeq(sent.getSeq())
                    .build())
            .getSeq();
    assertThat(recallSeq).isEqualTo(sent.getSeq() + 1);
    GetHistoryResponse h =
        msg.messages(bob)
            .getHistory(
                GetHistoryRequest.newBuilder().setConversationId(sent.getConversationId()).build());
    assertThat(h.getMessages(0).getRecall().getTargetSeq()).isEqualTo(sent.getSeq());
    assertThat(h.getMessages(1).getRecalled()).isTrue();
    assertThat(h.getMessages(1).hasText()).isFalse();
    // Bob cannot recall Alice's message in a direct chat.
    SendMessageResponse other = msg.messages(alice).sendMessage(text(bob, "keep", "keep"));
    assertThat(
            MsgHarness.error(
                    () ->
                        msg.messages(bob)
                            .recallMessage(
                                RecallMessageRequest.newBuilder()
                                    .setConversationId(other.getConversationId())
                                    .setSeq(other.getSeq())
                                    .build()))
                .getReason())
        .isEqualTo(Reason.PERMISSION_DENIED);
  }

  @Test
  void strangersCannotReadOrWrite() {
    long alice = msg.newUser();
    long bob = msg.newUser();
    long eve = msg.newUser();
    long conv = msg.messages(alice).sendMessage(text(bob, "p", "private")).getConversationId();
    assertThat(
            MsgHarness.error(
                    () ->
                        msg.messages(eve)
                            .getHistory(
                                GetHistoryRequest.newBuilder().setConversationId(conv).build()))
                .getReason())
        .isEqualTo(Reason.NOT_FOUND);
    assertThat(
            MsgHarness.error(
                    () ->
                        msg.messages(eve)
                            .sendMessage(
                                SendMessageRequest.newBuilder()
                                    .setConversationId(conv)
                                    .setClientMsgId("x")
                                    .setText(TextContent.newBuilder().setText("hi"))
                                    .build()))
                .getReason())
        .isEqualTo(Reason.NOT_FOUND);
    assertThat(
            MsgHarness.error(() -> msg.messages(alice).sendMessage(text(424242, "y", "who?")))
                .getReason())
        .isEqualTo(Reason.NOT_FOUND);
  }

  @Test
  void differencePagesAndTooLong() {
    long alice = msg.newUser();
    long bob = msg.newUser();
    for (int i = 0; i < 30; i++) msg.messages(alice).sendMessage(text(bob, "d" + i, "m" + i));
    GetDifferenceResponse page =
        msg.messages(bob)
            .getDifference(GetDifferenceRequest.newBuilder().setPts(0).setLimit(10).build());
    assertThat(page.getUpdatesCount()).isEqualTo(10);
    assertThat(page.getMore()).isTrue();
    assertThat(page.getPts()).isEqualTo(10);
    GetDifferenceResponse future =
        msg.messages(bob).getDifference(GetDifferenceRequest.newBuilder().setPts(999).build());
    assertThat(future.getTooLong()).isTrue();
    assertThat(future.getPts()).isEqualTo(30);
  }

  @Test
  void historyPagesAreCutByBytesToo() {
    long alice = msg.newUser();
    long bob = msg.newUser();
    String longText =
        "長".repeat(4000); // 12,000 bytes of UTF-8: 200 of them would be a 2.4 MB frame
    long conv = 0;
    for (int i = 0; i < 200; i++)
      conv = msg.messages(alice).sendMessage(text(bob, "h" + i, longText)).getConversationId();
    for (boolean forward : new boolean[] {false, true}) {
      GetHistoryResponse page =
          msg.messages(bob)
              .getHistory(
                  GetHistoryRequest.newBuilder()
                      .setConversationId(conv)
                      .setLimit(200)
                      .setForward(forward)
                      .build());
      assertThat(page.getSerializedSize()).isLessThanOrEqualTo((1 << 20) + 13_000);
      assertThat(page.getMessagesCount()).isBetween(80, 199);
      assertThat(page.getMore()).isTrue();
      // The next page continues where the cut one stopped: nothing skipped.
      long lastSeq = page.getMessages(page.getMessagesCount() - 1).getSeq();
      GetHistoryRequest.Builder next =
          GetHistoryRequest.newBuilder().setConversationId(conv).setLimit(200);
      GetHistoryResponse rest =
          msg.messages(bob)
              .getHistory(
                  forward ? next.setAfterSeq(lastSeq).build() : next.setBeforeSeq(lastSeq).build());
      assertThat(rest.getMessages(0).getSeq()).isEqualTo(forward ? lastSeq + 1 : lastSeq - 1);
    }
  }

  private static List<Long> range(long from, long to) {
    List<Long> r = new ArrayList<>();
    for (long i = from; i <= to; i++) r.add(i);
    return r;
  }
}
