package dev.parley.msg.store;

import java.time.Instant;

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
    Instant leftAt) {

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
}
