package dev.parley.msg.store;

import java.time.Instant;

/**
 * One entry of a conversation log, decrypted.
 *
 * @param content the serialized content (see EntryContent), or null once recalled
 * @param refSeq for RECALL: the recalled entry; else 0
 */
public record Entry(
    long conversationId,
    long seq,
    long messageId,
    long senderId,
    String clientMsgId,
    EntryKind kind,
    byte[] content,
    long refSeq,
    Instant createdAt,
    Instant recalledAt) {

  public boolean recalled() {
    return recalledAt != null;
  }
}
