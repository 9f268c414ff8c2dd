package dev.parley.msg.core.log;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.common.grpc.TraceContext;
import dev.parley.common.id.Snowflake;
import dev.parley.common.trace.Tracing;
import dev.parley.msg.MsgHarness;
import dev.parley.msg.core.RelationRules;
import dev.parley.msg.core.UpdateSink;
import dev.parley.msg.core.content.Content;
import dev.parley.msg.crypto.ContentCipher;
import dev.parley.msg.feed.FeedItem;
import dev.parley.msg.store.BatchStatements;
import dev.parley.msg.store.Conversations;
import dev.parley.msg.store.Entries;
import dev.parley.msg.store.Entry;
import dev.parley.msg.store.Feed;
import dev.parley.msg.store.Relations;
import dev.parley.msg.store.Tx;
import dev.parley.proto.client.BlockUserRequest;
import dev.parley.proto.client.CreateGroupRequest;
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
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
 * Group commit: one transaction applying many commands must keep every guarantee of one command per
 * transaction (gap-free seqs, in-order feeds, exactly-once client_msg_id, membership windows) and
 * give each command its own answer, whatever else shares its batch.
 */
class LogBatchIT {
  @RegisterExtension static final PostgresExtension postgres = new PostgresExtension();
  static MsgHarness msg;
  static Tx tx;
  static LogBatch work;

  @BeforeAll
  static void start() {
    // The harness's service and our transaction must share the content key: one writes, the other
    // reads.
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    msg = MsgHarness.withContentKey(postgres, key);
    tx = new Tx(postgres.database().jdbi());
    Conversations conversations = new Conversations();
    Relations relations = new Relations();
    ContentCipher cipher = new ContentCipher(Map.of(1, key), 1);
    work =
        new LogBatch(
            conversations,
            new BatchStatements(cipher),
            new Entries(cipher),
            new Feed(),
            new RelationRules(false, relations),
            dev.parley.msg.core.FileAttachments.NONE,
            new Snowflake(7, Clock.systemUTC()),
            new CommandRules(200, Duration.ofHours(24), Duration.ofHours(48)));
  }

  @AfterAll
  static void stop() {
    msg.close();
  }

  static SendMessageRequest text(long to, String id) {
    return SendMessageRequest.newBuilder()
        .setUserId(to)
        .setClientMsgId(id)
        .setText(TextContent.newBuilder().setText(id))
        .build();
  }

  static LogCommand request(long sender, long conversation, String id) {
    return new LogCommand.Send(sender, conversation, 0, id, new Content.Text(id));
  }

  static LogBatch.Result run(List<LogCommand> batch) {
    return tx.write(h -> work.run(h, batch, Instant.now()));
  }

  static Entry stored(LogOutcome o) {
    assertThat(o).isInstanceOf(LogOutcome.Stored.class);
    return ((LogOutcome.Stored) o).last();
  }

  static Entry duplicate(LogOutcome o) {
    assertThat(o).isInstanceOf(LogOutcome.Duplicate.class);
    return ((LogOutcome.Duplicate) o).original();
  }

  static Reason refused(LogOutcome o) {
    assertThat(o).isInstanceOf(LogOutcome.Refused.class);
    return ((LogOutcome.Refused) o).error().reason();
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

    List<LogCommand> batch =
        List.of(
            request(alice, ab, "a1"),
            request(alice, ab, "a1"), // the same attempt twice in one batch
            request(carol, ab, "c1"), // not a member
            request(dave, de, "d1"), // blocked by erin
            request(bob, ab, "b1"),
            request(alice, 424242L, "x1"), // no such conversation
            request(alice, ab, "stored-before"), // an attempt committed by an earlier transaction
            request(alice, ab, "a2"));
    LogBatch.Result result = run(batch);
    List<LogOutcome> outcomes = result.outcomes();

    assertThat(outcomes).hasSize(batch.size());
    assertThat(stored(outcomes.get(0)).seq()).isEqualTo(2);
    assertThat(duplicate(outcomes.get(1)).messageId())
        .isEqualTo(stored(outcomes.get(0)).messageId());
    assertThat(refused(outcomes.get(2))).isEqualTo(Reason.NOT_FOUND);
    assertThat(refused(outcomes.get(3))).isEqualTo(Reason.BLOCKED);
    assertThat(stored(outcomes.get(4)).seq()).isEqualTo(3);
    assertThat(refused(outcomes.get(5))).isEqualTo(Reason.NOT_FOUND);
    assertThat(duplicate(outcomes.get(6)).seq()).isEqualTo(1);
    assertThat(stored(outcomes.get(7)).seq()).isEqualTo(4);

    // Only new entries are published, each to both members with a feed position for each.
    assertThat(result.appended()).extracting(a -> a.entry().seq()).containsExactly(2L, 3L, 4L);
    for (Appended a : result.appended()) {
      assertThat(a.recipients()).containsExactly(Math.min(alice, bob), Math.max(alice, bob));
      assertThat(a.pts()).hasSize(2).doesNotContain(0L);
    }

    // Bob's feed: seq 1..4 at consecutive positions; the history holds each message once.
    GetDifferenceResponse bobs =
        msg.messages(bob).getDifference(GetDifferenceRequest.newBuilder().setPts(0).build());
    assertThat(bobs.getUpdatesList()).extracting(Update::getPts).containsExactly(1L, 2L, 3L, 4L);
    assertThat(bobs.getUpdatesList())
        .extracting(u -> u.getMessage().getSeq())
        .containsExactly(1L, 2L, 3L, 4L);
    List<Message> history =
        msg.messages(bob)
            .getHistory(
                GetHistoryRequest.newBuilder().setConversationId(ab).setForward(true).build())
            .getMessagesList();
    assertThat(history)
        .extracting(m -> m.getText().getText())
        .containsExactly("stored-before", "a1", "b1", "a2");
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
    for (long s : from)
      conversationOf.put(s, msg.messages(s).sendMessage(text(target, "open")).getConversationId());
    DistributionSummary batches = msg.meters.get("parley_msg_send_batch_size").summary();
    long batchesBefore = batches.count();
    double sendsBefore = batches.totalAmount();

    ExecutorService pool = Executors.newFixedThreadPool(32);
    List<Callable<SendMessageResponse>> calls = new ArrayList<>();
    for (int k = 0; k < perSender; k++) {
      for (long s : from) {
        String id = "m" + k;
        // Every message is sent twice, as a client retrying after a lost answer would.
        for (int attempt = 0; attempt < 2; attempt++)
          calls.add(() -> msg.messages(s).sendMessage(text(target, id)));
      }
    }
    List<SendMessageResponse> answers = new ArrayList<>();
    for (Future<SendMessageResponse> f : pool.invokeAll(calls)) answers.add(f.get());
    pool.shutdown();

    // Each (sender, id) is stored once: the two attempts got the same seq, one of them flagged
    // duplicate.
    Map<String, Set<Long>> seqsById = new HashMap<>();
    int duplicates = 0;
    for (int i = 0; i < answers.size(); i++) {
      SendMessageResponse a = answers.get(i);
      seqsById
          .computeIfAbsent(a.getConversationId() + "/" + (i / 2), x -> new HashSet<>())
          .add(a.getSeq());
      if (a.getDuplicate()) duplicates++;
    }
    assertThat(duplicates).isEqualTo(senders * perSender);
    assertThat(seqsById.values()).allSatisfy(seqs -> assertThat(seqs).hasSize(1));

    // The recipient's feed is gap-free and names every message exactly once, each conversation in
    // order.
    List<Update> feed = new ArrayList<>();
    long pts = 0;
    GetDifferenceResponse page;
    do {
      page =
          msg.messages(target)
              .getDifference(GetDifferenceRequest.newBuilder().setPts(pts).setLimit(1000).build());
      feed.addAll(page.getUpdatesList());
      pts = page.getPts();
    } while (page.getMore());
    int total = senders * (perSender + 1);
    assertThat(feed)
        .extracting(Update::getPts)
        .containsExactlyElementsOf(LongStream.rangeClosed(1, total).boxed().toList());
    Map<Long, List<Long>> seqsByConversation = new HashMap<>();
    for (Update u : feed)
      seqsByConversation
          .computeIfAbsent(u.getMessage().getConversationId(), c -> new ArrayList<>())
          .add(u.getMessage().getSeq());
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

  @Test
  void groupMessagesWriteNoFeedRows_andMembershipEntriesReachOnlyTheFeedsOfThoseTheyConcern() {
    long alice = msg.newUser();
    long bob = msg.newUser();
    long carol = msg.newUser();
    long dave = msg.newUser();
    long group = createGroup(alice, bob, carol);
    long[] headsBefore = {head(alice), head(bob), head(carol)};
    assertThat(headsBefore).containsOnly(1L); // GROUP_CREATED, in every first member's feed

    LogBatch.Result result =
        run(
            List.of(
                request(alice, group, "g1"),
                request(bob, group, "g2"),
                request(carol, group, "g3")));
    assertThat(result.appended()).extracting(a -> a.entry().seq()).containsExactly(2L, 3L, 4L);
    for (Appended a : result.appended()) {
      assertThat(a.recipients())
          .containsExactly(LongStream.of(alice, bob, carol).sorted().toArray());
      assertThat(a.pts()).containsOnly(0L);
    }
    assertThat(new long[] {head(alice), head(bob), head(carol)}).isEqualTo(headsBefore);

    LogBatch.Result changes =
        run(
            List.of(
                new LogCommand.Invite(alice, group, new long[] {dave}),
                new LogCommand.Remove(alice, group, carol)));
    Appended added = changes.appended().get(0);
    Appended removed = changes.appended().get(1);
    assertThat(added.entry().seq()).isEqualTo(5);
    assertThat(added.recipients())
        .containsExactly(LongStream.of(alice, bob, carol, dave).sorted().toArray());
    assertThat(feedPositionsOf(added)).containsOnlyKeys(dave);
    assertThat(removed.entry().seq()).isEqualTo(6);
    assertThat(removed.recipients())
        .containsExactly(LongStream.of(alice, bob, carol, dave).sorted().toArray());
    assertThat(feedPositionsOf(removed)).containsOnlyKeys(carol);
    assertThat(head(alice)).isEqualTo(1);
    assertThat(head(bob)).isEqualTo(1);
    assertThat(head(carol)).isEqualTo(2);
    assertThat(head(dave)).isEqualTo(1);
  }

  @Test
  void commandsOfOneBatchSeeEachOthersEffects() {
    long alice = msg.newUser();
    long bob = msg.newUser();
    long carol = msg.newUser();
    long dave = msg.newUser();
    long group = createGroup(alice, bob, carol);

    List<LogOutcome> outcomes =
        run(List.of(
                new LogCommand.Remove(alice, group, carol),
                request(carol, group, "after-removal"),
                new LogCommand.Invite(alice, group, new long[] {dave}),
                request(dave, group, "after-invite"),
                new LogCommand.Rename(bob, group, "renamed by a member"),
                new LogCommand.SetRole(alice, group, bob, dev.parley.msg.store.MemberRow.ADMIN),
                new LogCommand.Rename(bob, group, "renamed by an admin"),
                new LogCommand.Rename(bob, group, "renamed by an admin")))
            .outcomes();

    assertThat(stored(outcomes.get(0)).seq()).isEqualTo(2);
    assertThat(refused(outcomes.get(1))).isEqualTo(Reason.CONVERSATION_CLOSED);
    assertThat(stored(outcomes.get(2)).seq()).isEqualTo(3);
    assertThat(stored(outcomes.get(3)).seq()).isEqualTo(4);
    assertThat(refused(outcomes.get(4))).isEqualTo(Reason.PERMISSION_DENIED);
    assertThat(stored(outcomes.get(5)).seq()).isEqualTo(5);
    assertThat(stored(outcomes.get(6)).seq()).isEqualTo(6);
    assertThat(outcomes.get(7)).isInstanceOf(LogOutcome.Unchanged.class);

    // Windows: carol reads up to her removal, dave from the entry that added him.
    assertThat(historySeqs(carol, group)).containsExactly(1L, 2L);
    assertThat(historySeqs(dave, group)).containsExactly(3L, 4L, 5L, 6L);
    assertThat(historySeqs(alice, group)).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
  }

  @Test
  void firstMessagesOfOnePairInOneBatch_shareOneNewConversation() {
    long x = msg.newUser();
    long y = msg.newUser();
    List<LogOutcome> outcomes =
        run(List.of(
                new LogCommand.Send(x, 0, y, "x-first", new Content.Text("hi y")),
                new LogCommand.Send(y, 0, x, "y-first", new Content.Text("hi x")),
                new LogCommand.Send(x, 0, y, "x-first", new Content.Text("hi y"))))
            .outcomes();
    Entry first = stored(outcomes.get(0));
    Entry second = stored(outcomes.get(1));
    assertThat(second.conversationId()).isEqualTo(first.conversationId());
    assertThat(List.of(first.seq(), second.seq())).containsExactly(1L, 2L);
    assertThat(duplicate(outcomes.get(2)).messageId()).isEqualTo(first.messageId());
    // A later first message (the conversation exists now) lands there too.
    Entry third =
        stored(
            run(List.of(new LogCommand.Send(y, 0, x, "y-second", new Content.Text("again"))))
                .outcomes()
                .get(0));
    assertThat(third.conversationId()).isEqualTo(first.conversationId());
    assertThat(third.seq()).isEqualTo(3);
  }

  @Test
  void aRecallTwiceInOneBatch_isAppendedOnce() {
    long alice = msg.newUser();
    long bob = msg.newUser();
    long ab = msg.messages(alice).sendMessage(text(bob, "to-recall")).getConversationId();
    List<LogOutcome> outcomes =
        run(List.of(
                new LogCommand.Recall(alice, ab, 1),
                new LogCommand.Recall(alice, ab, 1),
                new LogCommand.Recall(bob, ab, 1)))
            .outcomes();
    Entry recall = stored(outcomes.get(0));
    assertThat(recall.seq()).isEqualTo(2);
    assertThat(recall.content()).isEqualTo(new Content.Recall(1));
    assertThat(duplicate(outcomes.get(1)).seq()).isEqualTo(2);
    assertThat(duplicate(outcomes.get(2)).seq())
        .isEqualTo(2); // already recalled: answered before permissions
    // And a later transaction finds the stored recall.
    assertThat(duplicate(run(List.of(new LogCommand.Recall(alice, ab, 1))).outcomes().get(0)).seq())
        .isEqualTo(2);
    Message recalled =
        msg.messages(bob)
            .getHistory(
                GetHistoryRequest.newBuilder().setConversationId(ab).setForward(true).build())
            .getMessages(0);
    assertThat(recalled.getRecalled()).isTrue();
    assertThat(recalled.hasText()).isFalse();
  }

  @Test
  void anUnreadCountIsTheLogsAsOfItsUpperSeq_aRecallBeyondItDoesNotCountYet() {
    long alice = msg.newUser();
    long bob = msg.newUser();
    long ab = msg.messages(bob).sendMessage(text(alice, "one")).getConversationId();
    msg.messages(bob).sendMessage(text(alice, "two"));
    msg.messages(bob).sendMessage(text(alice, "three"));
    assertThat(stored(run(List.of(new LogCommand.Recall(bob, ab, 2))).outcomes().get(0)).seq())
        .isEqualTo(4);
    Entries entries = new Entries(new ContentCipher(Map.of(1, new byte[32]), 1));
    int untilThree = tx.read(h -> entries.countUnread(h, ab, 0, 3, alice));
    int untilFour = tx.read(h -> entries.countUnread(h, ab, 0, 4, alice));
    int afterOne = tx.read(h -> entries.countUnread(h, ab, 1, 4, alice));
    int own = tx.read(h -> entries.countUnread(h, ab, 0, 4, bob));
    assertThat(untilThree).isEqualTo(3); // the recall (seq 4) is not in it yet
    assertThat(untilFour).isEqualTo(2);
    assertThat(afterOne).isEqualTo(1);
    assertThat(own).isZero();
  }

  private static long createGroup(long owner, long... others) {
    return msg.groups(owner)
        .createGroup(
            CreateGroupRequest.newBuilder()
                .setTitle("t")
                .addAllUserIds(LongStream.of(others).boxed().toList())
                .build())
        .getConversation()
        .getConversationId();
  }

  private static long head(long user) {
    return tx.read(h -> new Feed().head(h, user).pts());
  }

  private static Map<Long, Long> feedPositionsOf(Appended a) {
    Map<Long, Long> out = new HashMap<>();
    for (int i = 0; i < a.recipients().length; i++)
      if (a.pts()[i] != 0) out.put(a.recipients()[i], a.pts()[i]);
    return out;
  }

  private static List<Long> historySeqs(long user, long conversation) {
    return msg
        .messages(user)
        .getHistory(
            GetHistoryRequest.newBuilder().setConversationId(conversation).setForward(true).build())
        .getMessagesList()
        .stream()
        .map(Message::getSeq)
        .toList();
  }

  private static long readSeq(long conversation, long user) {
    return tx.read(
        h ->
            h.createQuery(
                    "SELECT read_seq FROM msg.members WHERE conversation_id = :c AND user_id = :u")
                .bind("c", conversation)
                .bind("u", user)
                .mapTo(Long.class)
                .one());
  }

  /**
   * Item 2 of issue 15: a send through the writer is one trace, whose id is the request's log trace
   * id, with its queue wait, its batch's transaction and the commit as children.
   */
  @Test
  void aSendIsOneTraceUnderTheRequestsTraceId_withQueueWaitTransactionAndCommit() {
    long alice = msg.newUser();
    long bob = msg.newUser();
    long ab = msg.messages(alice).sendMessage(text(bob, "untraced")).getConversationId();
    InMemorySpanExporter exported = InMemorySpanExporter.create();
    String traceId = TraceContext.newTraceId();
    // Not closed: shutting the exporter down would clear what it holds.
    Tracing tracing =
        Tracing.exportingTo(
            SimpleSpanProcessor.create(exported), Sampler.alwaysOn(), "parley-msg", "test");
    try (LogWriter writer =
        new LogWriter(
            tx,
            work,
            NO_UPDATES,
            Clock.systemUTC(),
            1,
            Duration.ofSeconds(5),
            System::nanoTime,
            SendPressure.none(),
            new SimpleMeterRegistry(),
            tracing.tracer("test"))) {
      LogOutcome outcome =
          TraceContext.in(traceId, () -> writer.submit(request(alice, ab, "traced")));
      assertThat(stored(outcome).seq()).isEqualTo(2);
    }

    List<SpanData> spans = exported.getFinishedSpanItems();
    assertThat(spans).extracting(SpanData::getTraceId).containsOnly(traceId);
    SpanData send = named(spans, "msg send");
    assertThat(send.getParentSpanContext().isValid()).isFalse();
    SpanData queueWait = named(spans, "msg.queue_wait");
    SpanData transaction = named(spans, "msg.transaction");
    SpanData commit = named(spans, "msg.commit");
    assertThat(List.of(queueWait, transaction, commit))
        .extracting(SpanData::getParentSpanId)
        .containsOnly(send.getSpanId());
    assertThat(transaction.getAttributes().get(AttributeKey.longKey("parley.batch.size")))
        .isEqualTo(1L);
    // In order, within the send: waiting, then the statements, then the commit.
    assertThat(queueWait.getStartEpochNanos()).isGreaterThanOrEqualTo(send.getStartEpochNanos());
    assertThat(transaction.getStartEpochNanos()).isEqualTo(queueWait.getEndEpochNanos());
    assertThat(commit.getStartEpochNanos()).isEqualTo(transaction.getEndEpochNanos());
    assertThat(commit.getEndEpochNanos()).isLessThanOrEqualTo(send.getEndEpochNanos());
    assertThat(spans).hasSize(4);
  }

  private static final UpdateSink NO_UPDATES =
      new UpdateSink() {
        @Override
        public void appended(Appended appended) {}

        @Override
        public void published(List<FeedItem> items, long[] pts) {}
      };

  private static SpanData named(List<SpanData> spans, String name) {
    List<SpanData> matching = spans.stream().filter(s -> s.getName().equals(name)).toList();
    assertThat(matching).as(name).hasSize(1);
    return matching.get(0);
  }
}
