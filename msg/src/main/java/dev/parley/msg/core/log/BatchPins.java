package dev.parley.msg.core.log;

import dev.parley.msg.store.Entry;
import dev.parley.msg.store.Pins;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jdbi.v3.core.Handle;

/**
 * The pinned messages of the conversations one batch pins in (design.md 13.5): loaded under the
 * conversations' locks, changed by each decision so that a later command of the batch sees the
 * earlier one's pin or recall, and written as the final state of each message the batch touched.
 */
final class BatchPins {
  private final Pins table;

  /** Conversation id to the seqs pinned in it now; only conversations of this batch's pins. */
  private final Map<Long, Set<Long>> pinned = new LinkedHashMap<>();

  /** The (conversation, seq) this batch pinned or unpinned, keyed "c:s", with its final row. */
  private final Map<String, long[]> touched = new LinkedHashMap<>();

  private final Map<String, Pins.Row> rows = new LinkedHashMap<>();

  BatchPins(Pins table) {
    this.table = table;
  }

  /** Loads the pins of {@code conversationIds} (one round trip; none when empty). */
  void load(Handle h, long[] conversationIds) {
    if (conversationIds.length == 0) return;
    pinned.putAll(table.load(h, conversationIds));
  }

  Set<Long> of(long conversationId) {
    return Collections.unmodifiableSet(
        Objects.requireNonNull(pinned.get(conversationId), "pins not loaded"));
  }

  /** {@code entry} (a PIN entry of this batch) pinned or unpinned its target. */
  void changed(Entry entry, boolean pin) {
    long c = entry.conversationId();
    long seq = entry.refSeq();
    String k = c + ":" + seq;
    touched.put(k, new long[] {c, seq});
    Set<Long> now = Objects.requireNonNull(pinned.get(c), "pins not loaded");
    if (pin) {
      now.add(seq);
      rows.put(k, new Pins.Row(c, seq, entry.seq(), entry.senderId(), entry.createdAt()));
    } else {
      now.remove(seq);
      rows.remove(k);
    }
  }

  /** Message {@code seq} of {@code conversationId} was recalled in this batch: no longer pinned. */
  void recalled(long conversationId, long seq) {
    Set<Long> now = pinned.get(conversationId);
    if (now != null) now.remove(seq);
    rows.remove(conversationId + ":" + seq);
  }

  /**
   * The final state of every message this batch pinned or unpinned, then the pins of the messages
   * it recalled go: up to three statements, none for batches without pins or recalls.
   */
  void write(Handle h, long[] recalledConversations, long[] recalledSeqs) {
    if (!touched.isEmpty()) {
      table.replace(
          h,
          touched.values().stream().mapToLong(k -> k[0]).toArray(),
          touched.values().stream().mapToLong(k -> k[1]).toArray(),
          rows.values().stream().toList());
    }
    table.delete(h, recalledConversations, recalledSeqs);
  }
}
