package dev.parley.msg.core.log;

import dev.parley.msg.core.content.Content;
import dev.parley.msg.core.content.Extras;
import dev.parley.msg.core.content.Extras.Mention;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Everything that appends to a conversation log, as handed to the {@link LogWriter}. Commands are
 * already validated for shape (ids, sizes, content) and for what needs another service (accounts
 * exist); everything that depends on the conversation's state is decided under its lock (LogBatch).
 * {@code actorId} is the user on whose behalf the command runs.
 */
public sealed interface LogCommand {
  long actorId();

  /**
   * A message to a conversation, or, with {@code conversationId} 0, to the one-to-one conversation
   * with {@code peerId} (created by the first message). {@code forward}: the original's origin when
   * this is a copy made by forward_messages (design.md 13.1), else null.
   */
  record Send(
      long actorId,
      long conversationId,
      long peerId,
      String clientMsgId,
      Content content,
      long replyToSeq,
      List<Mention> mentions,
      Extras.@Nullable Forward forward)
      implements LogCommand {
    public Send {
      mentions = List.copyOf(mentions);
    }

    public Send(
        long actorId,
        long conversationId,
        long peerId,
        String clientMsgId,
        Content content,
        long replyToSeq,
        List<Mention> mentions) {
      this(actorId, conversationId, peerId, clientMsgId, content, replyToSeq, mentions, null);
    }

    /** A message that replies to nothing and mentions nobody. */
    public Send(
        long actorId, long conversationId, long peerId, String clientMsgId, Content content) {
      this(actorId, conversationId, peerId, clientMsgId, content, 0, List.of());
    }
  }

  /**
   * Edits the text (or caption) of entry {@code seq} to {@code text}, with a text's new {@code
   * mentions} (design.md 13).
   */
  record Edit(long actorId, long conversationId, long seq, String text, List<Mention> mentions)
      implements LogCommand {
    public Edit {
      mentions = List.copyOf(mentions);
    }
  }

  /**
   * Makes {@code emoji} (checked against the allowed set and the per-user limit) the actor's full
   * set of reactions on entry {@code seq} (design.md 13.4).
   */
  record React(long actorId, long conversationId, long seq, List<String> emoji)
      implements LogCommand {
    public React {
      emoji = List.copyOf(emoji);
    }
  }

  /** Pins ({@code pinned}) or unpins entry {@code seq} in its conversation (design.md 13.5). */
  record Pin(long actorId, long conversationId, long seq, boolean pinned) implements LogCommand {}

  /** Recalls entry {@code seq}. */
  record Recall(long actorId, long conversationId, long seq) implements LogCommand {}

  /** A change of an existing group. */
  sealed interface GroupChange extends LogCommand {
    long conversationId();
  }

  /** A new group {@code conversationId} (an id allocated by the caller) with the actor as owner. */
  record CreateGroup(long actorId, long conversationId, String title, long[] memberIds)
      implements LogCommand {}

  /** Adds the named users who are not members; all or nothing against the size limit. */
  record Invite(long actorId, long conversationId, long[] userIds) implements GroupChange {}

  record Remove(long actorId, long conversationId, long userId) implements GroupChange {}

  record Leave(long actorId, long conversationId) implements GroupChange {}

  /** {@code title} is trimmed and validated. */
  record Rename(long actorId, long conversationId, String title) implements GroupChange {}

  /** {@code role}: MemberRow.ADMIN or MEMBER. */
  record SetRole(long actorId, long conversationId, long userId, int role) implements GroupChange {}

  record Transfer(long actorId, long conversationId, long userId) implements GroupChange {}

  record Disband(long actorId, long conversationId) implements GroupChange {}
}
