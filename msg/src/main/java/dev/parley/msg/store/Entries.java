package dev.parley.msg.store;

import dev.parley.msg.core.FileAttachments;
import dev.parley.msg.core.content.Extras;
import dev.parley.msg.crypto.ContentCipher;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * Table access for msg.entries. Content is encrypted on the way in and decrypted on the way out, so
 * nothing above this class handles ciphertext and nothing in the table is plaintext.
 */
public final class Entries {
  private static final String COLUMNS =
      "conversation_id, seq, message_id, sender_id, client_msg_id, kind, key_id, content, ref_seq, created_at, recalled_at, edited_at";

  private final ContentCipher cipher;

  public Entries(ContentCipher cipher) {
    this.cipher = cipher;
  }

  /** The key of an entry sent with a client_msg_id. */
  public record ClientKey(long conversationId, long senderId, String clientMsgId) {}

  /** Entries with from <= seq <= to, at most limit, ascending or descending by seq. */
  public List<Entry> range(
      Handle h, long conversationId, long from, long to, int limit, boolean ascending) {
    return h.createQuery(
            "SELECT "
                + COLUMNS
                + " FROM msg.entries WHERE conversation_id = :c AND seq BETWEEN :from AND :to "
                + "ORDER BY seq "
                + (ascending ? "ASC" : "DESC")
                + " LIMIT :limit")
        .bind("c", conversationId)
        .bind("from", from)
        .bind("to", to)
        .bind("limit", limit)
        .map((rs, ctx) -> entry(rs))
        .list();
  }

  /** The entries named by parallel arrays of (conversation, seq); missing ones are left out. */
  public List<Entry> byKeys(Handle h, long[] conversationIds, long[] seqs) {
    if (conversationIds.length == 0) return List.of();
    return h.createQuery(
            "SELECT e.* FROM unnest(:cs, :ss) AS k(conversation_id, seq) "
                + "JOIN msg.entries e ON e.conversation_id = k.conversation_id AND e.seq = k.seq")
        .bindArray("cs", Long.class, (Object[]) Times.boxed(conversationIds))
        .bindArray("ss", Long.class, (Object[]) Times.boxed(seqs))
        .map((rs, ctx) -> entry(rs))
        .list();
  }

  /**
   * Erases the content of entries (conversationIds[i], seqs[i]) recalled at {@code at}, in one
   * round trip.
   */
  public void recallAll(Handle h, long[] conversationIds, long[] seqs, Instant at) {
    if (conversationIds.length == 0) return;
    h.createUpdate(
            "UPDATE msg.entries e SET content = NULL, key_id = NULL, recalled_at = :at FROM unnest(:cs, :ss) AS k(c, s) "
                + "WHERE e.conversation_id = k.c AND e.seq = k.s AND e.recalled_at IS NULL")
        .bind("at", Times.db(at))
        .bindArray("cs", Long.class, (Object[]) Times.boxed(conversationIds))
        .bindArray("ss", Long.class, (Object[]) Times.boxed(seqs))
        .execute();
  }

  /**
   * Stores new versions of existing entries (edited content, quotes that followed their original):
   * content and extras re-encrypted under the active key with the row's own associated data, and
   * edited_at. One batched statement.
   */
  public void rewrite(Handle h, List<Entry> changed) {
    if (changed.isEmpty()) return;
    PreparedBatch b =
        h.prepareBatch(
            "UPDATE msg.entries SET content = :content, key_id = :key, edited_at = :edited "
                + "WHERE conversation_id = :c AND seq = :s AND recalled_at IS NULL");
    for (Entry e : changed) {
      b.bind("c", e.conversationId())
          .bind("s", e.seq())
          .bind("key", (short) cipher.activeKeyId())
          .bind(
              "content",
              cipher.encrypt(
                  ContentCodec.encode(Objects.requireNonNull(e.content()), e.extras()),
                  e.conversationId(),
                  e.seq()))
          .bind("edited", e.editedAt() == null ? null : Times.db(e.editedAt()))
          .add();
    }
    b.execute();
  }

  /**
   * Erases the content of the stored EDIT entries of (conversationIds[i], targetSeqs[i]): old
   * versions are not kept (design.md 13). They stay in the log, empty, like recalled entries.
   */
  public void eraseEdits(Handle h, long[] conversationIds, long[] targetSeqs, Instant at) {
    if (conversationIds.length == 0) return;
    h.createUpdate(
            "UPDATE msg.entries e SET content = NULL, key_id = NULL, recalled_at = :at FROM unnest(:cs, :ss) AS k(c, s) "
                + "WHERE e.conversation_id = k.c AND e.ref_seq = k.s AND e.kind = :kind AND e.recalled_at IS NULL")
        .bind("at", Times.db(at))
        .bindArray("cs", Long.class, (Object[]) Times.boxed(conversationIds))
        .bindArray("ss", Long.class, (Object[]) Times.boxed(targetSeqs))
        .bind("kind", EntryKind.EDIT.code)
        .execute();
  }

  /** The messages (not recalled) that reply to (conversationIds[i], seqs[i]). */
  public List<Entry> repliesTo(Handle h, long[] conversationIds, long[] seqs) {
    if (conversationIds.length == 0) return List.of();
    return h.createQuery(
            "SELECT e.* FROM unnest(:cs, :ss) AS k(c, s) JOIN msg.entries e ON e.conversation_id = k.c "
                + "AND e.ref_seq = k.s AND e.kind = ANY(:kinds) AND e.recalled_at IS NULL")
        .bindArray("cs", Long.class, (Object[]) Times.boxed(conversationIds))
        .bindArray("ss", Long.class, (Object[]) Times.boxed(seqs))
        .bindArray("kinds", Short.class, (Object[]) EntryKind.COUNTABLE)
        .map((rs, ctx) -> entry(rs))
        .list();
  }

  /**
   * The recall entries that recall (conversationIds[i], targetSeqs[i]), the earliest per target,
   * keyed like {@link #byKeys} results: "conversation:target".
   */
  public Map<String, Entry> recallsOf(Handle h, long[] conversationIds, long[] targetSeqs) {
    Map<String, Entry> found = new HashMap<>();
    if (conversationIds.length == 0) return found;
    h.createQuery(
            "SELECT DISTINCT ON (e.conversation_id, e.ref_seq) e.* FROM unnest(:cs, :ss) AS k(c, s) JOIN msg.entries e "
                + "ON e.conversation_id = k.c AND e.kind = :kind AND e.ref_seq = k.s ORDER BY e.conversation_id, e.ref_seq, e.seq")
        .bindArray("cs", Long.class, (Object[]) Times.boxed(conversationIds))
        .bindArray("ss", Long.class, (Object[]) Times.boxed(targetSeqs))
        .bind("kind", EntryKind.RECALL.code)
        .map((rs, ctx) -> entry(rs))
        .forEach(e -> found.put(e.conversationId() + ":" + e.refSeq(), e));
    return found;
  }

  /**
   * For each range i, the entries of conversationIds[i] with afterSeqs[i] < seq <= toSeqs[i],
   * ascending; the ranges in input order. One round trip for any number of conversations.
   */
  public List<Entry> ranges(Handle h, long[] conversationIds, long[] afterSeqs, long[] toSeqs) {
    if (conversationIds.length == 0) return List.of();
    return h.createQuery(
            "SELECT e.* FROM unnest(:cs, :froms, :tos) WITH ORDINALITY AS r(c, f, t, ord) CROSS JOIN LATERAL "
                + "(SELECT * FROM msg.entries WHERE conversation_id = r.c AND seq > r.f AND seq <= r.t ORDER BY seq) e "
                + "ORDER BY r.ord, e.seq")
        .bindArray("cs", Long.class, (Object[]) Times.boxed(conversationIds))
        .bindArray("froms", Long.class, (Object[]) Times.boxed(afterSeqs))
        .bindArray("tos", Long.class, (Object[]) Times.boxed(toSeqs))
        .map((rs, ctx) -> entry(rs))
        .list();
  }

  /**
   * For each seq, how many members other than the entry's sender have read it and could see it.
   * Seqs without an entry are left out.
   */
  public Map<Long, Long> readCounts(Handle h, long conversationId, long[] seqs) {
    Map<Long, Long> counts = new HashMap<>();
    if (seqs.length == 0) return counts;
    h.createQuery(
            "SELECT e.seq, (SELECT count(*) FROM msg.members m WHERE m.conversation_id = e.conversation_id "
                + "AND m.user_id <> e.sender_id AND m.read_seq >= e.seq AND m.first_visible_seq <= e.seq) "
                + "FROM msg.entries e WHERE e.conversation_id = :c AND e.seq = ANY(:seqs)")
        .bind("c", conversationId)
        .bindArray("seqs", Long.class, (Object[]) Times.boxed(seqs))
        .map((rs, ctx) -> Map.entry(rs.getLong(1), rs.getLong(2)))
        .forEach(e -> counts.put(e.getKey(), e.getValue()));
    return counts;
  }

  /** The sender of each of these seqs that has an entry (seq → sender). */
  public Map<Long, Long> sendersOf(Handle h, long conversationId, long[] seqs) {
    Map<Long, Long> senders = new HashMap<>();
    if (seqs.length == 0) return senders;
    h.createQuery(
            "SELECT seq, sender_id FROM msg.entries WHERE conversation_id = :c AND seq = ANY(:seqs)")
        .bind("c", conversationId)
        .bindArray("seqs", Long.class, (Object[]) Times.boxed(seqs))
        .map((rs, ctx) -> Map.entry(rs.getLong(1), rs.getLong(2)))
        .forEach(e -> senders.put(e.getKey(), e.getValue()));
    return senders;
  }

  /** Up to {@code batch} entries created before {@code cutoff} (retention's next deletions). */
  public List<FileAttachments.EntryRef> createdBefore(Handle h, Instant cutoff, int batch) {
    return h.createQuery(
            "SELECT conversation_id, seq FROM msg.entries WHERE created_at < :cutoff LIMIT :batch")
        .bind("cutoff", Times.db(cutoff))
        .bind("batch", batch)
        .map((rs, ctx) -> new FileAttachments.EntryRef(rs.getLong(1), rs.getLong(2)))
        .list();
  }

  /** Deletes these entries; returns how many were still there (retention). */
  public int delete(Handle h, List<FileAttachments.EntryRef> refs) {
    if (refs.isEmpty()) return 0;
    return h.createUpdate(
            "DELETE FROM msg.entries WHERE (conversation_id, seq) IN"
                + " (SELECT * FROM unnest(CAST(:c AS bigint[]), CAST(:s AS bigint[])))")
        .bindArray(
            "c", Long.class, refs.stream().map(FileAttachments.EntryRef::conversationId).toArray())
        .bindArray("s", Long.class, refs.stream().map(FileAttachments.EntryRef::seq).toArray())
        .execute();
  }

  /**
   * Unread messages for a reader: countable, not the reader's own, in (after, upTo], and not
   * recalled <em>as of upTo</em>: a message whose recall entry lies beyond upTo still counts. The
   * count is therefore exactly the log's up to upTo, whenever the statement runs (every entry up to
   * upTo, recall entries included, committed before upTo was visible): a device that counts entries
   * above upTo itself (ReadMarker.last_seq) never counts a recall twice.
   */
  public int countUnread(Handle h, long conversationId, long after, long upTo, long readerId) {
    if (upTo <= after) return 0;
    return h.createQuery(
            "SELECT count(*) FROM msg.entries e WHERE e.conversation_id = :c AND e.seq > :after AND e.seq <= :upTo "
                + "AND e.kind = ANY(:kinds) AND e.sender_id <> :reader AND (e.recalled_at IS NULL OR NOT EXISTS ("
                + "SELECT 1 FROM msg.entries r WHERE r.conversation_id = e.conversation_id AND r.kind = :recall "
                + "AND r.ref_seq = e.seq AND r.seq <= :upTo))")
        .bind("c", conversationId)
        .bind("after", after)
        .bind("upTo", upTo)
        .bindArray("kinds", Short.class, (Object[]) EntryKind.COUNTABLE)
        .bind("reader", readerId)
        .bind("recall", EntryKind.RECALL.code)
        .mapTo(Integer.class)
        .one();
  }

  /**
   * Distinct senders of countable entries in (after, upTo], except {@code except}, ascending, who
   * are still members: a former member's view is frozen at their departure, so reads after it are
   * none of their business (design.md 8.7).
   */
  public List<Long> currentSenders(
      Handle h, long conversationId, long after, long upTo, long except) {
    if (upTo <= after) return new ArrayList<>();
    return h.createQuery(
            "SELECT DISTINCT e.sender_id FROM msg.entries e JOIN msg.members m "
                + "ON m.conversation_id = e.conversation_id AND m.user_id = e.sender_id AND m.left_at IS NULL "
                + "WHERE e.conversation_id = :c AND e.seq > :after AND e.seq <= :upTo "
                + "AND e.kind = ANY(:kinds) AND e.sender_id <> :except ORDER BY e.sender_id")
        .bind("c", conversationId)
        .bind("after", after)
        .bind("upTo", upTo)
        .bindArray("kinds", Short.class, (Object[]) EntryKind.COUNTABLE)
        .bind("except", except)
        .mapTo(Long.class)
        .list();
  }

  private Entry entry(ResultSet rs) throws SQLException {
    long conversationId = rs.getLong("conversation_id");
    long seq = rs.getLong("seq");
    byte[] sealed = rs.getBytes("content");
    ContentCodec.Decoded decoded =
        sealed == null
            ? null
            : ContentCodec.decodeAll(
                cipher.decrypt(rs.getShort("key_id"), sealed, conversationId, seq));
    return new Entry(
        conversationId,
        seq,
        rs.getLong("message_id"),
        rs.getLong("sender_id"),
        rs.getString("client_msg_id"),
        EntryKind.of(rs.getShort("kind")),
        decoded == null ? null : decoded.content(),
        decoded == null ? Extras.NONE : decoded.extras(),
        rs.getLong("ref_seq"),
        Objects.requireNonNull(Times.get(rs, "created_at")),
        Times.get(rs, "recalled_at"),
        Times.get(rs, "edited_at"));
  }
}
