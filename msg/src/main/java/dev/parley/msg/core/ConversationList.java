package dev.parley.msg.core;

import dev.parley.common.error.ParleyException;
import dev.parley.msg.recent.RecentEntries;
import dev.parley.msg.store.ConversationRow;
import dev.parley.msg.store.Conversations;
import dev.parley.msg.store.Entries;
import dev.parley.msg.store.Entry;
import dev.parley.msg.store.MemberRow;
import dev.parley.msg.store.Members;
import dev.parley.msg.store.Times;
import dev.parley.msg.store.Tx;
import dev.parley.proto.client.Error.Reason;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * The caller's conversations with what a list screen shows: last visible entry, unread count, peer's
 * read marker. Ordered by recency (the last activity while the caller could see it), paged with an
 * opaque keyset cursor. A conversation that becomes active while a client pages moves to the top and
 * may be missed by the remaining pages; the client learns about it from its feed anyway. The last
 * entries come through the recent-entries cache (NewestEntries), looked up for a whole page at once.
 */
public final class ConversationList {
  private final Tx tx;
  private final Conversations conversations;
  private final Members members;
  private final Entries entries;
  private final NewestEntries newest;
  private final DirectChats directs;

  public ConversationList(
      Tx tx, Conversations conversations, Members members, Entries entries, NewestEntries newest, DirectChats directs) {
    this.tx = tx;
    this.conversations = conversations;
    this.members = members;
    this.entries = entries;
    this.newest = newest;
    this.directs = directs;
  }

  public record Summary(ConversationRow conversation, MemberRow me, Entry last, int unread, long peerUserId, long peerReadSeq) {}

  public record ListPage(List<Summary> conversations, String nextCursor, int totalUnread) {}

  public ListPage list(Caller caller, int limit, String cursor) {
    Cursor after = Cursor.parse(cursor);
    return tx.read(
        h -> {
          List<long[]> keys =
              h.createQuery(
                      "SELECT m.conversation_id, "
                          + "(extract(epoch FROM coalesce(m.left_at, c.last_activity_at)) * 1000000)::bigint AS sort_at "
                          + "FROM msg.members m JOIN msg.conversations c USING (conversation_id) "
                          + "WHERE m.user_id = :u AND (:first OR (coalesce(m.left_at, c.last_activity_at), m.conversation_id) < (:at, :id)) "
                          + "ORDER BY coalesce(m.left_at, c.last_activity_at) DESC, m.conversation_id DESC LIMIT :limit")
                  .bind("u", caller.userId())
                  .bind("first", after == null)
                  .bind("at", Times.db(after == null ? Instant.EPOCH : after.at()))
                  .bind("id", after == null ? 0L : after.conversationId())
                  .bind("limit", limit + 1)
                  .map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2)})
                  .list();
          boolean more = keys.size() > limit;
          List<long[]> shown = more ? keys.subList(0, limit) : keys;
          // One round trip to the cache for the whole page, answered while the rows are read.
          RecentEntries.Lookup cached = newest.lookup(1, shown.stream().mapToLong(k -> k[0]).toArray());
          List<Summary> page = new ArrayList<>();
          for (long[] key : shown) {
            summary(h, caller, key[0], cached).ifPresent(page::add);
          }
          String next = null;
          if (more) {
            long[] last = keys.get(limit - 1);
            next = new Cursor(Instant.EPOCH.plus(last[1], ChronoUnit.MICROS), last[0]).encode();
          }
          return new ListPage(page, next, totalUnread(h, caller.userId()));
        });
  }

  public record Detail(Summary summary, List<MemberRow> members) {}

  public Detail get(Caller caller, long conversationId) {
    RecentEntries.Lookup cached = newest.lookup(1, conversationId);
    return tx.read(
        h -> {
          Summary s = summary(h, caller, conversationId, cached).orElseThrow(MessageManager::notFound);
          return new Detail(s, members.active(h, conversationId));
        });
  }

  public int totalUnread(Handle h, long userId) {
    List<long[]> pending =
        h.createQuery(
                "SELECT m.conversation_id, m.read_seq, coalesce(m.last_visible_seq, c.last_seq) FROM msg.members m "
                    + "JOIN msg.conversations c USING (conversation_id) "
                    + "WHERE m.user_id = :u AND m.read_seq < coalesce(m.last_visible_seq, c.last_seq)")
            .bind("u", userId)
            .map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)})
            .list();
    int total = 0;
    for (long[] p : pending) total += entries.countUnread(h, p[0], p[1], p[2], userId);
    return total;
  }

  private Optional<Summary> summary(Handle h, Caller caller, long conversationId, RecentEntries.Lookup cached) {
    Optional<ConversationRow> conv = conversations.find(h, conversationId);
    Optional<MemberRow> me = members.find(h, conversationId, caller.userId());
    if (conv.isEmpty() || me.isEmpty()) return Optional.empty();
    long upTo = me.get().visibleUpTo(conv.get().lastSeq());
    Entry last = newest.last(h, cached, conv.get(), me.get().firstVisibleSeq(), upTo);
    int unread = entries.countUnread(h, conversationId, me.get().readSeq(), upTo, caller.userId());
    long peer = 0;
    long peerRead = 0;
    if (conv.get().direct()) {
      peer = directs.peer(h, conversationId, caller.userId());
      peerRead = members.find(h, conversationId, peer).map(MemberRow::readSeq).orElse(0L);
    }
    return Optional.of(new Summary(conv.get(), me.get(), last, unread, peer, peerRead));
  }

  /** Position after which the next page starts: (sort time, conversation id), base64 in the protocol. */
  record Cursor(Instant at, long conversationId) {
    String encode() {
      long micros = ChronoUnit.MICROS.between(Instant.EPOCH, at);
      return Base64.getUrlEncoder().withoutPadding().encodeToString((micros + ":" + conversationId).getBytes(StandardCharsets.UTF_8));
    }

    static Cursor parse(String s) {
      if (s == null || s.isEmpty()) return null;
      try {
        String[] parts = new String(Base64.getUrlDecoder().decode(s), StandardCharsets.UTF_8).split(":");
        return new Cursor(Instant.EPOCH.plus(Long.parseLong(parts[0]), ChronoUnit.MICROS), Long.parseLong(parts[1]));
      } catch (RuntimeException e) {
        throw new ParleyException(Reason.INVALID_ARGUMENT, "Invalid cursor", "cursor", java.time.Duration.ZERO);
      }
    }
  }
}
