package dev.parley.msg.core.log;

import dev.parley.common.error.ParleyException;
import dev.parley.msg.core.content.Content;
import dev.parley.msg.core.content.Extras;
import dev.parley.msg.core.content.ReactionTally;
import dev.parley.msg.store.Entries.ClientKey;
import dev.parley.msg.store.Entry;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What {@link CommandRules} decides against: the state one batch transaction loaded under its
 * locks, and the ways a decision changes it. Implemented by LogBatch; one instance per transaction,
 * used by one thread.
 */
interface BatchContext {
  Instant now();

  /** The locked (or created) conversation, or null when it does not exist. */
  @Nullable LockedConversation conversation(long conversationId);

  /** Starts a new group with no members; the caller adds them. */
  LockedConversation createGroup(long conversationId, String title, long ownerId);

  /**
   * The entry an earlier attempt with this key stored, in the table or earlier in this batch; or
   * null.
   */
  @Nullable Entry earlierSend(ClientKey key);

  /** The refusal of a one-to-one message from → to (blocks, friends-only), or null. */
  @Nullable ParleyException directChatRefusal(long from, long to);

  /**
   * Whether the file this content attaches can no longer be referenced (its content is being
   * deleted); false for content without a file.
   */
  boolean fileGone(Content content);

  /** Whether {@code blocker} has blocked {@code user} (loaded for the batch's invites). */
  boolean blocked(long blocker, long user);

  /**
   * An entry a recall, an edit or a reply of this batch names, as it stands now in the batch; null
   * when it does not exist.
   */
  @Nullable Entry target(long conversationId, long seq);

  /**
   * The recall entry that recalled (conversationId, targetSeq), stored or of this batch; or null.
   */
  @Nullable Entry recallOf(long conversationId, long targetSeq);

  /**
   * Appends an entry with seq = head + 1 and moves the head. The sender's read marker moves to it
   * when the sender is among {@code recipients} (a message implies its sender read up to it).
   *
   * @param recipients who gets it live (ascending, normally the current members)
   * @param feedUsers who gets it in their feed (ascending; a subset of recipients, possibly empty)
   * @param clientMsgId the send's key, or null for entries the server writes
   */
  default Entry append(
      LockedConversation c,
      long senderId,
      @Nullable String clientMsgId,
      Content content,
      long refSeq,
      long[] recipients,
      long[] feedUsers) {
    return append(c, senderId, clientMsgId, content, Extras.NONE, refSeq, recipients, feedUsers);
  }

  /**
   * As above, for a message with a reply quote or mentions (whose mention rows are written with
   * it), or an edit (its extras: the target's new mentions).
   */
  Entry append(
      LockedConversation c,
      long senderId,
      @Nullable String clientMsgId,
      Content content,
      Extras extras,
      long refSeq,
      long[] recipients,
      long[] feedUsers);

  /**
   * Erases the content of {@code target} (a recall), and of its edits; the quotes of its replies
   * become "deleted".
   */
  void erase(LockedConversation c, Entry target);

  /**
   * {@code target} now reads {@code edited}: the row is rewritten, earlier edits lose their
   * content, the quotes of its replies and its mention rows follow.
   */
  void edit(LockedConversation c, Entry target, Entry edited);

  /**
   * The reactions on entry {@code seq} (a target of one of this batch's reactions), as they stand
   * now in the batch; changing the tally through {@link #react} is what gets written.
   */
  ReactionTally reactions(LockedConversation c, long seq);

  /**
   * Makes {@code emoji} the full set of {@code userId} on entry {@code seq}; returns the change.
   */
  ReactionTally.Change react(LockedConversation c, long seq, long userId, List<String> emoji);

  /**
   * The seqs of the messages pinned in {@code c} (a conversation of one of this batch's pins), as
   * they stand now in the batch (design.md 13.5); read-only.
   */
  Set<Long> pinned(LockedConversation c);

  /** {@code entry}, a PIN entry just appended to {@code c}, pins or unpins its target. */
  void pinChanged(LockedConversation c, Entry entry);

  /**
   * The memberships of {@code userIds} ended at entry {@code seq}, already appended: their view of
   * the group is frozen as the model stands now (LockedConversation#formerView) and written with
   * the batch.
   */
  void departed(LockedConversation c, long seq, long... userIds);
}
