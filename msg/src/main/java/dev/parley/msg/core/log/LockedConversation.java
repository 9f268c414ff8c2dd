package dev.parley.msg.core.log;

import dev.parley.msg.store.ConversationRow;
import dev.parley.msg.store.FormerView;
import dev.parley.msg.store.MemberRow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * One conversation as a batch of log commands sees it while holding its row lock (or having just
 * created it): the head, the group's title, owner and size, and the member rows the batch loaded.
 * Commands are decided against this model in order and change it, so each sees the effect of the
 * ones before it; at the end LogBatch writes what changed. Confined to one writer thread.
 *
 * <p>Invariant: {@link #head} is the seq of the last entry of the log as this transaction will
 * commit it, so the next append takes head + 1 (design.md 8.2).
 */
final class LockedConversation {
  final long id;
  final int type;
  final Instant createdAt;

  /**
   * Created by this batch (a new group, or the direct conversation of a first message): inserted at
   * write time, and only if some command appended to it — a refused first message leaves nothing.
   */
  final boolean created;

  long head;
  Instant lastActivity;
  @Nullable String title;
  long ownerId;
  int memberCount;
  @Nullable Instant disbandedAt;

  /** Anything above changed since the row was read (head included). */
  boolean changed;

  /** The loaded rows: every current member and the former members the batch's commands name. */
  private final TreeMap<Long, MemberRow> members = new TreeMap<>();

  private final Map<Long, MemberRow> changedMembers = new LinkedHashMap<>();

  private LockedConversation(ConversationRow row, boolean created) {
    this.id = row.conversationId();
    this.type = row.type();
    this.createdAt = row.createdAt();
    this.created = created;
    this.head = row.lastSeq();
    this.lastActivity = row.lastActivityAt();
    this.title = row.title();
    this.ownerId = row.ownerId();
    this.memberCount = row.memberCount();
    this.disbandedAt = row.disbandedAt();
  }

  static LockedConversation locked(ConversationRow row) {
    return new LockedConversation(row, false);
  }

  static LockedConversation newGroup(long id, String title, long ownerId, Instant now) {
    return new LockedConversation(
        new ConversationRow(id, ConversationRow.GROUP, title, ownerId, 0, 0, now, now, null), true);
  }

  /** The conversation of a pair that has none; the caller holds the pair's lock. */
  static LockedConversation newDirect(long id, long a, long b, Instant now) {
    LockedConversation c =
        new LockedConversation(
            new ConversationRow(id, ConversationRow.DIRECT, null, 0, 0, 2, now, now, null), true);
    c.put(MemberRow.joined(id, Math.min(a, b), MemberRow.MEMBER, 1, 0, now));
    c.put(MemberRow.joined(id, Math.max(a, b), MemberRow.MEMBER, 1, 0, now));
    return c;
  }

  /** The two users of a direct conversation, ascending. */
  long[] pair() {
    return members.keySet().stream().mapToLong(Long::longValue).toArray();
  }

  boolean direct() {
    return type == ConversationRow.DIRECT;
  }

  boolean group() {
    return type == ConversationRow.GROUP;
  }

  boolean disbanded() {
    return disbandedAt != null;
  }

  /** A row as loaded (before any change of this batch). */
  void load(MemberRow row) {
    members.put(row.userId(), row);
  }

  /**
   * The user's row (current or former member), or null if the user never belonged or was not
   * loaded.
   */
  @Nullable MemberRow member(long userId) {
    return members.get(userId);
  }

  void put(MemberRow row) {
    members.put(row.userId(), row);
    changedMembers.put(row.userId(), row);
  }

  /** Current members in ascending user id. */
  List<MemberRow> active() {
    List<MemberRow> out = new ArrayList<>();
    for (MemberRow m : members.values()) if (m.active()) out.add(m);
    return out;
  }

  /** Current members' ids, ascending (the order feed heads are locked in). */
  long[] activeUserIds() {
    return members.values().stream()
        .filter(MemberRow::active)
        .mapToLong(MemberRow::userId)
        .toArray();
  }

  /** The other user of a direct conversation (whose two members never leave). */
  long peerOf(long userId) {
    for (long u : members.keySet()) if (u != userId) return u;
    return 0;
  }

  /**
   * What {@code userId}, whose membership entry {@code seq} just ended, will be shown of the group
   * from now on: the model as it stands right after that entry (design.md 8.7).
   */
  FormerView formerView(long userId, long seq) {
    List<FormerView.Seat> seats = new ArrayList<>();
    for (MemberRow m : members.values()) {
      if (m.active() || m.lastVisibleSeq() == seq) {
        seats.add(
            new FormerView.Seat(
                m.userId(), m.role(), m.firstVisibleSeq(), m.readSeq(), m.joinedAt(), m.active()));
      }
    }
    // Only groups have former members, and a group always has a title.
    return new FormerView(
        id,
        userId,
        seq,
        Objects.requireNonNull(title, "group title"),
        memberCount,
        disbanded(),
        seats);
  }

  Collection<MemberRow> changedMembers() {
    return changedMembers.values();
  }

  ConversationRow toRow() {
    return new ConversationRow(
        id, type, title, ownerId, head, memberCount, createdAt, lastActivity, disbandedAt);
  }
}
