package dev.parley.msg.core;

import dev.parley.common.error.ParleyException;
import dev.parley.common.id.Snowflake;
import dev.parley.msg.store.ConversationRow;
import dev.parley.msg.store.Conversations;
import dev.parley.msg.store.MemberRow;
import dev.parley.msg.store.Members;
import dev.parley.proto.client.Error.Reason;
import java.time.Instant;
import org.jdbi.v3.core.Handle;

/**
 * One-to-one conversations: exactly one per pair of users, created by the first message.
 *
 * <p>Two first messages racing each other both try to register the pair; the primary key of
 * direct_pairs lets one win, and the loser (whose insert waited for the winner's commit) deletes its
 * own fresh conversation row and uses the winner's. Either way the caller ends up holding the lock of
 * the single conversation of the pair.
 */
public final class DirectChats {
  /** First key of the two-key advisory lock space, reserved for pairs of users ("rel"). */
  private static final int PAIR_LOCK_SPACE = 0x72656c;

  private final Conversations conversations;
  private final Members members;
  private final Snowflake ids;

  public DirectChats(Conversations conversations, Members members, Snowflake ids) {
    this.conversations = conversations;
    this.members = members;
    this.ids = ids;
  }

  /** Finds or creates the pair's conversation and returns it locked. */
  public ConversationRow lockOrCreate(Handle h, long a, long b, Instant now) {
    if (a == b) throw ParleyException.invalid("user_id", "You cannot start a one-to-one chat with yourself");
    Long id = conversations.direct(h, a, b).orElse(null);
    if (id == null) {
      // Creating: serialize with relation changes of the pair (which take the same pair lock), so that
      // a block cannot commit between our block check and our commit. Then look again: a concurrent
      // first message may have created the conversation while we waited.
      lockPair(h, a, b);
      id = conversations.direct(h, a, b).orElse(null);
    }
    if (id == null) {
      long fresh = ids.next();
      conversations.insert(h, fresh, ConversationRow.DIRECT, null, 0, 2, now);
      if (conversations.insertDirectPair(h, a, b, fresh)) {
        members.join(h, fresh, Math.min(a, b), MemberRow.MEMBER, 1, now);
        members.join(h, fresh, Math.max(a, b), MemberRow.MEMBER, 1, now);
        id = fresh;
      } else {
        h.createUpdate("DELETE FROM msg.conversations WHERE conversation_id = :id").bind("id", fresh).execute();
        id = conversations.direct(h, a, b).orElseThrow();
      }
    }
    return conversations.lock(h, id).orElseThrow();
  }

  /** The other user of a direct conversation. */
  public long peer(Handle h, long conversationId, long me) {
    return h.createQuery("SELECT user_id FROM msg.members WHERE conversation_id = :c AND user_id <> :me")
        .bind("c", conversationId)
        .bind("me", me)
        .mapTo(Long.class)
        .one();
  }

  /** Locks the pair's conversation if it exists (relation changes serialize with sends this way). */
  public void lockIfExists(Handle h, long a, long b) {
    conversations.direct(h, a, b).ifPresent(id -> conversations.lock(h, id));
  }

  /**
   * Serializes everything that concerns the pair {a, b} as a pair until the transaction ends: first
   * a transaction-scoped advisory lock on the pair, then the pair's conversation row if there is one.
   * The conversation row alone is not enough: two users who never chatted have none, and two
   * crossing friend requests would then both miss each other.
   *
   * <p>Lock order: the advisory lock precedes the conversation row (and so every other lock of the
   * transaction); nothing waits for it while holding a conversation row. lockOrCreate takes it on its
   * creation path, so even the very first message of a pair serializes with a block. The second key
   * is a hash of the pair: a collision only makes two unrelated pairs wait for each other.
   */
  public void lockPair(Handle h, long a, long b) {
    long lo = Math.min(a, b);
    long hi = Math.max(a, b);
    h.createUpdate("SELECT pg_advisory_xact_lock(:space, :key)")
        .bind("space", PAIR_LOCK_SPACE)
        .bind("key", Long.hashCode(lo * 31 + hi))
        .execute();
    lockIfExists(h, a, b);
  }

  public static void requireDifferent(long a, long b, String field) {
    if (a == b) throw new ParleyException(Reason.INVALID_ARGUMENT, "That is you", field, java.time.Duration.ZERO);
  }
}
