package dev.parley.msg.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.common.id.Snowflake;
import dev.parley.msg.MsgConfig;
import dev.parley.msg.MsgHarness;
import dev.parley.msg.core.SendTransaction.Outcome;
import dev.parley.msg.core.SendTransaction.Request;
import dev.parley.msg.crypto.ContentCipher;
import dev.parley.msg.feed.Feed;
import dev.parley.msg.store.Conversations;
import dev.parley.msg.store.Entries;
import dev.parley.msg.store.EntryKind;
import dev.parley.msg.store.Members;
import dev.parley.msg.store.Tx;
import dev.parley.proto.client.BlockUserRequest;
import dev.parley.proto.client.Error.Reason;
import dev.parley.proto.client.GetDifferenceRequest;
import dev.parley.proto.client.GetDifferenceResponse;
import dev.parley.proto.client.GetHistoryRequest;
import dev.parley.proto.client.Message;
import dev.parley.proto.client.SendMessageRequest;
import dev.parley.proto.client.SendMessageResponse;
import dev.parley.proto.client.TextContent;
import dev.parley.proto.client.Update;
import dev.parley.testkit.PostgresExtension;
import io.micrometer.core.instrument.DistributionSummary;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Group commit: one transaction storing many sends must keep every guarantee of one send per
 * transaction (gap-free seqs, gap-free feeds, exactly-once client_msg_id) and give each send its own
 * answer, whatever else shares its batch.
 */
class SendTransactionIT {
  @RegisterExtension static final PostgresExtension postgres = new PostgresExtension();
  static MsgHarness msg;
  static Tx tx;
  static SendTransaction work;

  @BeforeAll
  static void start() {
    // The harness's service and our transaction must share the content key: one writes, the other reads.
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    String encoded = Base64.getEncoder().encodeToString(key);
    msg =
        new MsgHarness(
            postgres,
            c ->
                new MsgConfig(
                    c.directChat(),
                    c.maxGroupMembers(),
                    c.maxTextLength(),
                    c.recallWindow(),
                    c.feedRetention(),
                    c.historyRetention(),
                    Map.of("1", encoded),
                    1,
                    c.sendWriters()));
    tx = new Tx(postgres.database().jdbi());
    Conversations conversations = new Conversations();
    work =
        new SendTransaction(
            conversations,
            new Members(),
            new Entries(new ContentCipher(Map.of(1, key), 1)),
            new Feed(),
            new RelationRules(false),
            new Snowflake(7, Clock.systemUTC()));
  }

  @AfterAll
  static void stop() {
    msg.close();
  }

  static SendMessageRequest text(long to, String id) {
    return SendMessageRequest.newBuilder().setUserId(to).setClientMsgId(id).setText(TextContent.newBuilder().setText(id)).build();
  }

  static Request request(long sender, long conversation, String id) {
    byte[] content = Message.newBuilder().setText(TextContent.newBuilder().setText(id)).build().toByteArray();
    return new Request(sender, conversation, id, EntryKind.TEXT, content);
  }

  @Test
  void everySendInABatchGetsItsOwnOutcome() {
    long alice = msg.newUser();
    long bob = msg.newUser();
    long carol = msg.newUser();
    long dave = msg.newUser();
    long erin = msg.newUser();
    long ab = msg.messages(alice).sendMessage(text(bob, "stored-before")).getConversationId();
    long de = msg.messages(dave).sendMessage(text(erin, "de-1")).getConversationId();
    msg.relations(erin).blockUser(BlockUserRequest.newBuilder().setUserId(dave).build());

    List<Request> batch =
        List.of(
            request(alice, ab, "a1"),
            request(alice, ab, "a1"), // the same attempt twice in one batch
            request(carol, ab, "c1"), // not a member
            request(dave, de, "d1"), // blocked by erin
            request(bob, ab, "b1"),
            request(alice, 424242L, "x1"), // no such conversation
            request(alice, ab, "stored-before"), // an attempt committed by an earlier transaction
            request(alice, ab, "a2"));
    List<Outcome> outcomes = tx.write(h -> work.run(h, batch, Instant.now()));

    assertThat(outcomes).hasSize(batch.size());
    assertThat(outcomes.get(0).sent().entry().seq()).isEqualTo(2);
    assertThat(outcomes.get(0).sent().duplicate()).isFalse();
    assertThat(outcomes.get(1).sent().duplicate()).isTrue();
    assertThat(outcomes.get(1).sent().entry().messageId()).isEqualTo(outcomes.get(0).sent().entry().messageId());
    assertThat(outcomes.get(2).refused().reason()).isEqualTo(Reason.NOT_FOUND);
    assertThat(outcomes.get(3).refused().reason()).isEqualTo(Reason.BLOCKED);
    assertThat(outcomes.get(4).sent().entry().seq()).isEqualTo(3);
    assertThat(outcomes.get(5).refused().reason()).isEqualTo(Reason.NOT_FOUND);
    assertThat(outcomes.get(6).sent().duplicate()).isTrue();
    assertThat(outcomes.get(6).sent().entry().seq()).isEqualTo(1);
    assertThat(outcomes.get(7).sent().entry().seq()).isEqualTo(4);

    // Only new entries are published, each with one feed position per member.
    for (int i : new int[] {0, 4, 7}) {
      Appended a = outcomes.get(i).appended();
      assertThat(a.recipients()).containsExactly(Math.min(alice, bob), Math.max(alice, bob));
      assertThat(a.pts()).hasSize(2);
    }
    for (int i : new int[] {1, 2, 3, 5, 6}) assertThat(outcomes.get(i).appended()).isNull();

    // Bob's feed: seq 1..4 at consecutive positions; the history holds each message once.
    GetDifferenceResponse bobs = msg.messages(bob).getDifference(GetDifferenceRequest.newBuilder().setPts(0).build());
    assertThat(bobs.getUpdatesList()).extracting(Update::getPts).containsExactly(1L, 2L, 3L, 4L);
    assertThat(bobs.getUpdatesList()).extracting(u -> u.getMessage().getSeq()).containsExactly(1L, 2L, 3L, 4L);
    List<Message> history =
        msg.messages(bob).getHistory(GetHistoryRequest.newBuilder().setConversationId(ab).setForward(true).build()).getMessagesList();
    assertThat(history).extracting(m -> m.getText().getText()).containsExactly("stored-before", "a1", "b1", "a2");
    // Senders' read markers moved to their newest message.
    assertThat(readSeq(ab, alice)).isEqualTo(4);
    assertThat(readSeq(ab, bob)).isEqualTo(3);
  }

  @Test
  void manySendersToOneRecipientAtOnce_shareTransactions_andLoseOrRepeatNothing() throws Exception {
    long target = msg.newUser();
    int senders = 12;
    int perSender = 40;
    long[] from = LongStream.range(0, senders).map(i -> msg.newUser()).toArray();
    Map<Long, Long> conversationOf = new HashMap<>();
    for (long s : from) conversationOf.put(s, msg.messages(s).sendMessage(text(target, "open")).getConversationId());
    DistributionSummary batches = msg.meters.get("parley_msg_send_batch_size").summary();
    long batchesBefore = batches.count();
    double sendsBefore = batches.totalAmount();

    ExecutorService pool = Executors.newFixedThreadPool(32);
    List<Callable<SendMessageResponse>> calls = new ArrayList<>();
    for (int k = 0; k < perSender; k++) {
      for (long s : from) {
        String id = "m" + k;
        // Every message is sent twice, as a client retrying after a lost answer would.
        for (int attempt = 0; attempt < 2; attempt++) calls.add(() -> msg.messages(s).sendMessage(text(target, id)));
      }
    }
    List<SendMessageResponse> answers = new ArrayList<>();
    for (Future<SendMessageResponse> f : pool.invokeAll(calls)) answers.add(f.get());
    pool.shutdown();

    // Each (sender, id) is stored once: the two attempts got the same seq, one of them flagged duplicate.
    Map<String, Set<Long>> seqsById = new HashMap<>();
    int duplicates = 0;
    for (int i = 0; i < answers.size(); i++) {
      SendMessageResponse a = answers.get(i);
      seqsById.computeIfAbsent(a.getConversationId() + "/" + (i / 2), x -> new HashSet<>()).add(a.getSeq());
      if (a.getDuplicate()) duplicates++;
    }
    assertThat(duplicates).isEqualTo(senders * perSender);
    assertThat(seqsById.values()).allSatisfy(seqs -> assertThat(seqs).hasSize(1));

    // The recipient's feed is gap-free and names every message exactly once, each conversation in order.
    List<Update> feed = new ArrayList<>();
    long pts = 0;
    GetDifferenceResponse page;
    do {
      page = msg.messages(target).getDifference(GetDifferenceRequest.newBuilder().setPts(pts).setLimit(1000).build());
      feed.addAll(page.getUpdatesList());
      pts = page.getPts();
    } while (page.getMore());
    int total = senders * (perSender + 1);
    assertThat(feed).extracting(Update::getPts).containsExactlyElementsOf(LongStream.rangeClosed(1, total).boxed().toList());
    Map<Long, List<Long>> seqsByConversation = new HashMap<>();
    for (Update u : feed) seqsByConversation.computeIfAbsent(u.getMessage().getConversationId(), c -> new ArrayList<>()).add(u.getMessage().getSeq());
    for (long s : from) {
      assertThat(seqsByConversation.get(conversationOf.get(s)))
          .containsExactlyElementsOf(LongStream.rangeClosed(1, perSender + 1).boxed().toList());
    }
    // And they did share transactions: fewer transactions than sends.
    long transactions = batches.count() - batchesBefore;
    double sends = batches.totalAmount() - sendsBefore;
    assertThat(sends).isEqualTo(2.0 * senders * perSender);
    assertThat(transactions).isLessThan((long) sends);
  }

  private static long readSeq(long conversation, long user) {
    return tx.read(
        h -> h.createQuery("SELECT read_seq FROM msg.members WHERE conversation_id = :c AND user_id = :u")
            .bind("c", conversation)
            .bind("u", user)
            .mapTo(Long.class)
            .one());
  }
}
