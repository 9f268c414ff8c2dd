package dev.parley.msg.store;

import dev.parley.msg.core.content.Content;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One entry of a conversation log, decrypted.
 *
 * @param content what the entry says, or null once recalled
 * @param refSeq for RECALL: the recalled entry; else 0
 */
public record Entry(
    long conversationId,
    long seq,
    long messageId,
    long senderId,
    @Nullable String clientMsgId,
    EntryKind kind,
    @Nullable Content content,
    long refSeq,
    Instant createdAt,
    @Nullable Instant recalledAt) {

  public boolean recalled() {
    return recalledAt != null;
  }

  /** This entry with its content erased by a recall at {@code at}. */
  public Entry recalledAt(Instant at) {
    return new Entry(
        conversationId, seq, messageId, senderId, clientMsgId, kind, null, refSeq, createdAt, at);
  }
}
