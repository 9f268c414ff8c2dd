package dev.parley.msg.core.log;

import dev.parley.common.error.ParleyException;
import dev.parley.msg.core.content.Content;
import dev.parley.msg.core.content.Editable;
import dev.parley.msg.core.content.Extras;
import dev.parley.msg.core.content.ReactionTally;
import dev.parley.msg.core.content.ServiceAction;
import dev.parley.msg.core.log.LogCommand.CreateGroup;
import dev.parley.msg.core.log.LogCommand.Disband;
import dev.parley.msg.core.log.LogCommand.Edit;
import dev.parley.msg.core.log.LogCommand.GroupChange;
import dev.parley.msg.core.log.LogCommand.Invite;
import dev.parley.msg.core.log.LogCommand.Leave;
import dev.parley.msg.core.log.LogCommand.Pin;
import dev.parley.msg.core.log.LogCommand.React;
import dev.parley.msg.core.log.LogCommand.Recall;
import dev.parley.msg.core.log.LogCommand.Remove;
import dev.parley.msg.core.log.LogCommand.Rename;
import dev.parley.msg.core.log.LogCommand.Send;
import dev.parley.msg.core.log.LogCommand.SetRole;
import dev.parley.msg.core.log.LogCommand.Transfer;
import dev.parley.msg.core.log.LogOutcome.Duplicate;
import dev.parley.msg.core.log.LogOutcome.Refused;
import dev.parley.msg.core.log.LogOutcome.Stored;
import dev.parley.msg.core.log.LogOutcome.Unchanged;
import dev.parley.msg.store.Entries.ClientKey;
import dev.parley.msg.store.Entry;
import dev.parley.msg.store.MemberRow;
import dev.parley.proto.client.Error.Reason;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.LongStream;

/**
 * Decides one log command against the locked state of its conversation ({@link BatchContext}): the
 * permissions, the membership windows, the group size limit, blocks and duplicates, and which
 * entries to append, to whom they go live and whose feed holds them (design.md 8.3).
 *
 * <p><b>Visibility.</b> A member reads entries first_visible_seq..(head, or last_visible_seq after
 * leaving). Conversations the actor never belonged to answer NOT_FOUND, exactly like ones that do
 * not exist, so ids cannot be probed; former members and members of a disbanded group get
 * CONVERSATION_CLOSED for anything that writes.
 *
 * <p><b>Group changes</b> are service entries. Member rows change before the entry is appended,
 * with the seq the entry is about to get (head + 1 under the lock): joiners see the entry that
 * added them and nothing earlier, leavers see the entry that removed them and nothing later.
 * Recipients are the members after the change plus, for removals, leaves and disbanding, those who
 * lost their membership. The feed of a user holds exactly the entries that changed their own
 * membership. Whoever loses their membership gets a frozen view of the group as it stands right
 * after the entry (title, members, read markers: BatchContext#departed), which is all they are
 * shown of it from then on.
 *
 * <p><b>The owner leaving</b> writes OWNER_CHANGED (to the longest-standing admin, else member) and
 * then MEMBER_LEFT, so the group never has a moment without an owner; the last member leaving
 * writes one GROUP_DISBANDED instead. Changes that change nothing write nothing ({@link
 * Unchanged}).
 */
final class CommandRules {
  /**
   * Who inherits a group from a leaving owner: admins before members, then the earliest joined,
   * then the lowest id.
   */
  private static final Comparator<MemberRow> SUCCESSION =
      Comparator.comparingInt(MemberRow::role)
          .reversed()
          .thenComparing(MemberRow::joinedAt)
          .thenComparingLong(MemberRow::userId);

  private static final long[] NOBODY = new long[0];

  private final int maxGroupMembers;
  private final Duration recallWindow;
  private final Duration editWindow;
  private final int maxDistinctReactions;
  private final int maxPinnedMessages;

  CommandRules(int maxGroupMembers, Duration recallWindow, Duration editWindow) {
    this(
        maxGroupMembers,
        recallWindow,
        editWindow,
        DEFAULT_MAX_DISTINCT_REACTIONS,
        DEFAULT_MAX_PINNED_MESSAGES);
  }

  CommandRules(
      int maxGroupMembers,
      Duration recallWindow,
      Duration editWindow,
      int maxDistinctReactions,
      int maxPinnedMessages) {
    this.maxGroupMembers = maxGroupMembers;
    this.recallWindow = recallWindow;
    this.editWindow = editWindow;
    this.maxDistinctReactions = maxDistinctReactions;
    this.maxPinnedMessages = maxPinnedMessages;
  }

  /** msg.reactions.max-distinct's default. */
  static final int DEFAULT_MAX_DISTINCT_REACTIONS = 20;

  /** msg.max-pinned-messages' default. */
  static final int DEFAULT_MAX_PINNED_MESSAGES = 50;

  LogOutcome decide(LogCommand command, BatchContext ctx) {
    try {
      return switch (command) {
        case Send s -> send(s, ctx);
        case Recall r -> recall(r, ctx);
        case Edit e -> edit(e, ctx);
        case React r -> react(r, ctx);
        case Pin p -> pin(p, ctx);
        case CreateGroup g -> create(g, ctx);
        case GroupChange g -> change(g, ctx);
      };
    } catch (ParleyException e) {
      return new Refused(e);
    }
  }

  // --- messages ---

  private LogOutcome send(Send s, BatchContext ctx) {
    LockedConversation c = ctx.conversation(s.conversationId());
    MemberRow me = c == null ? null : c.member(s.actorId());
    if (c == null || me == null) throw notFound();
    Entry before = ctx.earlierSend(new ClientKey(c.id, s.actorId(), s.clientMsgId()));
    if (before != null) return new Duplicate(before);
    requireOpen(c, me);
    long[] recipients = c.activeUserIds();
    long[] feedUsers = NOBODY;
    if (c.direct()) {
      ParleyException refused = ctx.directChatRefusal(s.actorId(), c.peerOf(s.actorId()));
      if (refused != null) throw refused;
      feedUsers = recipients;
    }
    // Checked before the send was queued; its content may have been deleted since.
    if (ctx.fileGone(s.content())) throw new ParleyException(Reason.NOT_FOUND, "No such file");
    Extras.Quote quote = null;
    if (s.replyToSeq() != 0) {
      Entry original = visibleMessage(ctx, c, me, s.replyToSeq(), "reply_to_seq");
      quote =
          original.recalled()
              ? new Extras.Quote(original.seq(), original.senderId(), "", true)
              : Extras.Quote.of(
                  original.seq(), original.senderId(), Objects.requireNonNull(original.content()));
    }
    checkMentions(c, me, s.mentions());
    return stored(
        ctx.append(
            c,
            s.actorId(),
            s.clientMsgId(),
            s.content(),
            Extras.of(quote, s.mentions(), s.forward()),
            s.replyToSeq(),
            recipients,
            feedUsers));
  }

  /**
   * Edits: the sender only (admins have no power over others' texts), within the edit window, never
   * a recalled message, only a text or a caption (design.md 13).
   */
  private LogOutcome edit(Edit e, BatchContext ctx) {
    LockedConversation c = ctx.conversation(e.conversationId());
    MemberRow me = c == null ? null : c.member(e.actorId());
    if (c == null || me == null) throw notFound();
    Entry target = visibleMessage(ctx, c, me, e.seq(), "seq");
    requireOpen(c, me);
    if (target.senderId() != e.actorId()) throw denied("Only the sender can edit a message");
    if (target.recalled())
      throw new ParleyException(Reason.MESSAGE_RECALLED, "This message was recalled");
    if (Duration.between(target.createdAt(), ctx.now()).compareTo(editWindow) > 0)
      throw new ParleyException(
          Reason.EDIT_WINDOW_PASSED, "The edit window for this message has passed");
    Content content = Objects.requireNonNull(target.content());
    Content edited = Editable.edited(content, e.text());
    if (edited == null)
      throw new ParleyException(
          Reason.MESSAGE_NOT_EDITABLE, "Only a text or a caption can be edited");
    if (content instanceof Content.Text && e.text().isEmpty())
      throw ParleyException.invalid("text", "text must not be empty");
    if (!(content instanceof Content.Text)
        && e.text().codePointCount(0, e.text().length()) > Editable.MAX_CAPTION)
      throw ParleyException.invalid(
          "text", "A caption is at most " + Editable.MAX_CAPTION + " characters");
    if (!e.mentions().isEmpty() && !(content instanceof Content.Text))
      throw ParleyException.invalid("mentions", "Only a text can mention members");
    checkMentions(c, me, e.mentions());
    Extras mentions = Extras.of(null, e.mentions());
    ctx.edit(
        c, target, target.editedAt(edited, target.extras().withMentions(e.mentions()), ctx.now()));
    long[] recipients = c.activeUserIds();
    long[] feedUsers = c.direct() ? recipients : NOBODY;
    return stored(
        ctx.append(
            c,
            e.actorId(),
            null,
            new Content.Edit(target.seq(), e.text()),
            mentions,
            target.seq(),
            recipients,
            feedUsers));
  }

  /**
   * Reactions (design.md 13.4): any current member on a message they can see that is not recalled;
   * in a one-to-one chat not across a block. The same set again writes nothing.
   */
  private LogOutcome react(React r, BatchContext ctx) {
    LockedConversation c = ctx.conversation(r.conversationId());
    MemberRow me = c == null ? null : c.member(r.actorId());
    if (c == null || me == null) throw notFound();
    Entry target = ctx.target(c.id, r.seq());
    if (target == null || !me.canSee(target.seq(), c.head))
      throw new ParleyException(Reason.NOT_FOUND, "No such message");
    if (!target.kind().countable)
      throw ParleyException.invalid("seq", "Only a message can get reactions");
    requireOpen(c, me);
    if (target.recalled())
      throw new ParleyException(Reason.MESSAGE_RECALLED, "This message was recalled");
    if (c.direct()) {
      ParleyException refused = ctx.directChatRefusal(r.actorId(), c.peerOf(r.actorId()));
      if (refused != null) throw refused;
    }
    ReactionTally tally = ctx.reactions(c, target.seq());
    if (Set.copyOf(tally.of(r.actorId())).equals(Set.copyOf(r.emoji()))) return new Unchanged();
    if (tally.distinctAfter(r.actorId(), r.emoji()) > maxDistinctReactions)
      throw new ParleyException(
          Reason.TOO_MANY_REACTIONS,
          "A message has at most " + maxDistinctReactions + " different reactions");
    ctx.react(c, target.seq(), r.actorId(), r.emoji());
    long[] recipients = c.activeUserIds();
    long[] feedUsers = c.direct() ? recipients : NOBODY;
    return stored(
        ctx.append(
            c,
            r.actorId(),
            null,
            new Content.Reaction(target.seq(), r.emoji(), tally.counts()),
            target.seq(),
            recipients,
            feedUsers));
  }

  /**
   * Pins (design.md 13.5): group admins and the owner, both users of a one-to-one chat (not across
   * a block), on a message they can see; a recalled message cannot be pinned (its recall unpinned
   * it), and a conversation holds at most maxPinnedMessages. Pinning a pinned message, or unpinning
   * one that is not, writes nothing.
   */
  private LogOutcome pin(Pin p, BatchContext ctx) {
    LockedConversation c = ctx.conversation(p.conversationId());
    MemberRow me = c == null ? null : c.member(p.actorId());
    if (c == null || me == null) throw notFound();
    Entry target = ctx.target(c.id, p.seq());
    if (target == null || !me.canSee(target.seq(), c.head))
      throw new ParleyException(Reason.NOT_FOUND, "No such message");
    if (!target.kind().countable)
      throw ParleyException.invalid("seq", "Only a message can be pinned");
    requireOpen(c, me);
    if (c.group() && me.role() < MemberRow.ADMIN)
      throw denied("Only group admins and the owner can pin messages");
    if (c.direct()) {
      ParleyException refused = ctx.directChatRefusal(p.actorId(), c.peerOf(p.actorId()));
      if (refused != null) throw refused;
    }
    Set<Long> pinned = ctx.pinned(c);
    if (pinned.contains(target.seq()) == p.pinned()) return new Unchanged();
    if (p.pinned() && target.recalled())
      throw new ParleyException(Reason.MESSAGE_RECALLED, "This message was recalled");
    if (p.pinned() && pinned.size() >= maxPinnedMessages)
      throw new ParleyException(
          Reason.TOO_MANY_PINNED_MESSAGES,
          "A conversation has at most " + maxPinnedMessages + " pinned messages");
    long[] recipients = c.activeUserIds();
    long[] feedUsers = c.direct() ? recipients : NOBODY;
    Entry entry =
        ctx.append(
            c,
            p.actorId(),
            null,
            new Content.Pin(target.seq(), p.pinned()),
            target.seq(),
            recipients,
            feedUsers);
    ctx.pinChanged(c, entry);
    return stored(entry);
  }

  /** The message (text, image, file) at {@code seq} that {@code me} may see, recalled or not. */
  private static Entry visibleMessage(
      BatchContext ctx, LockedConversation c, MemberRow me, long seq, String field) {
    Entry target = ctx.target(c.id, seq);
    if (target == null || !me.canSee(target.seq(), c.head))
      throw new ParleyException(Reason.NOT_FOUND, "No such message");
    if (!target.kind().countable) {
      if (field.equals("seq"))
        throw new ParleyException(
            Reason.MESSAGE_NOT_EDITABLE, "Only a text or a caption can be edited");
      throw ParleyException.invalid(field, "Only a message can be answered");
    }
    return target;
  }

  /** Mentioned users are current members; @all only from group admins and the owner. */
  private static void checkMentions(LockedConversation c, MemberRow me, List<Extras.Mention> ms) {
    for (Extras.Mention m : ms) {
      if (m.userId() == Extras.Mention.ALL) {
        if (!c.group() || me.role() < MemberRow.ADMIN)
          throw denied("Only group admins and the owner can mention @all");
        continue;
      }
      MemberRow u = c.member(m.userId());
      if (u == null || !u.active())
        throw ParleyException.invalid("mentions", "Only members can be mentioned");
    }
  }

  private LogOutcome recall(Recall r, BatchContext ctx) {
    LockedConversation c = ctx.conversation(r.conversationId());
    MemberRow me = c == null ? null : c.member(r.actorId());
    if (c == null || me == null) throw notFound();
    Entry target = ctx.target(c.id, r.seq());
    if (target == null || !me.canSee(target.seq(), c.head))
      throw new ParleyException(Reason.NOT_FOUND, "No such message");
    if (!target.kind().countable)
      throw ParleyException.invalid("seq", "Only messages can be recalled");
    if (target.recalled()) {
      Entry recall = ctx.recallOf(c.id, target.seq());
      if (recall != null) return new Duplicate(recall);
      throw new ParleyException(
          Reason.NOT_FOUND, "No such message"); // its recall entry fell to retention
    }
    requireOpen(c, me);
    boolean own = target.senderId() == r.actorId();
    boolean moderator = c.group() && me.role() >= MemberRow.ADMIN;
    boolean inWindow = Duration.between(target.createdAt(), ctx.now()).compareTo(recallWindow) <= 0;
    if (!moderator && !(own && inWindow)) {
      throw own
          ? new ParleyException(
              Reason.RECALL_WINDOW_PASSED, "The recall window for this message has passed")
          : new ParleyException(
              Reason.PERMISSION_DENIED, "Only the sender or a group admin can recall this message");
    }
    ctx.erase(c, target);
    long[] recipients = c.activeUserIds();
    long[] feedUsers = c.direct() ? recipients : NOBODY;
    return stored(
        ctx.append(
            c,
            r.actorId(),
            null,
            new Content.Recall(target.seq()),
            target.seq(),
            recipients,
            feedUsers));
  }

  // --- groups ---

  private LogOutcome create(CreateGroup g, BatchContext ctx) {
    long[] others = g.memberIds();
    if (others.length + 1 > maxGroupMembers) throw full();
    if (LongStream.of(others).anyMatch(u -> ctx.blocked(u, g.actorId()))) throw blocked();
    LockedConversation c = ctx.createGroup(g.conversationId(), g.title(), g.actorId());
    long seq = c.head + 1;
    c.put(MemberRow.joined(c.id, g.actorId(), MemberRow.OWNER, seq, 0, ctx.now()));
    for (long u : others) c.put(MemberRow.joined(c.id, u, MemberRow.MEMBER, seq, 0, ctx.now()));
    c.memberCount = others.length + 1;
    long[] all = c.activeUserIds();
    Content.Service s =
        new Content.Service(ServiceAction.GROUP_CREATED, g.actorId(), boxed(others), g.title(), 0);
    return stored(append(ctx, c, g.actorId(), s, all, all, seq));
  }

  private LogOutcome change(GroupChange g, BatchContext ctx) {
    LockedConversation c = ctx.conversation(g.conversationId());
    MemberRow me = c == null ? null : c.member(g.actorId());
    if (c == null || me == null) throw notFound();
    if (!c.group())
      throw ParleyException.invalid("conversation_id", "This conversation is not a group");
    if (c.disbanded() || !me.active())
      throw new ParleyException(
          Reason.CONVERSATION_CLOSED, "You are no longer a member of this group");
    return switch (g) {
      case Invite i -> invite(i, c, ctx);
      case Remove r -> remove(r, c, me, ctx);
      case Leave l -> leave(l, c, me, ctx);
      case Rename r -> rename(r, c, me, ctx);
      case SetRole r -> setRole(r, c, me, ctx);
      case Transfer t -> transfer(t, c, me, ctx);
      case Disband d -> {
        if (me.role() != MemberRow.OWNER) throw denied("Only the owner can disband the group");
        yield stored(disband(c, d.actorId(), ctx));
      }
    };
  }

  private LogOutcome invite(Invite i, LockedConversation c, BatchContext ctx) {
    long[] current = c.activeUserIds();
    long[] fresh = LongStream.of(i.userIds()).filter(u -> !contains(current, u)).toArray();
    if (fresh.length == 0)
      throw ParleyException.invalid("user_ids", "Everyone named is a member already");
    if (current.length + fresh.length > maxGroupMembers) throw full();
    if (LongStream.of(fresh).anyMatch(u -> ctx.blocked(u, i.actorId()))) throw blocked();
    long seq = c.head + 1;
    for (long u : fresh) {
      MemberRow former = c.member(u);
      c.put(
          MemberRow.joined(
              c.id, u, MemberRow.MEMBER, seq, former == null ? 0 : former.readSeq(), ctx.now()));
    }
    c.memberCount = current.length + fresh.length;
    Content.Service s = Content.Service.of(ServiceAction.MEMBERS_ADDED, i.actorId(), boxed(fresh));
    return stored(append(ctx, c, i.actorId(), s, union(current, fresh), fresh, seq));
  }

  private LogOutcome remove(Remove r, LockedConversation c, MemberRow me, BatchContext ctx) {
    if (me.role() < MemberRow.ADMIN) throw denied("Only admins and the owner can remove members");
    MemberRow target = activeMember(c, r.userId());
    if (me.role() != MemberRow.OWNER && target.role() != MemberRow.MEMBER)
      throw denied("Only the owner can remove an admin");
    long seq = c.head + 1;
    c.put(target.leftAt(seq, ctx.now()));
    long[] after = c.activeUserIds();
    c.memberCount = after.length;
    Content.Service s =
        Content.Service.of(ServiceAction.MEMBER_REMOVED, r.actorId(), List.of(r.userId()));
    Entry removal =
        append(ctx, c, r.actorId(), s, union(after, r.userId()), new long[] {r.userId()}, seq);
    ctx.departed(c, seq, r.userId());
    return stored(removal);
  }

  private LogOutcome leave(Leave l, LockedConversation c, MemberRow me, BatchContext ctx) {
    List<MemberRow> before = c.active();
    long[] recipients = c.activeUserIds();
    if (before.size() == 1) return stored(disband(c, l.actorId(), ctx));
    long seq = c.head + 1;
    long[] leaver = {l.actorId()};
    Content.Service left = Content.Service.of(ServiceAction.MEMBER_LEFT, l.actorId(), List.of());
    if (me.role() != MemberRow.OWNER) {
      c.put(me.leftAt(seq, ctx.now()));
      c.memberCount = before.size() - 1;
      Entry leaving = append(ctx, c, l.actorId(), left, recipients, leaver, seq);
      ctx.departed(c, seq, leaver);
      return stored(leaving);
    }
    MemberRow heir =
        before.stream().filter(m -> m.userId() != l.actorId()).min(SUCCESSION).orElseThrow();
    c.put(heir.withRole(MemberRow.OWNER));
    c.ownerId = heir.userId();
    c.put(
        me.withRole(MemberRow.ADMIN)
            .leftAt(seq + 1, ctx.now())); // an admin as after a transfer, then gone
    c.memberCount = before.size() - 1;
    Content.Service handedOver =
        Content.Service.of(ServiceAction.OWNER_CHANGED, l.actorId(), List.of(heir.userId()));
    Entry first = append(ctx, c, l.actorId(), handedOver, recipients, NOBODY, seq);
    Entry second = append(ctx, c, l.actorId(), left, recipients, leaver, seq + 1);
    ctx.departed(c, seq + 1, leaver);
    return new Stored(List.of(first, second));
  }

  private LogOutcome rename(Rename r, LockedConversation c, MemberRow me, BatchContext ctx) {
    if (me.role() < MemberRow.ADMIN) throw denied("Only admins and the owner can rename the group");
    if (r.title().equals(c.title)) return new Unchanged();
    c.title = r.title();
    Content.Service s =
        new Content.Service(ServiceAction.TITLE_CHANGED, r.actorId(), List.of(), r.title(), 0);
    return stored(append(ctx, c, r.actorId(), s, c.activeUserIds(), NOBODY, c.head + 1));
  }

  private LogOutcome setRole(SetRole r, LockedConversation c, MemberRow me, BatchContext ctx) {
    if (me.role() != MemberRow.OWNER) throw denied("Only the owner can change roles");
    MemberRow target = activeMember(c, r.userId());
    if (target.role() == r.role()) return new Unchanged();
    c.put(target.withRole(r.role()));
    Content.Service s =
        new Content.Service(
            ServiceAction.ROLE_CHANGED, r.actorId(), List.of(r.userId()), "", r.role());
    return stored(append(ctx, c, r.actorId(), s, c.activeUserIds(), NOBODY, c.head + 1));
  }

  private LogOutcome transfer(Transfer t, LockedConversation c, MemberRow me, BatchContext ctx) {
    if (me.role() != MemberRow.OWNER) throw denied("Only the owner can transfer ownership");
    MemberRow target = activeMember(c, t.userId());
    c.put(target.withRole(MemberRow.OWNER));
    c.put(me.withRole(MemberRow.ADMIN));
    c.ownerId = t.userId();
    Content.Service s =
        Content.Service.of(ServiceAction.OWNER_CHANGED, t.actorId(), List.of(t.userId()));
    return stored(append(ctx, c, t.actorId(), s, c.activeUserIds(), NOBODY, c.head + 1));
  }

  /**
   * Everybody current leaves at the GROUP_DISBANDED entry, which reaches all of them and their
   * feeds.
   */
  private Entry disband(LockedConversation c, long actorId, BatchContext ctx) {
    long seq = c.head + 1;
    long[] everyone = c.activeUserIds();
    for (MemberRow m : c.active()) c.put(m.leftAt(seq, ctx.now()));
    c.disbandedAt = ctx.now();
    c.memberCount = 0;
    Content.Service s = Content.Service.of(ServiceAction.GROUP_DISBANDED, actorId, List.of());
    Entry disbanded = append(ctx, c, actorId, s, everyone, everyone, seq);
    ctx.departed(c, seq, everyone);
    return disbanded;
  }

  /**
   * Appends a service entry; {@code expectedSeq} is the seq the member rows already used, which the
   * context hands out because this transaction holds the conversation.
   */
  private static Entry append(
      BatchContext ctx,
      LockedConversation c,
      long actorId,
      Content.Service s,
      long[] recipients,
      long[] feedUsers,
      long expectedSeq) {
    Entry e = ctx.append(c, actorId, null, s, 0, recipients, feedUsers);
    if (e.seq() != expectedSeq)
      throw new IllegalStateException(
          "entry got seq " + e.seq() + ", member rows used " + expectedSeq);
    return e;
  }

  // --- helpers ---

  private static LogOutcome stored(Entry e) {
    return new Stored(List.of(e));
  }

  private static void requireOpen(LockedConversation c, MemberRow me) {
    if (c.disbanded() || !me.active()) {
      throw new ParleyException(
          Reason.CONVERSATION_CLOSED, "You can no longer write to this conversation");
    }
  }

  private static MemberRow activeMember(LockedConversation c, long userId) {
    MemberRow m = c.member(userId);
    if (m == null || !m.active())
      throw new ParleyException(Reason.NOT_FOUND, "That user is not a member of this group");
    return m;
  }

  static ParleyException notFound() {
    return new ParleyException(Reason.NOT_FOUND, "No such conversation");
  }

  private ParleyException full() {
    return new ParleyException(
        Reason.GROUP_FULL, "A group has at most " + maxGroupMembers + " members");
  }

  private static ParleyException blocked() {
    return new ParleyException(Reason.BLOCKED, "Some of these users cannot be added by you");
  }

  private static ParleyException denied(String message) {
    return new ParleyException(Reason.PERMISSION_DENIED, message);
  }

  /** The ascending union of {@code a} and {@code b}: recipients must be sorted. */
  private static long[] union(long[] a, long... b) {
    return LongStream.concat(LongStream.of(a), LongStream.of(b)).distinct().sorted().toArray();
  }

  private static boolean contains(long[] sorted, long id) {
    return Arrays.binarySearch(sorted, id) >= 0;
  }

  private static List<Long> boxed(long[] ids) {
    return LongStream.of(ids).boxed().toList();
  }
}
