package dev.parley.msg.store;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A user's membership, current or past.
 *
 * @param lastVisibleSeq 0 while a member; otherwise the last entry the former member may read
 */
public record MemberRow(
    long conversationId,
    long userId,
    int role,
    long firstVisibleSeq,
    long lastVisibleSeq,
    long readSeq,
    Instant joinedAt,
    @Nullable Instant leftAt) {

  public static final int MEMBER = 1;
  public static final int ADMIN = 2;
  public static final int OWNER = 3;

  public boolean active() {
    return leftAt == null;
  }

  /** The highest seq this member may read, given the conversation's head. */
  public long visibleUpTo(long lastSeq) {
    return active() ? lastSeq : lastVisibleSeq;
  }

  public boolean canSee(long seq, long lastSeq) {
    return seq >= firstVisibleSeq && seq <= visibleUpTo(lastSeq);
  }

  /**
   * A new membership (or a former member's return) that may read from {@code firstVisibleSeq} on.
   * The read marker starts just before it, or stays where a former member had read further, so
   * history the member cannot see never counts as unread.
   */
  public static MemberRow joined(
      long conversationId,
      long userId,
      int role,
      long firstVisibleSeq,
      long formerReadSeq,
      Instant at) {
    return new MemberRow(
        conversationId,
        userId,
        role,
        firstVisibleSeq,
        0,
        Math.max(formerReadSeq, firstVisibleSeq - 1),
        at,
        null);
  }

  /** This membership ended at entry {@code lastVisibleSeq}. */
  public MemberRow leftAt(long lastVisibleSeq, Instant at) {
    return new MemberRow(
        conversationId, userId, role, firstVisibleSeq, lastVisibleSeq, readSeq, joinedAt, at);
  }

  public MemberRow withRole(int newRole) {
    return new MemberRow(
        conversationId,
        userId,
        newRole,
        firstVisibleSeq,
        lastVisibleSeq,
        readSeq,
        joinedAt,
        leftAt);
  }

  /** The read marker moved forward to {@code seq} (never backwards). */
  public MemberRow readUpTo(long seq) {
    return seq <= readSeq
        ? this
        : new MemberRow(
            conversationId, userId, role, firstVisibleSeq, lastVisibleSeq, seq, joinedAt, leftAt);
  }
}
