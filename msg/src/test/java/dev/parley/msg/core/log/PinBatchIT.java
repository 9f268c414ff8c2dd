package dev.parley.msg.core.log;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.common.id.Snowflake;
import dev.parley.msg.MsgHarness;
import dev.parley.msg.core.RelationRules;
import dev.parley.msg.core.content.Content;
import dev.parley.msg.crypto.ContentCipher;
import dev.parley.msg.store.BatchStatements;
import dev.parley.msg.store.Conversations;
import dev.parley.msg.store.Entries;
import dev.parley.msg.store.Entry;
import dev.parley.msg.store.EntryKind;
import dev.parley.msg.store.Feed;
import dev.parley.msg.store.Relations;
import dev.parley.msg.store.Tx;
import dev.parley.proto.client.BlockUserRequest;
import dev.parley.proto.client.CreateGroupRequest;
import dev.parley.proto.client.Error.Reason;
import dev.parley.testkit.PostgresExtension;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The pin rules of the log writer (design.md 13.5), decided under the lock: who may pin, what can
 * be pinned, idempotence, the bound, recalls unpinning, and that a later command of one batch sees
 * the pins, unpins and recalls of the earlier ones; msg.pins holds the final state.
 */
class PinBatchIT {
  @RegisterExtension static final PostgresExtension postgres = new PostgresExtension();
  static final int BOUND = 2;
  static MsgHarness msg;
  static Tx tx;
  static LogBatch work;

  @BeforeAll
  static void start() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    msg = MsgHarness.withContentKey(postgres, key);
    tx = new Tx(postgres.database().jdbi());
    ContentCipher cipher = new ContentCipher(Map.of(1, key), 1);
    work =
        new LogBatch(
            new Conversations(),
            new BatchStatements(cipher),
            new Entries(cipher),
            new Feed(),
            new RelationRules(false, new Relations()),
            dev.parley.msg.core.FileAttachments.NONE,
            new Snowflake(7, Clock.systemUTC()),
            new CommandRules(200, Duration.ofHours(24), Duration.ofHours(48), 20, BOUND));
  }

  @AfterAll
  static void stop() {
    msg.close();
  }

  static List<LogOutcome> run(LogCommand... batch) {
    return tx.write(h -> work.run(h, List.of(batch), Instant.now())).outcomes();
  }

  static Entry stored(LogOutcome o) {
    assertThat(o).isInstanceOf(LogOutcome.Stored.class);
    return ((LogOutcome.Stored) o).last();
  }

  static Reason refused(LogOutcome o) {
    assertThat(o).as("%s", o).isInstanceOf(LogOutcome.Refused.class);
    return ((LogOutcome.Refused) o).error().reason();
  }

  static LogCommand pin(long actor, long conversation, long seq) {
    return new LogCommand.Pin(actor, conversation, seq, true);
  }

  static LogCommand unpin(long actor, long conversation, long seq) {
    return new LogCommand.Pin(actor, conversation, seq, false);
  }

  static long send(long sender, long conversation, String text) {
    return stored(
            run(new LogCommand.Send(sender, conversation, 0, text, new Content.Text(text))).get(0))
        .seq();
  }

  /** The pinned seqs of the conversation as stored, most recently pinned first. */
  static List<Long> pinnedRows(long conversation) {
    return tx.read(
        h ->
            h.createQuery(
                    "SELECT seq FROM msg.pins WHERE conversation_id = :c ORDER BY pin_seq DESC")
                .bind("c", conversation)
                .mapTo(Long.class)
                .list());
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

  @Test
  void inOneBatch_eachPinSeesTheEarlierOnes_andTheTableHoldsTheFinalState() {
    long owner = msg.newUser();
    long member = msg.newUser();
    long g = createGroup(owner, member);
    long a = send(member, g, "a");
    long b = send(member, g, "b");
    long c = send(member, g, "c");

    List<LogOutcome> out =
        run(
            pin(owner, g, a),
            pin(owner, g, a), // pinned already: nothing written
            pin(member, g, b), // a plain member
            pin(owner, g, b),
            pin(owner, g, c), // past the bound of 2
            unpin(owner, g, a),
            unpin(owner, g, a), // not pinned any more: nothing written
            pin(owner, g, c)); // room again
    Entry first = stored(out.get(0));
    assertThat(first.kind()).isEqualTo(EntryKind.PIN);
    assertThat(first.refSeq()).isEqualTo(a);
    assertThat(first.content()).isEqualTo(new Content.Pin(a, true));
    assertThat(out.get(1)).isInstanceOf(LogOutcome.Unchanged.class);
    assertThat(refused(out.get(2))).isEqualTo(Reason.PERMISSION_DENIED);
    stored(out.get(3));
    assertThat(refused(out.get(4))).isEqualTo(Reason.TOO_MANY_PINNED_MESSAGES);
    assertThat(stored(out.get(5)).content()).isEqualTo(new Content.Pin(a, false));
    assertThat(out.get(6)).isInstanceOf(LogOutcome.Unchanged.class);
    stored(out.get(7));
    assertThat(pinnedRows(g)).containsExactly(c, b);

    // The next batch loads that state: the bound still holds, and a pinned message stays pinned.
    List<LogOutcome> next = run(pin(owner, g, a), pin(owner, g, b));
    assertThat(refused(next.get(0))).isEqualTo(Reason.TOO_MANY_PINNED_MESSAGES);
    assertThat(next.get(1)).isInstanceOf(LogOutcome.Unchanged.class);
  }

  @Test
  void aRecallUnpins_andARecalledMessageCannotBePinned_alsoWithinOneBatch() {
    long owner = msg.newUser();
    long member = msg.newUser();
    long g = createGroup(owner, member);
    long a = send(member, g, "a");
    long b = send(member, g, "b");
    run(pin(owner, g, a));

    List<LogOutcome> out =
        run(
            pin(owner, g, b),
            new LogCommand.Recall(member, g, b), // pinned in this batch, recalled in it
            new LogCommand.Recall(member, g, a), // pinned before
            pin(owner, g, a),
            unpin(owner, g, a)); // the recall unpinned it: nothing to do
    stored(out.get(0));
    stored(out.get(1));
    stored(out.get(2));
    assertThat(refused(out.get(3))).isEqualTo(Reason.MESSAGE_RECALLED);
    assertThat(out.get(4)).isInstanceOf(LogOutcome.Unchanged.class);
    assertThat(pinnedRows(g)).isEmpty();
  }

  @Test
  void onlyVisibleMessagesOfCurrentMembers_andInADirectChatBothUsersButNotAcrossABlock() {
    long owner = msg.newUser();
    long outsider = msg.newUser();
    long g = createGroup(owner, msg.newUser());
    long text = send(owner, g, "text");
    List<LogOutcome> out =
        run(
            pin(owner, g, 1), // GROUP_CREATED: not a message
            pin(owner, g, 99), // no such entry
            pin(outsider, g, text)); // not a member
    assertThat(refused(out.get(0))).isEqualTo(Reason.INVALID_ARGUMENT);
    assertThat(refused(out.get(1))).isEqualTo(Reason.NOT_FOUND);
    assertThat(refused(out.get(2))).isEqualTo(Reason.NOT_FOUND);
    long pinEntry = stored(run(pin(owner, g, text)).get(0)).seq();
    assertThat(refused(run(pin(owner, g, pinEntry)).get(0))).isEqualTo(Reason.INVALID_ARGUMENT);

    long ann = msg.newUser();
    long ben = msg.newUser();
    long direct =
        stored(run(new LogCommand.Send(ann, 0, ben, "hi", new Content.Text("hi"))).get(0))
            .conversationId();
    long reply = send(ben, direct, "hello");
    List<LogOutcome> both = run(pin(ben, direct, 1), pin(ann, direct, reply));
    stored(both.get(0));
    stored(both.get(1));
    msg.relations(ben).blockUser(BlockUserRequest.newBuilder().setUserId(ann).build());
    assertThat(refused(run(unpin(ann, direct, 1)).get(0))).isEqualTo(Reason.BLOCKED);
  }

  /**
   * Reactions take the same path as pins to learn a direct chat's blocks (LogBatch loads them only
   * for the commands that ask): before, a reaction across a block was stored.
   */
  @Test
  void aReactionInADirectChatIsRefusedAcrossABlock_inEitherDirection() {
    long ann = msg.newUser();
    long ben = msg.newUser();
    long direct =
        stored(run(new LogCommand.Send(ann, 0, ben, "hi", new Content.Text("hi"))).get(0))
            .conversationId();
    stored(run(new LogCommand.React(ben, direct, 1, List.of("👍"))).get(0));
    msg.relations(ben).blockUser(BlockUserRequest.newBuilder().setUserId(ann).build());

    assertThat(refused(run(new LogCommand.React(ann, direct, 1, List.of("👍"))).get(0)))
        .isEqualTo(Reason.BLOCKED);
    assertThat(refused(run(new LogCommand.React(ben, direct, 1, List.of("🔥"))).get(0)))
        .isEqualTo(Reason.BLOCKED);
  }
}
