package dev.parley.msg.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A group as a former member last saw it: right after entry {@code seq}, the one that ended their
 * membership (design.md 8.7). Their history already stops at that entry; this keeps the rest of
 * what they are shown — title, size, members, read markers — from moving on after it, so renames,
 * invitations, removals and reads that happen later stay with the members.
 *
 * @param members everyone who was a member at the entry, ascending user id: those still members
 *     after it ({@link Seat#current}) and those who left with it (the former member themself, or
 *     everyone at a disbanding)
 */
public record FormerView(
    long conversationId,
    long userId,
    long seq,
    String title,
    int memberCount,
    boolean disbanded,
    List<Seat> members) {

  public FormerView {
    members = List.copyOf(members);
  }

  /** One member at the entry, with their role and read marker at that moment. */
  public record Seat(
      long userId,
      int role,
      long firstVisibleSeq,
      long readSeq,
      Instant joinedAt,
      boolean current) {}

  /** The conversation as the former member is shown it: the frozen title, size, owner and state. */
  public ConversationRow frozen(ConversationRow now) {
    long owner =
        members.stream()
            .filter(s -> s.current() && s.role() == MemberRow.OWNER)
            .mapToLong(Seat::userId)
            .findFirst()
            .orElse(0);
    return new ConversationRow(
        now.conversationId(),
        now.type(),
        title,
        owner,
        now.lastSeq(),
        memberCount,
        now.createdAt(),
        now.lastActivityAt(),
        disbanded ? now.disbandedAt() : null);
  }

  /** The members after the entry, ascending user id, as the member list shows them. */
  public List<MemberRow> currentMembers() {
    List<MemberRow> out = new ArrayList<>();
    for (Seat s : members) {
      if (s.current())
        out.add(
            new MemberRow(
                conversationId,
                s.userId(),
                s.role(),
                s.firstVisibleSeq(),
                0,
                s.readSeq(),
                s.joinedAt(),
                null));
    }
    return out;
  }

  /**
   * Read counts as they stood at the entry: for each (seq → sender), how many of the members at
   * that moment other than the sender had read it. The former member's own marker is {@code
   * viewerReadSeq}, which they may still move up to the entry.
   */
  public Map<Long, Long> readCounts(Map<Long, Long> senders, long viewerReadSeq) {
    Map<Long, Long> counts = new HashMap<>();
    senders.forEach(
        (seq, sender) -> {
          long n = 0;
          for (Seat s : members) {
            long read = s.userId() == userId ? viewerReadSeq : s.readSeq();
            if (s.userId() != sender && s.firstVisibleSeq() <= seq && read >= seq) n++;
          }
          counts.put(seq, n);
        });
    return counts;
  }
}
