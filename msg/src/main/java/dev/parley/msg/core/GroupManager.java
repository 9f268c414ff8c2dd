package dev.parley.msg.core;

import dev.parley.common.error.ParleyException;
import dev.parley.common.id.Snowflake;
import dev.parley.msg.core.content.Content;
import dev.parley.msg.core.log.LogCommand;
import dev.parley.msg.core.log.LogOutcome;
import dev.parley.msg.core.log.LogWriter;
import dev.parley.msg.store.Entry;
import dev.parley.msg.store.MemberRow;
import dev.parley.proto.client.Error.Reason;
import java.util.stream.LongStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group membership, roles and titles: checks what needs no lock (shapes, the caller not naming
 * themselves, that the named accounts exist — a question to the user service, asked before any
 * transaction) and hands the change to the {@link LogWriter}, where everything that depends on the
 * group's state is decided under its lock (CommandRules: permissions, the size limit, blocks,
 * membership windows). Every change is a service entry in the group's log.
 *
 * <p>A changing call answers the seq of the last entry it wrote, 0 when nothing changed.
 *
 * <p>Role changes that committed are reported to the user service for the member's security events,
 * best effort: a failed report is logged, the change stands (as the user service's own SecurityLog
 * does). A retry answered as a duplicate reports nothing again.
 */
public final class GroupManager {
  private static final Logger log = LoggerFactory.getLogger(GroupManager.class);

  private final int maxGroupMembers;
  private final LogWriter writer;
  private final UserDirectory users;
  private final Snowflake ids;

  public GroupManager(int maxGroupMembers, LogWriter writer, UserDirectory users, Snowflake ids) {
    this.maxGroupMembers = maxGroupMembers;
    this.writer = writer;
    this.users = users;
    this.ids = ids;
  }

  /**
   * Creates a group owned by the caller with {@code userIds} as the other first members; returns
   * its id.
   */
  public long create(Caller caller, String title, long[] userIds) {
    long[] others = distinctWithout(userIds, caller.userId());
    if (others.length + 1 > maxGroupMembers) throw full();
    requireAccounts(others);
    long id = ids.next();
    seqOf(writer.submit(new LogCommand.CreateGroup(caller.userId(), id, title, others)));
    return id;
  }

  /**
   * Adds the users who are not members yet; the whole invite is refused if the group would get too
   * big.
   */
  public long invite(Caller caller, long conversationId, long[] userIds) {
    long[] invited = distinctWithout(userIds, caller.userId());
    if (invited.length == 0)
      throw ParleyException.invalid("user_ids", "Name at least one other user");
    if (invited.length + 1 > maxGroupMembers) throw full();
    requireAccounts(invited);
    return seqOf(writer.submit(new LogCommand.Invite(caller.userId(), conversationId, invited)));
  }

  /** Admins remove plain members; the owner removes anyone but themselves. */
  public long remove(Caller caller, long conversationId, long userId) {
    if (userId == caller.userId())
      throw ParleyException.invalid("user_id", "To leave the group, use leave_group");
    return seqOf(writer.submit(new LogCommand.Remove(caller.userId(), conversationId, userId)));
  }

  /** The caller leaves; the owner hands the group on first, the last member disbands it. */
  public long leave(Caller caller, long conversationId) {
    LogOutcome outcome = writer.submit(new LogCommand.Leave(caller.userId(), conversationId));
    reportRoleChanges(outcome, false); // an owner leaving hands the group to an heir
    return seqOf(outcome);
  }

  /** Admins and the owner; {@code title} is already trimmed and validated. */
  public long rename(Caller caller, long conversationId, String title) {
    return seqOf(writer.submit(new LogCommand.Rename(caller.userId(), conversationId, title)));
  }

  /**
   * The owner makes a member an admin or an admin a member ({@code role}: MemberRow.ADMIN or
   * MEMBER).
   */
  public long setRole(Caller caller, long conversationId, long userId, int role) {
    if (role != MemberRow.ADMIN && role != MemberRow.MEMBER)
      throw ParleyException.invalid("role", "role must be admin or member");
    if (userId == caller.userId()) {
      throw ParleyException.invalid(
          "user_id", "The owner's role changes only by transferring ownership");
    }
    LogOutcome outcome =
        writer.submit(new LogCommand.SetRole(caller.userId(), conversationId, userId, role));
    reportRoleChanges(outcome, false);
    return seqOf(outcome);
  }

  /** The owner hands the group to a current member and becomes an admin. */
  public long transferOwnership(Caller caller, long conversationId, long userId) {
    if (userId == caller.userId())
      throw ParleyException.invalid("user_id", "You own the group already");
    LogOutcome outcome =
        writer.submit(new LogCommand.Transfer(caller.userId(), conversationId, userId));
    reportRoleChanges(outcome, true);
    return seqOf(outcome);
  }

  /**
   * Reports the role changes a committed outcome wrote: ROLE_CHANGED entries, and OWNER_CHANGED for
   * the new owner (and for the previous one, who becomes an admin, when {@code ownerStays}: a
   * transfer, not an owner leaving). Nothing for other outcomes: a duplicate was reported the first
   * time.
   */
  private void reportRoleChanges(LogOutcome outcome, boolean ownerStays) {
    if (!(outcome instanceof LogOutcome.Stored stored)) return;
    for (Entry entry : stored.entries()) {
      if (!(entry.content() instanceof Content.Service s)) continue;
      switch (s.action()) {
        case ROLE_CHANGED ->
            s.userIds()
                .forEach(
                    u -> reportRole(u, entry, s, s.role() == MemberRow.ADMIN ? "admin" : "member"));
        case OWNER_CHANGED -> {
          s.userIds().forEach(u -> reportRole(u, entry, s, "owner"));
          if (ownerStays) reportRole(s.actorId(), entry, s, "admin");
        }
        default -> {}
      }
    }
  }

  /** Best effort, after the commit: the role change is done whatever becomes of the report. */
  private void reportRole(long userId, Entry entry, Content.Service s, String role) {
    try {
      users.roleChanged(userId, entry.conversationId(), s.actorId(), role);
    } catch (RuntimeException e) {
      log.warn(
          "Could not report the role change of user {} in group {}",
          userId,
          entry.conversationId(),
          e);
    }
  }

  /** The owner ends the group: everybody leaves, the log becomes read-only. */
  public long disband(Caller caller, long conversationId) {
    return seqOf(writer.submit(new LogCommand.Disband(caller.userId(), conversationId)));
  }

  private static long seqOf(LogOutcome outcome) {
    return switch (outcome) {
      case LogOutcome.Stored s -> s.last().seq();
      case LogOutcome.Unchanged u -> 0;
      case LogOutcome.Refused r -> throw r.error();
      case LogOutcome.Duplicate d -> d.original().seq();
    };
  }

  private void requireAccounts(long[] userIds) {
    long[] unknown = users.unknown(userIds);
    if (unknown.length > 0)
      throw new ParleyException(Reason.NOT_FOUND, "No such user: " + unknown[0]);
  }

  /** Distinct ids other than {@code self}, ascending. */
  private static long[] distinctWithout(long[] userIds, long self) {
    return LongStream.of(userIds).filter(u -> u != self).distinct().sorted().toArray();
  }

  private ParleyException full() {
    return new ParleyException(
        Reason.GROUP_FULL, "A group has at most " + maxGroupMembers + " members");
  }
}
