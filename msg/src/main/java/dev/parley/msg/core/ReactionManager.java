package dev.parley.msg.core;

import dev.parley.common.error.ParleyException;
import dev.parley.msg.core.log.LogCommand;
import dev.parley.msg.core.log.LogOutcome;
import dev.parley.msg.core.log.LogWriter;
import dev.parley.msg.store.ConversationRow;
import dev.parley.msg.store.Conversations;
import dev.parley.msg.store.MemberRow;
import dev.parley.msg.store.Members;
import dev.parley.msg.store.Reactions;
import dev.parley.msg.store.Tx;
import dev.parley.proto.client.Error.Reason;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Reactions on messages (design.md 13.4): changes go through the log writer as REACTION entries
 * (decided under the conversation's lock), listings read msg.reactions within the caller's
 * membership window.
 */
public final class ReactionManager {
  private final Tx tx;
  private final Conversations conversations;
  private final Members members;
  private final LogWriter writer;
  private final Reactions reactions = new Reactions();

  public ReactionManager(Tx tx, Conversations conversations, Members members, LogWriter writer) {
    this.tx = tx;
    this.conversations = conversations;
    this.members = members;
    this.writer = writer;
  }

  /**
   * What set_reactions did: the seq of the REACTION entry (0 when the set was already the caller's)
   * and the message's counts as the caller sees them now.
   */
  public record Result(long seq, List<Reactions.Counted> counts) {}

  /** Makes {@code emoji} (already checked by ReactionRules) the caller's set on message seq. */
  public Result set(Caller caller, long conversationId, long seq, List<String> emoji) {
    long entrySeq =
        switch (writer.submit(new LogCommand.React(caller.userId(), conversationId, seq, emoji))) {
          case LogOutcome.Stored s -> s.last().seq();
          case LogOutcome.Unchanged u -> 0;
          case LogOutcome.Refused r -> throw r.error();
          case LogOutcome.Duplicate d ->
              throw new IllegalStateException("a reaction has no duplicates");
        };
    List<Reactions.Counted> counts =
        tx.read(
            h ->
                reactions.counts(
                    h, caller.userId(), new long[] {conversationId}, new long[] {seq}));
    return new Result(entrySeq, counts);
  }

  /**
   * Who reacted to message seq (with {@code emoji} only, when given), after the cursor position;
   * the caller must be able to see the message (a former member: within their window).
   */
  public List<Reactions.Reactor> reactors(
      Caller caller,
      long conversationId,
      long seq,
      @Nullable String emoji,
      Reactions.@Nullable Reactor after,
      int limit) {
    return tx.read(
        h -> {
          ConversationRow conv =
              conversations
                  .find(h, conversationId)
                  .orElseThrow(() -> new ParleyException(Reason.NOT_FOUND, "No such message"));
          MemberRow me =
              members
                  .find(h, conversationId, caller.userId())
                  .orElseThrow(() -> new ParleyException(Reason.NOT_FOUND, "No such message"));
          if (!me.canSee(seq, conv.lastSeq()))
            throw new ParleyException(Reason.NOT_FOUND, "No such message");
          return reactions.reactors(h, conversationId, seq, emoji, after, limit);
        });
  }

  /** The counts on the named messages as {@code viewer} sees them (history and sync answers). */
  public List<Reactions.Counted> counts(long viewer, long[] conversationIds, long[] seqs) {
    if (conversationIds.length == 0) return List.of();
    return tx.read(h -> reactions.counts(h, viewer, conversationIds, seqs));
  }
}
