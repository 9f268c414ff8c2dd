package dev.parley.msg.audit;

import dev.parley.msg.store.Times;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;
import org.jspecify.annotations.Nullable;

/**
 * Checks one user's sync state against the invariants of design.md 8 and says what it finds
 * (EXT-8). Read-only, in one REPEATABLE READ snapshot, so writes going on meanwhile cannot show up
 * as half-done. Set-based queries over the user's conversations: its cost grows with the entries
 * the user can see (an index-only walk of the entries' primary key), which is fine for a command an
 * operator runs, not for a request path.
 */
public final class SyncAudit {
  /** At most this many findings of one check are listed; the rest are summed up in one line. */
  static final int MAX_PER_CHECK = 20;

  private static final short DIRECT = 1;
  private static final short FEED_ENTRY = 1;
  private static final short FEED_READ_MARKER = 2;

  private final Jdbi jdbi;
  private final Clock clock;
  private final Duration feedRetention;
  private final Duration historyRetention;

  public SyncAudit(Jdbi jdbi, Clock clock, Duration feedRetention, Duration historyRetention) {
    this.jdbi = jdbi;
    this.clock = clock;
    this.feedRetention = feedRetention;
    this.historyRetention = historyRetention;
  }

  public AuditReport audit(long userId) {
    Instant now = clock.instant();
    return jdbi.inTransaction(
        TransactionIsolationLevel.REPEATABLE_READ,
        h -> {
          h.execute("SET TRANSACTION READ ONLY");
          Findings findings = new Findings();
          Head head = head(h, userId);
          checkFeed(h, userId, head, findings);
          int devices = checkDevices(h, userId, head, findings);
          List<Membership> memberships = memberships(h, userId);
          checkConversations(h, userId, head, memberships, now, findings);
          if (!head.exists && devices == 0 && memberships.isEmpty())
            findings.info(
                "no-data",
                0,
                "nothing is stored for this user id: no feed, device or conversation (a wrong id?)");
          return new AuditReport(
              userId, now, head.pts, head.minPts, devices, memberships.size(), findings.list());
        });
  }

  private record Head(boolean exists, long pts, long minPts) {}

  private static Head head(Handle h, long userId) {
    return h.createQuery("SELECT pts, min_pts FROM msg.feed_heads WHERE user_id = :u")
        .bind("u", userId)
        .map((rs, ctx) -> new Head(true, rs.getLong(1), rs.getLong(2)))
        .findOne()
        .orElse(new Head(false, 0, 1));
  }

  private static void checkFeed(Handle h, long userId, Head head, Findings findings) {
    h.createQuery(
            "SELECT count(*), coalesce(max(pts), 0), count(*) FILTER (WHERE pts < :min) "
                + "FROM msg.feed WHERE user_id = :u")
        .bind("u", userId)
        .bind("min", head.minPts)
        .map(
            (rs, ctx) -> {
              long rows = rs.getLong(1);
              long max = rs.getLong(2);
              long below = rs.getLong(3);
              if (rows > 0 && !head.exists)
                findings.problem(
                    "feed-head-missing", 0, rows + " feed rows but no head: pts cannot advance");
              if (head.exists && max > head.pts)
                findings.problem(
                    "feed-beyond-head",
                    0,
                    "a feed row at pts " + max + " is beyond the head " + head.pts);
              if (below > 0)
                findings.problem(
                    "feed-below-oldest-kept",
                    0,
                    below
                        + " feed rows below min_pts "
                        + head.minPts
                        + ": pruning and min_pts disagree");
              return rows;
            })
        .one();
  }

  private static int checkDevices(Handle h, long userId, Head head, Findings findings) {
    List<long[]> cursors =
        h.createQuery(
                "SELECT session_id, acked_pts FROM msg.device_cursors WHERE user_id = :u "
                    + "ORDER BY session_id")
            .bind("u", userId)
            .map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2)})
            .list();
    for (long[] c : cursors) {
      long session = c[0];
      long acked = c[1];
      if (acked > head.pts) {
        findings.problem(
            "cursor-ahead-of-feed",
            0,
            "session " + session + " acknowledged pts " + acked + ", beyond the head " + head.pts);
      } else if (acked < head.minPts - 1) {
        findings.info(
            "cursor-past-retention",
            0,
            "session "
                + session
                + " acknowledged pts "
                + acked
                + "; the feed keeps pts "
                + head.minPts
                + " on: its next get_difference answers too_long and it rebuilds");
      } else {
        findings.info(
            "device-backlog",
            0,
            "session "
                + session
                + " acknowledged pts "
                + acked
                + ", "
                + (head.pts - acked)
                + " behind");
      }
    }
    return cursors.size();
  }

  private record Membership(
      long conversationId,
      boolean direct,
      long lastSeq,
      long firstVisible,
      @Nullable Long lastVisible,
      long readSeq,
      Instant lastActivity) {

    long visibleHead() {
      return lastVisible != null ? lastVisible : lastSeq;
    }
  }

  private static List<Membership> memberships(Handle h, long userId) {
    return h.createQuery(
            "SELECT m.conversation_id, c.type, c.last_seq, m.first_visible_seq, m.last_visible_seq, "
                + "m.read_seq, c.last_activity_at FROM msg.members m "
                + "JOIN msg.conversations c USING (conversation_id) WHERE m.user_id = :u "
                + "ORDER BY m.conversation_id")
        .bind("u", userId)
        .map(
            (rs, ctx) -> {
              long lastVisible = rs.getLong(5);
              boolean member = rs.wasNull();
              return new Membership(
                  rs.getLong(1),
                  rs.getShort(2) == DIRECT,
                  rs.getLong(3),
                  rs.getLong(4),
                  member ? null : lastVisible,
                  rs.getLong(6),
                  java.util.Objects.requireNonNull(Times.get(rs, "last_activity_at")));
            })
        .list();
  }

  private record Span(long count, long min, long max) {}

  private void checkConversations(
      Handle h, long userId, Head head, List<Membership> memberships, Instant now, Findings f) {
    Map<Long, Span> spans = new HashMap<>();
    h.createQuery(
            "SELECT e.conversation_id, count(*), min(e.seq), max(e.seq) FROM msg.entries e "
                + "WHERE e.conversation_id IN (SELECT conversation_id FROM msg.members WHERE user_id = :u) "
                + "GROUP BY e.conversation_id")
        .bind("u", userId)
        .map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)})
        .forEach(r -> spans.put(r[0], new Span(r[1], r[2], r[3])));
    Map<Long, Long> markers = new HashMap<>();
    h.createQuery(
            "SELECT DISTINCT ON (conversation_id) conversation_id, seq FROM msg.feed "
                + "WHERE user_id = :u AND kind = :k ORDER BY conversation_id, pts DESC")
        .bind("u", userId)
        .bind("k", FEED_READ_MARKER)
        .map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2)})
        .forEach(r -> markers.put(r[0], r[1]));
    Map<Long, Long> ownNewest = new HashMap<>();
    h.createQuery(
            "SELECT conversation_id, max(seq) FROM msg.entries WHERE sender_id = :u "
                + "AND conversation_id IN (SELECT conversation_id FROM msg.members WHERE user_id = :u) "
                + "GROUP BY conversation_id")
        .bind("u", userId)
        .map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2)})
        .forEach(r -> ownNewest.put(r[0], r[1]));
    @Nullable Instant historyCutoff =
        historyRetention.isZero() ? null : now.minus(historyRetention);

    for (Membership m : memberships) {
      long id = m.conversationId;
      Span s = spans.getOrDefault(id, new Span(0, 0, 0));
      if (s.max > m.lastSeq)
        f.problem(
            "head-behind-entries",
            id,
            "an entry at seq " + s.max + " is beyond the conversation's last_seq " + m.lastSeq);
      boolean tailMayBeGone = historyCutoff != null && m.lastActivity.isBefore(historyCutoff);
      if (m.lastSeq > s.max && !tailMayBeGone)
        f.problem(
            "entries-missing",
            id,
            "last_seq is " + m.lastSeq + " but the newest stored entry is " + s.max);
      if (historyCutoff == null && s.count > 0 && s.min > 1)
        f.problem(
            "entries-missing",
            id,
            "entries 1.." + (s.min - 1) + " are gone although history is kept forever");
      if (m.lastVisible != null && m.lastVisible < m.firstVisible)
        f.problem(
            "window-inverted",
            id,
            "visible from seq " + m.firstVisible + " to " + m.lastVisible + ": an empty window");
      if (m.readSeq > m.visibleHead())
        f.problem(
            "read-beyond-head",
            id,
            "read up to seq " + m.readSeq + " but the visible head is " + m.visibleHead());
      // A device learns where its user read from read markers (feed) and from its user's own
      // entries (a message implies its sender read up to it): the member row may be no further.
      Long marker = markers.get(id);
      long derived = Math.max(marker == null ? 0 : marker, ownNewest.getOrDefault(id, 0L));
      if (marker != null && marker > m.readSeq)
        f.problem(
            "read-marker-ahead",
            id,
            "the feed's newest read marker says read up to "
                + marker
                + " but the member row says "
                + m.readSeq);
      else if (m.readSeq > derived
          && m.readSeq <= m.visibleHead()
          && head.minPts <= 1
          && historyCutoff == null)
        f.problem(
            "read-position-unknown-to-devices",
            id,
            "read up to seq "
                + m.readSeq
                + " but neither a read marker in the feed nor an own entry says so (devices say "
                + derived
                + "): they count unread differently from the server");
    }
    checkGaps(h, userId, f);
    checkDirectEntriesInFeed(h, userId, now, f);
  }

  /** Seqs are assigned without holes and retention deletes only the oldest: a hole is a fault. */
  private static void checkGaps(Handle h, long userId, Findings f) {
    h.createQuery(
            "SELECT conversation_id, prev + 1, seq - 1 FROM ("
                + "  SELECT e.conversation_id, e.seq, "
                + "         lag(e.seq) OVER (PARTITION BY e.conversation_id ORDER BY e.seq) AS prev "
                + "  FROM msg.entries e JOIN msg.members m "
                + "    ON m.conversation_id = e.conversation_id AND m.user_id = :u "
                + "  WHERE e.seq >= m.first_visible_seq "
                + "    AND (m.last_visible_seq IS NULL OR e.seq <= m.last_visible_seq)) x "
                + "WHERE seq - prev > 1 ORDER BY conversation_id, seq LIMIT :limit")
        .bind("u", userId)
        .bind("limit", MAX_PER_CHECK + 1)
        .map(
            (rs, ctx) -> {
              long from = rs.getLong(2);
              long to = rs.getLong(3);
              f.problem(
                  "seq-gap",
                  rs.getLong(1),
                  (from == to ? "seq " + from + " is" : "seqs " + from + ".." + to + " are")
                      + " missing between stored entries: devices wait for them forever");
              return from;
            })
        .list();
  }

  /**
   * Every entry of a direct chat goes into both users' feeds in its own transaction (design 8.3):
   * one the user may see that is missing from their feed (and younger than the feed's retention) is
   * an entry their devices never learn about by pts.
   */
  private void checkDirectEntriesInFeed(Handle h, long userId, Instant now, Findings f) {
    Instant since = feedRetention.isZero() ? Instant.EPOCH : now.minus(feedRetention);
    h.createQuery(
            "SELECT e.conversation_id, e.seq FROM msg.entries e "
                + "JOIN msg.members m ON m.conversation_id = e.conversation_id AND m.user_id = :u "
                + "JOIN msg.conversations c ON c.conversation_id = e.conversation_id AND c.type = :direct "
                + "WHERE e.seq >= m.first_visible_seq "
                + "  AND (m.last_visible_seq IS NULL OR e.seq <= m.last_visible_seq) "
                + "  AND e.created_at > :since "
                + "  AND NOT EXISTS (SELECT 1 FROM msg.feed fd WHERE fd.user_id = :u AND fd.kind = :entry "
                + "                  AND fd.conversation_id = e.conversation_id AND fd.seq = e.seq) "
                + "ORDER BY e.conversation_id, e.seq LIMIT :limit")
        .bind("u", userId)
        .bind("direct", DIRECT)
        .bind("entry", FEED_ENTRY)
        .bind("since", Times.db(since))
        .bind("limit", MAX_PER_CHECK + 1)
        .map(
            (rs, ctx) -> {
              f.problem(
                  "direct-entry-not-in-feed",
                  rs.getLong(1),
                  "seq "
                      + rs.getLong(2)
                      + " is not in the user's feed: their devices never get it");
              return 0;
            })
        .list();
  }

  /** Collects findings, capping each check at {@link #MAX_PER_CHECK} lines. */
  private static final class Findings {
    private final List<Finding> list = new ArrayList<>();
    private final Map<String, Integer> perCheck = new HashMap<>();

    void problem(String check, long conversationId, String detail) {
      add(Finding.problem(check, conversationId, detail));
    }

    void info(String check, long conversationId, String detail) {
      add(Finding.info(check, conversationId, detail));
    }

    private void add(Finding finding) {
      int n = perCheck.merge(finding.check(), 1, Integer::sum);
      if (n <= MAX_PER_CHECK) list.add(finding);
      else if (n == MAX_PER_CHECK + 1)
        list.add(
            new Finding(
                finding.severity(),
                finding.check(),
                0,
                "more of these; only the first " + MAX_PER_CHECK + " are listed"));
    }

    List<Finding> list() {
      return list;
    }
  }
}
