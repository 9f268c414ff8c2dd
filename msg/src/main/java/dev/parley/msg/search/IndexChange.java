package dev.parley.msg.search;

import dev.parley.msg.store.EntryKind;
import java.time.Instant;

/** What the indexer asks of a search backend for one message (design.md 14.4). */
public sealed interface IndexChange {
  long conversationId();

  long seq();

  /**
   * The message is searchable by {@code text} (its current text, caption or file name); replaces
   * whatever the index held for it.
   */
  record Put(
      long conversationId,
      long seq,
      long senderId,
      Instant sentAt,
      EntryKind kind,
      boolean hasLink,
      String text)
      implements IndexChange {}

  /** The message is not searchable (recalled, or edited to nothing searchable). */
  record Remove(long conversationId, long seq) implements IndexChange {}
}
