package dev.parley.msg.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.statement.StatementCustomizer;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGStatement;

/**
 * Table access for the search index (design.md 14.2, migration V12): msg.search_docs, one row of
 * hashed tokens per searchable message (the indexer's position is {@link SearchProgress#POSTGRES}).
 * Nothing here is text: tokens arrive hashed.
 */
public final class SearchDocs {

  /** A message's row: {@code tokens} hashed under search key {@code keyId}. */
  public record Doc(
      long conversationId,
      long seq,
      long senderId,
      Instant sentAt,
      EntryKind kind,
      boolean hasLink,
      int keyId,
      long[] tokens) {}

  /** A position in the newest-first order of results: (sent_at, conversation, seq) descending. */
  public record Position(Instant sentAt, long conversationId, long seq) {}

  /**
   * What a query asks of the rows besides its tokens; 0 / null: no condition.
   *
   * @param kinds entry kinds allowed (empty: any)
   * @param linksOnly only rows whose text holds a link
   */
  public record Filter(
      long conversationId,
      long senderId,
      @Nullable Instant from,
      @Nullable Instant to,
      List<EntryKind> kinds,
      boolean linksOnly) {
    public Filter {
      kinds = List.copyOf(kinds);
    }
  }

  /**
   * A caller whose conversations hold at most this many entries (with the one conversation of an
   * in-chat search) gets every row of them read and tested, without the token index: ~2 ms per
   * 2,000 rows, where the GIN posting list of a common token in a table of a million rows takes 20.
   */
  public static final long SMALL_HISTORY = 20_000;

  private final long smallHistory;

  public SearchDocs() {
    this(SMALL_HISTORY);
  }

  /** With another bound for a small history (tests: 0 lets PostgreSQL choose every time). */
  public SearchDocs(long smallHistory) {
    this.smallHistory = smallHistory;
  }

  public void upsert(Handle h, List<Doc> docs) {
    if (docs.isEmpty()) return;
    PreparedBatch b =
        h.prepareBatch(
            "INSERT INTO msg.search_docs (conversation_id, seq, sender_id, sent_at, kind, has_link, key_id, tokens) "
                + "VALUES (:c, :s, :sender, :at, :kind, :link, :key, :tokens) "
                + "ON CONFLICT (conversation_id, seq) DO UPDATE SET kind = excluded.kind, "
                + "has_link = excluded.has_link, key_id = excluded.key_id, tokens = excluded.tokens");
    for (Doc d : docs)
      b.bind("c", d.conversationId())
          .bind("s", d.seq())
          .bind("sender", d.senderId())
          .bind("at", Times.db(d.sentAt()))
          .bind("kind", d.kind().code)
          .bind("link", d.hasLink())
          .bind("key", (short) d.keyId())
          .bindArray("tokens", Long.class, (Object[]) Times.boxed(d.tokens()))
          .add();
    b.execute();
  }

  /**
   * Deletes up to {@code batch} rows of messages sent before {@code cutoff} (history retention);
   * returns how many.
   */
  public int deleteSentBefore(Handle h, Instant cutoff, int batch) {
    return h.createUpdate(
            "DELETE FROM msg.search_docs WHERE (conversation_id, seq) IN (SELECT conversation_id, seq "
                + "FROM msg.search_docs WHERE sent_at < :cutoff LIMIT :batch)")
        .bind("cutoff", Times.db(cutoff))
        .bind("batch", batch)
        .execute();
  }

  public void delete(Handle h, long conversationId, long seq) {
    h.execute(
        "DELETE FROM msg.search_docs WHERE conversation_id = ? AND seq = ?", conversationId, seq);
  }

  /**
   * Windows written into the candidate query, at most; past it the query keeps only the
   * conversations and {@code MessageSearch} drops what falls outside a window (it checks every
   * candidate anyway), so the statement stays small for a user who left hundreds of groups.
   */
  static final int MAX_WINDOW_CLAUSES = 64;

  /**
   * Rows holding all the query's tokens (per search key id: the same tokens hashed under it) in
   * conversations where {@code userId} is or was a member, inside the member's visible window (up
   * to {@link #MAX_WINDOW_CLAUSES} windows), newest first after {@code after}. Candidates only: the
   * caller checks each against its entry.
   *
   * <p>The statement is shaped so that PostgreSQL can pick the cheapest of three plans by the
   * query's numbers (design.md 14.3): walk {@code search_docs_time} newest first, testing the
   * conversation in the index and the tokens on the few rows that are the caller's, and stop at
   * {@code limit} (a common word); intersect the GIN posting list of a rare token with the
   * conversations (a rare word); or read the caller's conversations through the primary key (a
   * small history). The conversations are a literal list, not a join, because a join hides how many
   * rows they hold from the estimate, which then always chose the last plan. The walk starts at the
   * newest activity of the caller's conversations: a user whose chats went quiet long ago does not
   * walk everybody's newer rows first.
   */
  public List<Position> candidates(
      Handle h,
      long userId,
      Map<Integer, long[]> tokensByKey,
      Filter f,
      @Nullable Position after,
      int limit) {
    Visible visible = visible(h, userId, f.conversationId());
    if (visible.conversations().length == 0) return List.of();
    StringBuilder sql =
        new StringBuilder(
            "SELECT d.conversation_id, d.seq, d.sent_at FROM msg.search_docs d "
                + "WHERE d.conversation_id = ANY(:convs) AND d.sent_at <= :newest AND (");
    // An expression of tokens, not the column, keeps the GIN index out of the plan (the planner
    // thinks a posting list cheaper to read than it is, and picks it over a small history).
    String column = visible.entries() <= smallHistory ? "(d.tokens || '{}'::bigint[])" : "d.tokens";
    List<String> byKey = new ArrayList<>();
    for (int keyId : tokensByKey.keySet())
      byKey.add("(d.key_id = " + keyId + " AND " + column + " @> :t" + keyId + ")");
    sql.append(String.join(" OR ", byKey)).append(')');
    List<Members.Range> windows = visible.windowed();
    if (!windows.isEmpty()) {
      sql.append(" AND (d.conversation_id <> ALL(:windowed)");
      for (int i = 0; i < windows.size(); i++) {
        sql.append(" OR (d.conversation_id = :wc").append(i);
        sql.append(" AND d.seq >= :wf").append(i);
        if (windows.get(i).lastVisibleSeq() != Long.MAX_VALUE)
          sql.append(" AND d.seq <= :wl").append(i);
        sql.append(')');
      }
      sql.append(')');
    }
    if (f.senderId() != 0) sql.append(" AND d.sender_id = :sender");
    if (f.from() != null) sql.append(" AND d.sent_at >= :from");
    if (f.to() != null) sql.append(" AND d.sent_at < :to");
    if (!f.kinds().isEmpty()) sql.append(" AND d.kind = ANY(:kinds)");
    if (f.linksOnly()) sql.append(" AND d.has_link");
    if (after != null) sql.append(" AND (d.sent_at, d.conversation_id, d.seq) < (:at, :ac, :as)");
    sql.append(" ORDER BY d.sent_at DESC, d.conversation_id DESC, d.seq DESC LIMIT :n");

    Query q =
        h.createQuery(sql.toString())
            .bindArray("convs", Long.class, (Object[]) Times.boxed(visible.conversations()))
            .bind("newest", Times.db(visible.newest()))
            .bind("n", limit);
    // Planned with the values each time: a plan cached for one query (a walk for "the") is the
    // wrong one for the next (a rare word), and only the values tell them apart.
    q.addCustomizer(OneShotPlan.INSTANCE);
    tokensByKey.forEach(
        (keyId, tokens) -> q.bindArray("t" + keyId, Long.class, (Object[]) Times.boxed(tokens)));
    if (!windows.isEmpty()) {
      q.bindArray(
          "windowed",
          Long.class,
          (Object[]) windows.stream().map(Members.Range::conversationId).toArray(Long[]::new));
      for (int i = 0; i < windows.size(); i++) {
        Members.Range w = windows.get(i);
        q.bind("wc" + i, w.conversationId()).bind("wf" + i, w.firstVisibleSeq());
        if (w.lastVisibleSeq() != Long.MAX_VALUE) q.bind("wl" + i, w.lastVisibleSeq());
      }
    }
    if (f.senderId() != 0) q.bind("sender", f.senderId());
    if (f.from() != null) q.bind("from", Times.db(f.from()));
    if (f.to() != null) q.bind("to", Times.db(f.to()));
    if (!f.kinds().isEmpty())
      q.bindArray(
          "kinds",
          Short.class,
          (Object[]) f.kinds().stream().map(k -> k.code).toArray(Short[]::new));
    if (after != null)
      q.bind("at", Times.db(after.sentAt()))
          .bind("ac", after.conversationId())
          .bind("as", after.seq());
    return q.map((rs, ctx) -> position(rs)).list();
  }

  /**
   * The conversations a candidate may come from, those with a partial window (joined later, or
   * left), and the newest activity among them: no row of theirs is newer, since a conversation's
   * last_activity_at never moves back and every entry is stamped with a time no later (LogBatch).
   */
  private record Visible(
      long[] conversations, List<Members.Range> windowed, Instant newest, long entries) {}

  private static Visible visible(Handle h, long userId, long onlyConversation) {
    List<Long> conversations = new ArrayList<>();
    List<Members.Range> windowed = new ArrayList<>();
    Instant[] newest = {Instant.EPOCH};
    long[] entries = {0};
    h.createQuery(
            "SELECT m.conversation_id, m.first_visible_seq, m.last_visible_seq, c.last_activity_at, c.last_seq "
                + "FROM msg.members m JOIN msg.conversations c ON c.conversation_id = m.conversation_id "
                + "WHERE m.user_id = :u AND (:only = 0 OR m.conversation_id = :only)")
        .bind("u", userId)
        .bind("only", onlyConversation)
        .map(
            (rs, ctx) -> {
              long last = rs.getLong(3);
              if (rs.wasNull()) last = Long.MAX_VALUE;
              Instant active = Times.get(rs, "last_activity_at");
              if (active != null && active.isAfter(newest[0])) newest[0] = active;
              entries[0] += rs.getLong("last_seq");
              return new Members.Range(rs.getLong(1), rs.getLong(2), last);
            })
        .forEach(
            r -> {
              conversations.add(r.conversationId());
              boolean whole = r.firstVisibleSeq() <= 1 && r.lastVisibleSeq() == Long.MAX_VALUE;
              if (!whole && windowed.size() < MAX_WINDOW_CLAUSES) windowed.add(r);
            });
    return new Visible(
        conversations.stream().mapToLong(Long::longValue).toArray(),
        windowed,
        newest[0],
        entries[0]);
  }

  /** Makes the driver send the statement unnamed, so the server plans it with its values. */
  private enum OneShotPlan implements StatementCustomizer {
    INSTANCE;

    @Override
    public void beforeExecution(PreparedStatement stmt, StatementContext ctx) throws SQLException {
      stmt.unwrap(PGStatement.class).setPrepareThreshold(0);
    }
  }

  private static Position position(ResultSet rs) throws SQLException {
    Instant at = Times.get(rs, "sent_at");
    if (at == null) throw new IllegalStateException("search_docs.sent_at is NOT NULL");
    return new Position(at, rs.getLong("conversation_id"), rs.getLong("seq"));
  }
}
