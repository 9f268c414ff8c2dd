package dev.parley.msg.core;

import dev.parley.common.error.ParleyException;
import dev.parley.msg.recent.RecentEntries;
import dev.parley.msg.settings.ChatState;
import dev.parley.msg.settings.ChatStates;
import dev.parley.msg.store.ConversationRow;
import dev.parley.msg.store.Conversations;
import dev.parley.msg.store.Entries;
import dev.parley.msg.store.Entry;
import dev.parley.msg.store.FormerView;
import dev.parley.msg.store.Listing;
import dev.parley.msg.store.MemberRow;
import dev.parley.msg.store.Members;
import dev.parley.msg.store.Mentions;
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
import org.jspecify.annotations.Nullable;

/**
 * The caller's conversations with what a list screen shows: last visible entry, unread count,
 * peer's read marker. Ordered by recency (the last activity while the caller could see it), paged
 * with an opaque keyset cursor. The last entries come through the recent-entries cache
 * (NewestEntries), looked up for a whole page at once. A group the caller left is shown as it stood
 * when they left (FormerView): its title, size and members then, not now.
 *
 * <p><b>A complete listing while conversations move.</b> A conversation that becomes active while a
 * client pages jumps above the cursor, past the pages still to come. Group activity is not in the
 * feed (design.md 8.3), so a new device must find every conversation in the listing itself: the
 * cursor remembers when the listing began (less {@link #MOVE_MARGIN}, for commits that take a while
 * and clocks of several instances), and every later page also carries the conversations above the
 * cursor that moved since (at most a page of them): a conversation either kept its place, and the
 * keyset finds it, or moved, and a later page repeats it. Clients keep the newest copy of each.
 */
public final class ConversationList {
  private final Tx tx;
  private final Conversations conversations;
  private final Members members;
  private final Entries entries;
  private final NewestEntries newest;
  private final Listing listing;
  private final ChatStates chatStates;
  private final java.time.Clock clock;

  /** Stateless table access for the unread mentions (design.md 13). */
  private final Mentions mentions = new Mentions();

  public ConversationList(
      Tx tx,
      Conversations conversations,
      Members members,
      Entries entries,
      NewestEntries newest,
      Listing listing,
      ChatStates chatStates,
      java.time.Clock clock) {
    this.tx = tx;
    this.conversations = conversations;
    this.members = members;
    this.entries = entries;
    this.newest = newest;
    this.listing = listing;
    this.chatStates = chatStates;
    this.clock = clock;
  }

  public record Summary(
      ConversationRow conversation,
      MemberRow me,
      @Nullable Entry last,
      int unread,
      int unreadMentions,
      long peerUserId,
      long peerReadSeq,
      ChatState chatState) {}

  public record ListPage(
      List<Summary> conversations, @Nullable String nextCursor, int totalUnread) {}

  /** How far before a listing's start a change may be dated and still be one it has to repeat. */
  static final java.time.Duration MOVE_MARGIN = java.time.Duration.ofMinutes(1);

  public ListPage list(Caller caller, int limit, String cursor) {
    Cursor after = Cursor.parse(cursor);
    Instant since = after == null ? clock.instant().minus(MOVE_MARGIN) : after.since();
    return tx.read(
        h -> {
          List<Listing.Key> keys =
              listing.page(
                  h,
                  caller.userId(),
                  after == null,
                  after == null ? Instant.EPOCH : after.at(),
                  after == null ? 0L : after.conversationId(),
                  limit + 1);
          boolean more = keys.size() > limit;
          List<Listing.Key> shown = new ArrayList<>(more ? keys.subList(0, limit) : keys);
          if (after != null && after.since() != null) {
            // Those that moved above the cursor since the listing began: shown again, newest first.
            List<Listing.Key> moved =
                listing.movedAbove(
                    h, caller.userId(), after.at(), after.conversationId(), after.since(), limit);
            shown.addAll(0, moved);
          }
          // One round trip to the cache for the whole page, answered while the rows are read.
          RecentEntries.Lookup cached =
              newest.lookup(1, shown.stream().mapToLong(Listing.Key::conversationId).toArray());
          List<Summary> page = new ArrayList<>();
          for (Listing.Key key : shown) {
            summary(h, caller, key.conversationId(), cached).ifPresent(page::add);
          }
          String next = null;
          if (more) {
            Listing.Key last = keys.get(limit - 1);
            next =
                new Cursor(
                        Instant.EPOCH.plus(last.sortMicros(), ChronoUnit.MICROS),
                        last.conversationId(),
                        since)
                    .encode();
          }
          return new ListPage(page, next, totalUnread(h, caller.userId()));
        });
  }

  public record Detail(Summary summary, List<MemberRow> members) {}

  public Detail get(Caller caller, long conversationId) {
    RecentEntries.Lookup cached = newest.lookup(1, conversationId);
    return tx.read(
        h -> {
          Summary s =
              summary(h, caller, conversationId, cached).orElseThrow(MessageManager::notFound);
          Optional<FormerView> former = members.formerView(h, s.conversation(), s.me());
          return new Detail(
              s,
              former.isPresent()
                  ? former.get().currentMembers()
                  : members.active(h, conversationId));
        });
  }

  public int totalUnread(Handle h, long userId) {
    int total = 0;
    for (Listing.Behind b : listing.behind(h, userId))
      total += entries.countUnread(h, b.conversationId(), b.readSeq(), b.head(), userId);
    return total;
  }

  private Optional<Summary> summary(
      Handle h, Caller caller, long conversationId, RecentEntries.Lookup cached) {
    Optional<ConversationRow> conv = conversations.find(h, conversationId);
    Optional<MemberRow> me = members.find(h, conversationId, caller.userId());
    if (conv.isEmpty() || me.isEmpty()) return Optional.empty();
    long upTo = me.get().visibleUpTo(conv.get().lastSeq());
    Entry last = newest.last(h, cached, conv.get(), me.get().firstVisibleSeq(), upTo);
    int unread = entries.countUnread(h, conversationId, me.get().readSeq(), upTo, caller.userId());
    int unreadMentions =
        mentions.count(
            h,
            conversationId,
            caller.userId(),
            me.get().readSeq(),
            upTo,
            me.get().firstVisibleSeq());
    long peer = 0;
    long peerRead = 0;
    if (conv.get().direct()) {
      peer = members.peer(h, conversationId, caller.userId());
      peerRead = members.find(h, conversationId, peer).map(MemberRow::readSeq).orElse(0L);
    }
    ConversationRow shown =
        members
            .formerView(h, conv.get(), me.get())
            .map(v -> v.frozen(conv.get()))
            .orElse(conv.get());
    ChatState state = chatStates.find(h, caller.userId(), conversationId).asOf(clock.instant());
    return Optional.of(
        new Summary(shown, me.get(), last, unread, unreadMentions, peer, peerRead, state));
  }

  /**
   * Position after which the next page starts: (sort time, conversation id), and when the listing
   * began less MOVE_MARGIN; base64 of "micros:id:sinceMicros" in the protocol (cursors of servers
   * before version 2 have no third part).
   */
  record Cursor(Instant at, long conversationId, @Nullable Instant since) {
    String encode() {
      String s = micros(at) + ":" + conversationId + (since == null ? "" : ":" + micros(since));
      return Base64.getUrlEncoder()
          .withoutPadding()
          .encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    static @Nullable Cursor parse(@Nullable String s) {
      if (s == null || s.isEmpty()) return null;
      try {
        String[] parts =
            new String(Base64.getUrlDecoder().decode(s), StandardCharsets.UTF_8).split(":");
        if (parts.length != 2 && parts.length != 3)
          throw new IllegalArgumentException("cursor parts");
        Instant since = parts.length == 3 ? instant(Long.parseLong(parts[2])) : null;
        return new Cursor(instant(Long.parseLong(parts[0])), Long.parseLong(parts[1]), since);
      } catch (RuntimeException e) {
        throw new ParleyException(
            Reason.INVALID_ARGUMENT, "Invalid cursor", "cursor", java.time.Duration.ZERO);
      }
    }

    private static long micros(Instant i) {
      return ChronoUnit.MICROS.between(Instant.EPOCH, i);
    }

    /**
     * Years 1970 to 9999: anything else was not made by this server (and PostgreSQL would refuse
     * it).
     */
    private static final long MAX_MICROS = 253_402_300_799_999_999L;

    private static Instant instant(long micros) {
      if (micros < 0 || micros > MAX_MICROS)
        throw new IllegalArgumentException("cursor time out of range");
      return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
    }
  }
}
