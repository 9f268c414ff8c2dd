package dev.parley.msg.core;

import dev.parley.common.error.ParleyException;
import dev.parley.common.id.Snowflake;
import dev.parley.msg.MsgConfig;
import dev.parley.msg.store.ConversationRow;
import dev.parley.msg.store.Conversations;
import dev.parley.msg.store.EntryKind;
import dev.parley.msg.store.MemberRow;
import dev.parley.msg.store.Members;
import dev.parley.msg.store.Tx;
import dev.parley.proto.client.Error.Reason;
import dev.parley.proto.client.Message;
import dev.parley.proto.client.Role;
import dev.parley.proto.client.ServiceContent;
import dev.parley.proto.client.ServiceContent.Action;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.LongStream;
import org.jdbi.v3.core.Handle;

/**
 * Group membership, roles and titles. Every change is a SERVICE entry in the group's log, so members
 * learn about it in log order, through their feeds, exactly like about a message.
 *
 * <p><b>One transaction per change</b>, locking in the global order: the conversation row first (the
 * member limit and every permission are checked under it), then member rows, then the feed heads
 * (inside ConversationLog.append). Member rows are therefore written <em>before</em> the entry is
 * appended, using the seq the entry is about to get: {@code last_seq + 1} of the locked row, which
 * nobody else can take while we hold the lock. A new member's first_visible_seq and a leaving
 * member's last_visible_seq are that seq, so joiners see the entry that added them and nothing
 * earlier, and leavers see the entry that removed them and nothing later.
 *
 * <p><b>Recipients</b> of an entry are the members after the change plus, for removals, leaves and
 * disbanding, the users who lost their membership, so that their devices learn it.
 *
 * <p><b>The owner leaving</b> writes two entries: OWNER_CHANGED (from the leaving owner to the
 * longest-standing admin, else the longest-standing member) and then MEMBER_LEFT, both to the members
 * before the change. Each keeps its documented meaning, so a client needs no special case, and the
 * group never has a moment without an owner. The last member leaving writes one GROUP_DISBANDED entry
 * with the leaver as actor instead.
 *
 * <p>Callers who never belonged to the group get NOT_FOUND (a group's existence is not revealed);
 * former members and members of a disbanded group get CONVERSATION_CLOSED for every change. Changes
 * that change nothing (renaming to the current title, setting the current role) write no entry and
 * answer seq 0.
 */
public final class GroupManager {
  /** Who inherits a group from a leaving owner: admins before members, then the earliest joined, then the lowest id. */
  private static final Comparator<MemberRow> SUCCESSION =
      Comparator.comparingInt(MemberRow::role)
          .reversed()
          .thenComparing(MemberRow::joinedAt)
          .thenComparingLong(MemberRow::userId);

  private final MsgConfig config;
  private final Tx tx;
  private final Conversations conversations;
  private final Members members;
  private final ConversationLog log;
  private final RelationRules rules;
  private final UserDirectory users;
  private final UpdateSink sink;
  private final Snowflake ids;
  private final Clock clock;

  public GroupManager(
      MsgConfig config,
      Tx tx,
      Conversations conversations,
      Members members,
      ConversationLog log,
      RelationRules rules,
      UserDirectory users,
      UpdateSink sink,
      Snowflake ids,
      Clock clock) {
    this.config = config;
    this.tx = tx;
    this.conversations = conversations;
    this.members = members;
    this.log = log;
    this.rules = rules;
    this.users = users;
    this.sink = sink;
    this.ids = ids;
    this.clock = clock;
  }

  /** Creates a group owned by the caller with {@code userIds} as the other first members; returns its id. */
  public long create(Caller caller, String title, long[] userIds) {
    long[] others = distinctWithout(userIds, caller.userId());
    if (others.length + 1 > config.maxGroupMembers()) throw full();
    requireAccounts(others);
    long id = ids.next();
    Instant now = clock.instant();
    Appended created =
        tx.write(
            h -> {
              if (rules.anyBlocked(h, others, caller.userId())) throw blocked();
              conversations.insert(h, id, ConversationRow.GROUP, title, caller.userId(), others.length + 1, now);
              ConversationRow conv = conversations.lock(h, id).orElseThrow();
              long seq = conv.lastSeq() + 1;
              members.joinAll(h, id, new long[] {caller.userId()}, MemberRow.OWNER, seq, now);
              members.joinAll(h, id, others, MemberRow.MEMBER, seq, now);
              ServiceContent.Builder s = service(Action.GROUP_CREATED, caller).setTitle(title).addAllUserIds(boxed(others));
              return append(h, conv, caller, s, union(others, caller.userId()), seq, now);
            });
    sink.appended(created);
    return id;
  }

  /** Adds the users who are not members yet; the whole invite is refused if the group would get too big. */
  public long invite(Caller caller, long conversationId, long[] userIds) {
    long[] invited = distinctWithout(userIds, caller.userId());
    if (invited.length == 0) throw ParleyException.invalid("user_ids", "Name at least one other user");
    if (invited.length + 1 > config.maxGroupMembers()) throw full();
    requireAccounts(invited);
    return change(
        caller,
        conversationId,
        (h, conv, me, now) -> {
          long[] current = members.activeUserIds(h, conversationId);
          long[] fresh = LongStream.of(invited).filter(u -> !contains(current, u)).toArray();
          if (fresh.length == 0) throw ParleyException.invalid("user_ids", "Everyone named is a member already");
          if (current.length + fresh.length > config.maxGroupMembers()) throw full();
          if (rules.anyBlocked(h, fresh, caller.userId())) throw blocked();
          long seq = conv.lastSeq() + 1;
          members.joinAll(h, conversationId, fresh, MemberRow.MEMBER, seq, now);
          conversations.setMemberCount(h, conversationId, current.length + fresh.length);
          ServiceContent.Builder s = service(Action.MEMBERS_ADDED, caller).addAllUserIds(boxed(fresh));
          return List.of(append(h, conv, caller, s, union(current, fresh), seq, now));
        });
  }

  /** Admins remove plain members; the owner removes anyone but themselves. */
  public long remove(Caller caller, long conversationId, long userId) {
    if (userId == caller.userId()) throw ParleyException.invalid("user_id", "To leave the group, use leave_group");
    return change(
        caller,
        conversationId,
        (h, conv, me, now) -> {
          if (me.role() < MemberRow.ADMIN) throw denied("Only admins and the owner can remove members");
          MemberRow target = activeMember(h, conversationId, userId);
          if (me.role() != MemberRow.OWNER && target.role() != MemberRow.MEMBER) {
            throw denied("Only the owner can remove an admin");
          }
          long seq = conv.lastSeq() + 1;
          members.leave(h, conversationId, userId, seq, now);
          long[] recipients = members.activeUserIds(h, conversationId);
          conversations.setMemberCount(h, conversationId, recipients.length);
          ServiceContent.Builder s = service(Action.MEMBER_REMOVED, caller).addUserIds(userId);
          return List.of(append(h, conv, caller, s, union(recipients, userId), seq, now));
        });
  }

  /** The caller leaves; see the class comment for the owner and the last member. */
  public long leave(Caller caller, long conversationId) {
    return change(
        caller,
        conversationId,
        (h, conv, me, now) -> {
          List<MemberRow> before = members.active(h, conversationId);
          long[] recipients = before.stream().mapToLong(MemberRow::userId).toArray();
          if (before.size() == 1) return List.of(disband(h, conv, caller, recipients, now));

          long seq = conv.lastSeq() + 1;
          if (me.role() != MemberRow.OWNER) {
            members.leave(h, conversationId, caller.userId(), seq, now);
            conversations.setMemberCount(h, conversationId, before.size() - 1);
            return List.of(append(h, conv, caller, service(Action.MEMBER_LEFT, caller), recipients, seq, now));
          }
          MemberRow heir = before.stream().filter(m -> m.userId() != caller.userId()).min(SUCCESSION).orElseThrow();
          members.setRole(h, conversationId, heir.userId(), MemberRow.OWNER);
          members.setRole(h, conversationId, caller.userId(), MemberRow.ADMIN); // as after a transfer
          conversations.setOwner(h, conversationId, heir.userId());
          members.leave(h, conversationId, caller.userId(), seq + 1, now);
          conversations.setMemberCount(h, conversationId, before.size() - 1);
          Appended handedOver =
              append(h, conv, caller, service(Action.OWNER_CHANGED, caller).addUserIds(heir.userId()), recipients, seq, now);
          // The row is ours (locked above); re-read it for the head the first append moved.
          ConversationRow moved = conversations.find(h, conversationId).orElseThrow();
          Appended left = append(h, moved, caller, service(Action.MEMBER_LEFT, caller), recipients, seq + 1, now);
          return List.of(handedOver, left);
        });
  }

  /** Admins and the owner; {@code title} is already trimmed and validated. */
  public long rename(Caller caller, long conversationId, String title) {
    return change(
        caller,
        conversationId,
        (h, conv, me, now) -> {
          if (me.role() < MemberRow.ADMIN) throw denied("Only admins and the owner can rename the group");
          if (title.equals(conv.title())) return List.of();
          conversations.setTitle(h, conversationId, title);
          long[] recipients = members.activeUserIds(h, conversationId);
          ServiceContent.Builder s = service(Action.TITLE_CHANGED, caller).setTitle(title);
          return List.of(append(h, conv, caller, s, recipients, conv.lastSeq() + 1, now));
        });
  }

  /** The owner makes a member an admin or an admin a member ({@code role}: MemberRow.ADMIN or MEMBER). */
  public long setRole(Caller caller, long conversationId, long userId, int role) {
    if (role != MemberRow.ADMIN && role != MemberRow.MEMBER) throw ParleyException.invalid("role", "role must be admin or member");
    if (userId == caller.userId()) {
      throw ParleyException.invalid("user_id", "The owner's role changes only by transferring ownership");
    }
    return change(
        caller,
        conversationId,
        (h, conv, me, now) -> {
          if (me.role() != MemberRow.OWNER) throw denied("Only the owner can change roles");
          MemberRow target = activeMember(h, conversationId, userId);
          if (target.role() == role) return List.of();
          members.setRole(h, conversationId, userId, role);
          long[] recipients = members.activeUserIds(h, conversationId);
          ServiceContent.Builder s = service(Action.ROLE_CHANGED, caller).addUserIds(userId).setRole(Role.forNumber(role));
          return List.of(append(h, conv, caller, s, recipients, conv.lastSeq() + 1, now));
        });
  }

  /** The owner hands the group to a current member and becomes an admin. */
  public long transferOwnership(Caller caller, long conversationId, long userId) {
    if (userId == caller.userId()) throw ParleyException.invalid("user_id", "You own the group already");
    return change(
        caller,
        conversationId,
        (h, conv, me, now) -> {
          if (me.role() != MemberRow.OWNER) throw denied("Only the owner can transfer ownership");
          activeMember(h, conversationId, userId);
          members.setRole(h, conversationId, userId, MemberRow.OWNER);
          members.setRole(h, conversationId, caller.userId(), MemberRow.ADMIN);
          conversations.setOwner(h, conversationId, userId);
          long[] recipients = members.activeUserIds(h, conversationId);
          ServiceContent.Builder s = service(Action.OWNER_CHANGED, caller).addUserIds(userId);
          return List.of(append(h, conv, caller, s, recipients, conv.lastSeq() + 1, now));
        });
  }

  /** The owner ends the group: everybody leaves, the log becomes read-only. */
  public long disband(Caller caller, long conversationId) {
    return change(
        caller,
        conversationId,
        (h, conv, me, now) -> {
          if (me.role() != MemberRow.OWNER) throw denied("Only the owner can disband the group");
          return List.of(disband(h, conv, caller, members.activeUserIds(h, conversationId), now));
        });
  }

  /** Everybody in {@code recipients} (all current members) leaves at the GROUP_DISBANDED entry. */
  private Appended disband(Handle h, ConversationRow conv, Caller caller, long[] recipients, Instant now) {
    long seq = conv.lastSeq() + 1;
    members.leaveAll(h, conv.conversationId(), seq, now);
    conversations.disband(h, conv.conversationId(), now);
    return append(h, conv, caller, service(Action.GROUP_DISBANDED, caller), recipients, seq, now);
  }

  /** A change of one group, run under the group's row lock; returns the entries it appended. */
  private interface Change {
    List<Appended> apply(Handle h, ConversationRow conv, MemberRow me, Instant now);
  }

  /**
   * Locks the group, checks that the caller is a current member of an open group, applies the change,
   * commits, then publishes. Returns the seq of the last entry written, 0 when none.
   */
  private long change(Caller caller, long conversationId, Change change) {
    Instant now = clock.instant();
    List<Appended> appended =
        tx.write(
            h -> {
              ConversationRow conv = conversations.lock(h, conversationId).orElseThrow(MessageManager::notFound);
              MemberRow me = members.find(h, conversationId, caller.userId()).orElseThrow(MessageManager::notFound);
              if (!conv.group()) throw ParleyException.invalid("conversation_id", "This conversation is not a group");
              if (conv.disbanded() || !me.active()) {
                throw new ParleyException(Reason.CONVERSATION_CLOSED, "You are no longer a member of this group");
              }
              return change.apply(h, conv, me, now);
            });
    appended.forEach(sink::appended);
    return appended.isEmpty() ? 0 : appended.getLast().entry().seq();
  }

  /**
   * Appends a service entry. {@code expectedSeq} is the seq the caller already used for member rows;
   * ConversationLog hands out exactly that one because the caller holds the row lock.
   */
  private Appended append(
      Handle h, ConversationRow conv, Caller actor, ServiceContent.Builder s, long[] recipients, long expectedSeq, Instant now) {
    byte[] content = Message.newBuilder().setService(s).build().toByteArray();
    Appended a = log.append(h, conv, actor.userId(), EntryKind.SERVICE, null, content, 0, recipients, now);
    if (a.entry().seq() != expectedSeq) {
      throw new IllegalStateException("entry got seq " + a.entry().seq() + ", member rows used " + expectedSeq);
    }
    return a;
  }

  private static ServiceContent.Builder service(Action action, Caller actor) {
    return ServiceContent.newBuilder().setAction(action).setActorId(actor.userId());
  }

  private MemberRow activeMember(Handle h, long conversationId, long userId) {
    return members.find(h, conversationId, userId)
        .filter(MemberRow::active)
        .orElseThrow(() -> new ParleyException(Reason.NOT_FOUND, "That user is not a member of this group"));
  }

  private void requireAccounts(long[] userIds) {
    long[] unknown = users.unknown(userIds);
    if (unknown.length > 0) throw new ParleyException(Reason.NOT_FOUND, "No such user: " + unknown[0]);
  }

  /** Distinct ids other than {@code self}, ascending. */
  private static long[] distinctWithout(long[] userIds, long self) {
    return LongStream.of(userIds).filter(u -> u != self).distinct().sorted().toArray();
  }

  /** The ascending union of {@code a} and {@code b}: feed recipients must be sorted. */
  private static long[] union(long[] a, long... b) {
    return LongStream.concat(LongStream.of(a), LongStream.of(b)).distinct().sorted().toArray();
  }

  private static boolean contains(long[] sorted, long id) {
    return Arrays.binarySearch(sorted, id) >= 0;
  }

  private static List<Long> boxed(long[] ids) {
    return LongStream.of(ids).boxed().toList();
  }

  private ParleyException full() {
    return new ParleyException(Reason.GROUP_FULL, "A group has at most " + config.maxGroupMembers() + " members");
  }

  private static ParleyException blocked() {
    return new ParleyException(Reason.BLOCKED, "Some of these users cannot be added by you");
  }

  private static ParleyException denied(String message) {
    return new ParleyException(Reason.PERMISSION_DENIED, message);
  }
}
