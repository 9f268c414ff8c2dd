package dev.parley.msg.core;

import dev.parley.common.id.Snowflake;
import dev.parley.msg.feed.Feed;
import dev.parley.msg.feed.FeedItem;
import dev.parley.msg.store.ConversationRow;
import dev.parley.msg.store.Conversations;
import dev.parley.msg.store.Entries;
import dev.parley.msg.store.Entry;
import dev.parley.msg.store.EntryKind;
import dev.parley.msg.store.Members;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * Appends entries to conversation logs. This is the only code that allocates seq.
 *
 * <p>Preconditions: the caller holds the conversation's row lock (Conversations.lock, the first lock
 * of the transaction) and passes the locked row. Then seq = last_seq + 1 is free, the entry is stored,
 * the head moves, the sender's read marker moves to the new entry (a message implies its sender read up
 * to it), and one feed row per recipient is written, all in the caller's transaction. If the
 * transaction rolls back, all of it does: the log never has a hole.
 */
public final class ConversationLog {
  private final Conversations conversations;
  private final Members members;
  private final Entries entries;
  private final Feed feed;
  private final Snowflake ids;

  public ConversationLog(Conversations conversations, Members members, Entries entries, Feed feed, Snowflake ids) {
    this.conversations = conversations;
    this.members = members;
    this.entries = entries;
    this.feed = feed;
    this.ids = ids;
  }

  /**
   * @param locked the conversation row as returned by Conversations.lock in this transaction
   * @param recipients users whose feeds get the entry, ascending (normally the active members)
   * @param content serialized content, never null
   */
  public Appended append(
      Handle h,
      ConversationRow locked,
      long senderId,
      EntryKind kind,
      String clientMsgId,
      byte[] content,
      long refSeq,
      long[] recipients,
      Instant now) {
    long seq = locked.lastSeq() + 1;
    Entry entry = new Entry(locked.conversationId(), seq, ids.next(), senderId, clientMsgId, kind, content, refSeq, now, null);
    entries.insert(h, entry);
    conversations.advance(h, locked.conversationId(), seq, now);
    boolean senderReceives = false;
    for (long r : recipients) senderReceives |= r == senderId;
    if (senderReceives) members.advanceRead(h, locked.conversationId(), senderId, seq);

    List<FeedItem> items = new ArrayList<>(recipients.length);
    for (long r : recipients) items.add(FeedItem.entry(r, locked.conversationId(), seq));
    long[] pts = feed.append(h, items, now);
    return new Appended(entry, recipients, pts);
  }
}
