package dev.parley.msg.store;

import dev.parley.msg.core.content.Content;
import dev.parley.msg.core.content.Extras;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One entry of a conversation log, decrypted.
 *
 * @param content what the entry says, or null once recalled (or, for an edit, superseded)
 * @param extras the reply quote and mentions of a message (design.md 13); NONE without content
 * @param refSeq for RECALL and EDIT: the target entry; for a message: the entry it replies to, or 0
 * @param editedAt when the text or caption was last edited, or null
 */
public record Entry(
    long conversationId,
    long seq,
    long messageId,
    long senderId,
    @Nullable String clientMsgId,
    EntryKind kind,
    @Nullable Content content,
    Extras extras,
    long refSeq,
    Instant createdAt,
    @Nullable Instant recalledAt,
    @Nullable Instant editedAt) {

  /** An entry without extras that was never edited. */
  public Entry(
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
    this(
        conversationId,
        seq,
        messageId,
        senderId,
        clientMsgId,
        kind,
        content,
        Extras.NONE,
        refSeq,
        createdAt,
        recalledAt,
        null);
  }

  public boolean recalled() {
    return recalledAt != null;
  }

  /** This entry with its content erased by a recall (or a later edit) at {@code at}. */
  public Entry recalledAt(Instant at) {
    return new Entry(
        conversationId,
        seq,
        messageId,
        senderId,
        clientMsgId,
        kind,
        null,
        Extras.NONE,
        refSeq,
        createdAt,
        at,
        editedAt);
  }

  /** This entry with new content and extras, edited at {@code at}. */
  public Entry editedAt(Content newContent, Extras newExtras, Instant at) {
    return new Entry(
        conversationId,
        seq,
        messageId,
        senderId,
        clientMsgId,
        kind,
        newContent,
        newExtras,
        refSeq,
        createdAt,
        recalledAt,
        at);
  }

  /** This entry with other extras (a quote that followed its original), not an edit. */
  public Entry withExtras(Extras newExtras) {
    return new Entry(
        conversationId,
        seq,
        messageId,
        senderId,
        clientMsgId,
        kind,
        content,
        newExtras,
        refSeq,
        createdAt,
        recalledAt,
        editedAt);
  }
}
