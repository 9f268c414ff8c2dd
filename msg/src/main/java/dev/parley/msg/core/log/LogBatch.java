package dev.parley.msg.core.log;

import dev.parley.common.error.ParleyException;
import dev.parley.common.id.Snowflake;
import dev.parley.msg.core.FileAttachments;
import dev.parley.msg.core.FileAttachments.EntryRef;
import dev.parley.msg.core.RelationRules;
import dev.parley.msg.core.content.Content;
import dev.parley.msg.core.content.Extras;
import dev.parley.msg.core.content.ReactionTally;
import dev.parley.msg.core.log.LogCommand.CreateGroup;
import dev.parley.msg.core.log.LogCommand.Edit;
import dev.parley.msg.core.log.LogCommand.Invite;
import dev.parley.msg.core.log.LogCommand.Pin;
import dev.parley.msg.core.log.LogCommand.React;
import dev.parley.msg.core.log.LogCommand.Recall;
import dev.parley.msg.core.log.LogCommand.Remove;
import dev.parley.msg.core.log.LogCommand.Send;
import dev.parley.msg.core.log.LogCommand.SetRole;
import dev.parley.msg.core.log.LogCommand.Transfer;
import dev.parley.msg.feed.FeedItem;
import dev.parley.msg.store.BatchStatements;
import dev.parley.msg.store.Conversations;
import dev.parley.msg.store.Entries;
import dev.parley.msg.store.Entries.ClientKey;
import dev.parley.msg.store.Entry;
import dev.parley.msg.store.EntryKind;
import dev.parley.msg.store.Feed;
import dev.parley.msg.store.FormerView;
import dev.parley.msg.store.MemberRow;
import dev.parley.msg.store.Mentions;
import dev.parley.msg.store.PairLocks;
import dev.parley.msg.store.Pins;
import dev.parley.msg.store.Reactions;
import dev.parley.msg.store.Relations.Pair;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.LongStream;
import org.jdbi.v3.core.Handle;
import org.jspecify.annotations.Nullable;

/**
 * One transaction of the {@link LogWriter}: applies a batch of commands in three round trips
 * whatever the batch holds (design.md 8.2, 8.10):
 *
 * <ol>
 *   <li><b>lock and load</b> (one call, {@link BatchStatements#lockAndLoad}): every conversation
 *       row the batch names, ascending id; then, under the locks, their members, earlier attempts
 *       of the sends, blocks and friendships. Before it, and only for first messages of pairs
 *       without a conversation, the pairs' locks (ascending key) and a look-up;
 *   <li><b>decide</b> each command in order ({@link CommandRules}) against the in-memory model,
 *       which each decision updates (no round trip); recall targets are read here when the batch
 *       has recalls;
 *   <li><b>write</b> (one call, {@link BatchStatements#write}): entries, conversation rows, member
 *       rows, feed heads and rows; new conversations and erased contents before it, and the views
 *       of ended memberships after it, when there are any;
 *   <li>the commit.
 * </ol>
 *
 * <p>Lock order (design.md 8.2): pair locks, conversation rows, member rows, feed heads. Rows this
 * batch inserts are invisible to others until the commit, so nobody can wait for them.
 */
final class LogBatch {

  /** Outcomes in command order, and the entries to publish once the transaction committed. */
  record Result(List<LogOutcome> outcomes, List<Appended> appended) {}

  private final Conversations conversations;
  private final BatchStatements statements;
  private final Entries entries;
  private final Feed feed;
  private final RelationRules relationRules;
  private final FileAttachments files;
  private final Snowflake ids;
  private final CommandRules rules;

  /** Stateless table access; the mention rows are part of the batch (design.md 13). */
  private final Mentions mentions = new Mentions();

  /** Stateless table access; reaction rows are part of the batch too (design.md 13.4). */
  private final Reactions reactionRows = new Reactions();

  /** Stateless table access; pin rows are part of the batch too (design.md 13.5). */
  private final Pins pinRows = new Pins();

  LogBatch(
      Conversations conversations,
      BatchStatements statements,
      Entries entries,
      Feed feed,
      RelationRules relationRules,
      FileAttachments files,
      Snowflake ids,
      CommandRules rules) {
    this.conversations = conversations;
    this.statements = statements;
    this.entries = entries;
    this.feed = feed;
    this.relationRules = relationRules;
    this.files = files;
    this.ids = ids;
    this.rules = rules;
  }

  /** Runs inside the caller's write transaction. */
  Result run(Handle h, List<LogCommand> commands, Instant now) {
    return new Run(h, now).run(commands);
  }

  /** An append decided in this transaction, before feed positions are known. */
  private record Pending(Entry entry, long[] recipients, long[] feedUsers) {}

  /** The state of one transaction. */
  private final class Run implements BatchContext {
    private final Handle h;
    private final Instant now;
    private final Map<Long, LockedConversation> locked = new HashMap<>();

    /** Conversation id of each first message's pair ("lo:hi"). */
    private final Map<String, Long> directIds = new HashMap<>();

    private final Map<ClientKey, Entry> earlier = new HashMap<>();
    private Set<Pair> blocks = Set.of();
    private Set<Pair> friendships = Set.of();
    private final Map<String, Entry> targets = new HashMap<>();
    private final Map<String, Entry> recalls = new HashMap<>();
    private final List<Pending> appended = new ArrayList<>();
    private final Map<String, Entry> erased = new LinkedHashMap<>();

    /** Targets edited by this batch, as they read now (keyed like targets). */
    private final Map<String, Entry> edited = new LinkedHashMap<>();

    /** The index in appended of the newest edit entry of each target of this batch. */
    private final Map<String, Integer> pendingEdits = new HashMap<>();

    /** The reactions on the messages this batch's reactions name, keyed like targets. */
    private final Map<String, ReactionTally> tallies = new HashMap<>();

    /** Reaction rows this batch deletes and inserts, in decision order. */
    private final List<Reactions.Row> reactionsRemoved = new ArrayList<>();

    private final List<Reactions.Row> reactionsAdded = new ArrayList<>();

    /** The pinned messages of the conversations this batch pins in. */
    private final BatchPins pins = new BatchPins(pinRows);

    /** The views of the memberships this batch ended, in decision order. */
    private final List<FormerView> departures = new ArrayList<>();

    /** The files of this batch's sends that can be referenced (locked, live). */
    private Set<Long> usableFiles = Set.of();

    /** Conversations this batch creates (groups, first messages' directs), in creation order. */
    private final List<LockedConversation> created = new ArrayList<>();

    Run(Handle h, Instant now) {
      this.h = h;
      this.now = now;
    }

    Result run(List<LogCommand> given) {
      createMissingDirects(given);
      List<LogCommand> commands = given.stream().map(this::resolved).toList();
      lockAndLoad(commands);
      lockFiles(commands);
      List<LogOutcome> outcomes = new ArrayList<>(commands.size());
      for (LogCommand c : commands) outcomes.add(rules.decide(c, this));
      if (appended.isEmpty()) return new Result(outcomes, List.of());
      return new Result(outcomes, write());
    }

    /**
     * A first message with its pair's conversation filled in (found or created by
     * createMissingDirects).
     */
    private LogCommand resolved(LogCommand c) {
      if (c instanceof Send s && s.conversationId() == 0) {
        long id =
            Objects.requireNonNull(directIds.get(Conversations.pairKey(s.actorId(), s.peerId())));
        return new Send(
            s.actorId(),
            id,
            s.peerId(),
            s.clientMsgId(),
            s.content(),
            s.replyToSeq(),
            s.mentions(),
            s.forward());
      }
      return c;
    }

    // --- lock and load ---

    /**
     * @param commands with every first message resolved to its pair's conversation
     */
    private void lockAndLoad(List<LogCommand> commands) {
      TreeSet<Long> toLock = new TreeSet<>();
      Set<Long> named = new HashSet<>();
      for (LogCommand c : commands) {
        named.add(c.actorId());
        switch (c) {
          case Send s -> {
            if (s.conversationId() != 0) toLock.add(s.conversationId());
          }
          case Recall r -> toLock.add(r.conversationId());
          case Edit e -> toLock.add(e.conversationId());
          case React r -> toLock.add(r.conversationId());
          case Pin p -> toLock.add(p.conversationId());
          case CreateGroup g -> {}
          case LogCommand.GroupChange g -> toLock.add(g.conversationId());
        }
        switch (c) {
          case Invite i -> LongStream.of(i.userIds()).forEach(named::add);
          case Remove r -> named.add(r.userId());
          case SetRole r -> named.add(r.userId());
          case Transfer t -> named.add(t.userId());
          default -> {}
        }
      }
      toLock.removeAll(locked.keySet()); // created here: ours already
      BatchStatements.Loaded loaded =
          statements.lockAndLoad(
              h,
              toLock.stream().mapToLong(Long::longValue).toArray(),
              named.stream().mapToLong(Long::longValue).toArray(),
              sendKeys(commands),
              explicitBlockPairs(commands),
              explicitFriendPairs(commands),
              sendsToExisting(commands),
              relationRules.friendsOnly());
      loaded
          .conversations()
          .values()
          .forEach(row -> locked.put(row.conversationId(), LockedConversation.locked(row)));
      for (MemberRow m : loaded.members())
        Objects.requireNonNull(locked.get(m.conversationId())).load(m);
      earlier.putAll(loaded.earlier());
      blocks = loaded.blocks();
      friendships = loaded.friendships();
      loadTargets(commands);
    }

    /**
     * First messages: finds each pair's conversation, and creates the missing ones under the pairs'
     * locks (so that a concurrent block serializes with this message, design.md 8.7).
     */
    private void createMissingDirects(List<LogCommand> commands) {
      List<Send> firsts = new ArrayList<>();
      for (LogCommand c : commands)
        if (c instanceof Send s && s.conversationId() == 0) firsts.add(s);
      if (firsts.isEmpty()) return;
      long[] as = firsts.stream().mapToLong(Send::actorId).toArray();
      long[] bs = firsts.stream().mapToLong(Send::peerId).toArray();
      directIds.putAll(conversations.directs(h, as, bs));
      TreeMap<Integer, List<Send>> missing = new TreeMap<>();
      for (Send s : firsts) {
        if (!directIds.containsKey(Conversations.pairKey(s.actorId(), s.peerId()))) {
          missing
              .computeIfAbsent(PairLocks.key(s.actorId(), s.peerId()), k -> new ArrayList<>())
              .add(s);
        }
      }
      if (missing.isEmpty()) return;
      for (int key : missing.keySet()) PairLocks.lock(h, key);
      // A concurrent first message of the same pair may have created it while we waited.
      List<Send> still = missing.values().stream().flatMap(List::stream).toList();
      directIds.putAll(
          conversations.directs(
              h,
              still.stream().mapToLong(Send::actorId).toArray(),
              still.stream().mapToLong(Send::peerId).toArray()));
      for (Send s : still) {
        String pair = Conversations.pairKey(s.actorId(), s.peerId());
        if (directIds.containsKey(pair)) continue;
        // Inserted at write time, and only if a message of this batch goes in (we hold the pair's
        // lock).
        LockedConversation c =
            LockedConversation.newDirect(ids.next(), s.actorId(), s.peerId(), now);
        locked.put(c.id, c);
        created.add(c);
        directIds.put(pair, c.id);
      }
    }

    private List<ClientKey> sendKeys(List<LogCommand> commands) {
      List<ClientKey> keys = new ArrayList<>();
      for (LogCommand c : commands) {
        if (c instanceof Send s)
          keys.add(new ClientKey(s.conversationId(), s.actorId(), s.clientMsgId()));
      }
      return keys;
    }

    /**
     * Sends into conversations that exist already, and pins and reactions (which a block refuses in
     * a one-to-one chat like a send, design.md 13.4, 13.5): for those that are direct (the store
     * knows), it checks the relations of the actor with the other member.
     */
    private List<BatchStatements.Send> sendsToExisting(List<LogCommand> commands) {
      List<BatchStatements.Send> out = new ArrayList<>();
      for (LogCommand c : commands) {
        if (c instanceof Send s
            && !(locked.get(s.conversationId()) instanceof LockedConversation conv
                && conv.created)) {
          out.add(new BatchStatements.Send(s.conversationId(), s.actorId()));
        }
        if (c instanceof Pin p) out.add(new BatchStatements.Send(p.conversationId(), p.actorId()));
        if (c instanceof React r)
          out.add(new BatchStatements.Send(r.conversationId(), r.actorId()));
      }
      return out;
    }

    /**
     * Blocks to check by name: invitees against the inviter, and both ways for first messages of
     * new pairs.
     */
    private Set<Pair> explicitBlockPairs(List<LogCommand> commands) {
      Set<Pair> pairs = new HashSet<>();
      for (LogCommand c : commands) {
        switch (c) {
          case CreateGroup g ->
              LongStream.of(g.memberIds()).forEach(u -> pairs.add(new Pair(u, g.actorId())));
          case Invite i ->
              LongStream.of(i.userIds()).forEach(u -> pairs.add(new Pair(u, i.actorId())));
          case Send s -> {
            if (locked.get(s.conversationId()) instanceof LockedConversation conv && conv.created) {
              pairs.add(new Pair(s.actorId(), s.peerId()));
              pairs.add(new Pair(s.peerId(), s.actorId()));
            }
          }
          default -> {}
        }
      }
      return pairs;
    }

    /** Friendships to check by name (friends-only servers): first messages of new pairs. */
    private Set<Pair> explicitFriendPairs(List<LogCommand> commands) {
      Set<Pair> pairs = new HashSet<>();
      if (!relationRules.friendsOnly()) return pairs;
      for (LogCommand c : commands) {
        if (c instanceof Send s
            && locked.get(s.conversationId()) instanceof LockedConversation conv
            && conv.created) {
          pairs.add(new Pair(s.actorId(), s.peerId()));
        }
      }
      return pairs;
    }

    /** The entries this batch's recalls, edits and replies name: one round trip, when any. */
    private void loadTargets(List<LogCommand> commands) {
      List<long[]> named = new ArrayList<>();
      for (LogCommand c : commands) {
        switch (c) {
          case Recall r -> named.add(new long[] {r.conversationId(), r.seq()});
          case Edit e -> named.add(new long[] {e.conversationId(), e.seq()});
          case React r -> named.add(new long[] {r.conversationId(), r.seq()});
          case Pin p -> named.add(new long[] {p.conversationId(), p.seq()});
          case Send s when s.replyToSeq() != 0 ->
              named.add(new long[] {s.conversationId(), s.replyToSeq()});
          default -> {}
        }
      }
      if (named.isEmpty()) return;
      for (Entry e :
          entries.byKeys(
              h,
              named.stream().mapToLong(k -> k[0]).toArray(),
              named.stream().mapToLong(k -> k[1]).toArray())) {
        targets.put(key(e.conversationId(), e.seq()), e);
      }
      loadReactions(commands);
      pins.load(
          h,
          commands.stream()
              .filter(c -> c instanceof Pin)
              .mapToLong(c -> ((Pin) c).conversationId())
              .distinct()
              .toArray());
      List<Entry> gone = targets.values().stream().filter(Entry::recalled).toList();
      if (!gone.isEmpty()) {
        recalls.putAll(
            entries.recallsOf(
                h,
                gone.stream().mapToLong(Entry::conversationId).toArray(),
                gone.stream().mapToLong(Entry::seq).toArray()));
      }
    }

    /** The stored reactions on the messages this batch's reactions name: one round trip, if any. */
    private void loadReactions(List<LogCommand> commands) {
      List<React> all = new ArrayList<>();
      for (LogCommand c : commands) if (c instanceof React r) all.add(r);
      if (all.isEmpty()) return;
      Map<String, List<ReactionTally.Reaction>> stored =
          reactionRows.load(
              h,
              all.stream().mapToLong(React::conversationId).toArray(),
              all.stream().mapToLong(React::seq).toArray());
      for (React r : all) {
        String k = key(r.conversationId(), r.seq());
        tallies.computeIfAbsent(k, x -> ReactionTally.of(stored.getOrDefault(k, List.of())));
      }
    }

    /**
     * The content of the files this batch's sends attach, and of the files its recalls' targets
     * reference, is locked after the conversations (design.md 11.3): a reference either commits
     * before the file janitor claims the content, or finds it being deleted. Nothing to do, and no
     * round trip, for batches without files or recalls.
     */
    private void lockFiles(List<LogCommand> commands) {
      long[] attached =
          commands.stream()
              .map(c -> c instanceof Send s ? FileAttachments.fileOf(s.content()) : null)
              .filter(Objects::nonNull)
              .mapToLong(Long::longValue)
              .distinct()
              .toArray();
      List<EntryRef> releasing =
          commands.stream()
              .map(
                  c -> c instanceof Recall r ? targets.get(key(r.conversationId(), r.seq())) : null)
              .filter(e -> e != null && !e.recalled())
              .map(e -> new EntryRef(e.conversationId(), e.seq()))
              .distinct()
              .toList();
      if (attached.length == 0 && releasing.isEmpty()) return;
      usableFiles = files.lock(h, attached, releasing);
    }

    // --- BatchContext ---

    @Override
    public boolean fileGone(Content content) {
      Long file = FileAttachments.fileOf(content);
      return file != null && !usableFiles.contains(file);
    }

    @Override
    public Instant now() {
      return now;
    }

    @Override
    public @Nullable LockedConversation conversation(long conversationId) {
      return locked.get(conversationId);
    }

    @Override
    public LockedConversation createGroup(long conversationId, String title, long ownerId) {
      LockedConversation c = LockedConversation.newGroup(conversationId, title, ownerId, now);
      locked.put(conversationId, c);
      created.add(c);
      return c;
    }

    @Override
    public @Nullable Entry earlierSend(ClientKey key) {
      return earlier.get(key);
    }

    @Override
    public @Nullable ParleyException directChatRefusal(long from, long to) {
      return relationRules.directChat(from, to, blocks, friendships);
    }

    @Override
    public boolean blocked(long blocker, long user) {
      return blocks.contains(new Pair(blocker, user));
    }

    @Override
    public @Nullable Entry target(long conversationId, long seq) {
      return targets.get(key(conversationId, seq));
    }

    @Override
    public @Nullable Entry recallOf(long conversationId, long targetSeq) {
      return recalls.get(key(conversationId, targetSeq));
    }

    @Override
    public Entry append(
        LockedConversation c,
        long senderId,
        @Nullable String clientMsgId,
        Content content,
        Extras extras,
        long refSeq,
        long[] recipients,
        long[] feedUsers) {
      long seq = ++c.head;
      // Never back (a clock step): search bounds its walk by it, so no entry may be newer.
      if (now.isAfter(c.lastActivity)) c.lastActivity = now;
      c.changed = true;
      Entry entry =
          new Entry(
              c.id,
              seq,
              ids.next(),
              senderId,
              clientMsgId,
              content.kind(),
              content,
              extras,
              refSeq,
              now,
              null,
              null);
      MemberRow sender = c.member(senderId);
      // Reacting to or pinning an old message is not reading everything after it (design.md 13.4,
      // 13.5).
      if (sender != null
          && content.kind() != EntryKind.REACTION
          && content.kind() != EntryKind.PIN
          && LongStream.of(recipients).anyMatch(r -> r == senderId)) c.put(sender.readUpTo(seq));
      if (clientMsgId != null) earlier.put(new ClientKey(c.id, senderId, clientMsgId), entry);
      if (content instanceof Content.Recall r) recalls.put(key(c.id, r.targetSeq()), entry);
      if (content instanceof Content.Edit e) {
        String target = key(c.id, e.targetSeq());
        Integer earlierEdit = pendingEdits.put(target, appended.size());
        if (earlierEdit != null) blank(earlierEdit);
      }
      appended.add(new Pending(entry, recipients, feedUsers));
      return entry;
    }

    @Override
    public void erase(LockedConversation c, Entry target) {
      String k = key(c.id, target.seq());
      Entry gone = target.recalledAt(now);
      targets.put(k, gone);
      erased.put(k, gone);
      edited.remove(k);
      pins.recalled(c.id, target.seq());
      Integer pendingEdit = pendingEdits.remove(k);
      if (pendingEdit != null) blank(pendingEdit);
    }

    @Override
    public void edit(LockedConversation c, Entry target, Entry after) {
      String k = key(c.id, target.seq());
      targets.put(k, after);
      edited.put(k, after);
    }

    @Override
    public ReactionTally reactions(LockedConversation c, long seq) {
      return Objects.requireNonNull(tallies.get(key(c.id, seq)), "reactions not loaded");
    }

    @Override
    public ReactionTally.Change react(
        LockedConversation c, long seq, long userId, List<String> emoji) {
      ReactionTally.Change change = reactions(c, seq).set(userId, emoji);
      for (String e : change.removed())
        reactionsRemoved.add(new Reactions.Row(c.id, seq, userId, e));
      for (String e : change.added()) reactionsAdded.add(new Reactions.Row(c.id, seq, userId, e));
      return change;
    }

    @Override
    public Set<Long> pinned(LockedConversation c) {
      return pins.of(c.id);
    }

    @Override
    public void pinChanged(LockedConversation c, Entry entry) {
      pins.changed(entry, entry.content() instanceof Content.Pin p && p.pinned());
    }

    /** An edit entry of this batch loses its content to a later edit or a recall of its target. */
    private void blank(int index) {
      Pending p = appended.get(index);
      appended.set(index, new Pending(p.entry().recalledAt(now), p.recipients(), p.feedUsers()));
    }

    @Override
    public void departed(LockedConversation c, long seq, long... userIds) {
      for (long u : userIds) departures.add(c.formerView(u, seq));
      // Reactions of former members disappear (design.md 13.4); later commands see the counts
      // without them. The stored rows go in write().
      String prefix = c.id + ":";
      tallies.forEach(
          (k, t) -> {
            if (k.startsWith(prefix)) for (long u : userIds) t.remove(u);
          });
    }

    // --- write ---

    private List<Appended> write() {
      for (LockedConversation c : created) {
        if (!c.changed) continue; // nothing went in: a refused first message creates nothing
        conversations.insert(h, c.id, c.type, c.title, c.ownerId, c.memberCount, now);
        if (c.direct() && !conversations.insertDirectPair(h, c.pair()[0], c.pair()[1], c.id)) {
          throw new IllegalStateException(
              "pair " + c.id + " got a conversation while its lock was held");
        }
      }
      List<LockedConversation> changed =
          locked.values().stream()
              .filter(c -> c.changed)
              .sorted((x, y) -> Long.compare(x.id, y.id))
              .toList();
      List<MemberRow> memberRows = new ArrayList<>();
      for (LockedConversation c : changed) memberRows.addAll(c.changedMembers());
      if (!erased.isEmpty()) {
        entries.recallAll(
            h,
            erased.values().stream().mapToLong(Entry::conversationId).toArray(),
            erased.values().stream().mapToLong(Entry::seq).toArray(),
            now);
      }
      followChangedOriginals();
      List<FeedItem> items = new ArrayList<>();
      for (Pending p : appended) {
        for (long u : p.feedUsers())
          items.add(FeedItem.entry(u, p.entry().conversationId(), p.entry().seq()));
      }
      long[] pts =
          statements.write(
              h,
              appended.stream().map(Pending::entry).toList(),
              changed.stream().map(LockedConversation::toRow).toList(),
              memberRows,
              items,
              departures,
              now);
      updateFileRefs();
      writeMentions();
      writeReactions();
      pins.write(
          h,
          erased.values().stream().mapToLong(Entry::conversationId).toArray(),
          erased.values().stream().mapToLong(Entry::seq).toArray());
      return withFeedPositions(pts);
    }

    /**
     * What an edit or a recall of this batch changes besides the target and the appended entry
     * (design.md 13): the stored edits of the target lose their content, the edited target is
     * rewritten, and the quotes in its replies (stored ones, and this batch's) follow it. One round
     * trip to find the replies and up to three statements, only for batches with edits or recalls.
     */
    private void followChangedOriginals() {
      Map<String, Entry> changed = new LinkedHashMap<>(erased);
      changed.putAll(edited);
      if (changed.isEmpty()) return;
      long[] cs = changed.values().stream().mapToLong(Entry::conversationId).toArray();
      long[] ss = changed.values().stream().mapToLong(Entry::seq).toArray();
      entries.eraseEdits(h, cs, ss, now);
      List<Entry> rewritten = new ArrayList<>(edited.values());
      for (Entry reply : entries.repliesTo(h, cs, ss)) {
        Entry original = changed.get(key(reply.conversationId(), reply.refSeq()));
        if (original != null) rewritten.add(followed(reply, original));
      }
      for (int i = 0; i < appended.size(); i++) {
        Pending p = appended.get(i);
        Entry e = p.entry();
        Entry original = changed.get(key(e.conversationId(), e.refSeq()));
        if (original != null && e.kind().countable && e.content() != null)
          appended.set(i, new Pending(followed(e, original), p.recipients(), p.feedUsers()));
      }
      entries.rewrite(h, rewritten);
    }

    /** {@code reply} with its quote taken again from {@code original}. */
    private static Entry followed(Entry reply, Entry original) {
      Extras.Quote q =
          original.content() == null
              ? new Extras.Quote(original.seq(), original.senderId(), "", true)
              : Extras.Quote.of(original.seq(), original.senderId(), original.content());
      return reply.withExtras(reply.extras().withQuote(q));
    }

    /**
     * The mention rows of this batch's messages, and of its edited targets (which replace theirs).
     */
    private void writeMentions() {
      List<Mentions.Rows> rows = new ArrayList<>();
      for (Pending p : appended) {
        Entry e = p.entry();
        if (e.kind().countable && e.content() != null) rows.add(rowsOf(e));
      }
      for (Entry e : edited.values()) rows.add(rowsOf(e));
      if (rows.stream().allMatch(r -> r.userIds().length == 0) && edited.isEmpty()) return;
      mentions.replace(
          h,
          rows,
          edited.values().stream().mapToLong(Entry::conversationId).toArray(),
          edited.values().stream().mapToLong(Entry::seq).toArray());
    }

    private static Mentions.Rows rowsOf(Entry e) {
      return new Mentions.Rows(
          e.conversationId(),
          e.seq(),
          e.extras().mentions().stream().mapToLong(Extras.Mention::userId).distinct().toArray());
    }

    /**
     * The reaction rows of this batch (design.md 13.4): its changes, then the rows of the messages
     * it recalled and of the members whose membership it ended. Up to four statements, only for
     * batches with reactions, recalls or departures.
     */
    private void writeReactions() {
      reactionRows.apply(h, reactionsRemoved, reactionsAdded, now);
      reactionRows.deleteOnMessages(
          h,
          erased.values().stream().mapToLong(Entry::conversationId).toArray(),
          erased.values().stream().mapToLong(Entry::seq).toArray());
      reactionRows.deleteOfMembers(
          h,
          departures.stream().mapToLong(FormerView::conversationId).toArray(),
          departures.stream().mapToLong(FormerView::userId).toArray());
    }

    /** The new messages' file references and the recalled ones' releases, in this transaction. */
    private void updateFileRefs() {
      List<Long> fileIds = new ArrayList<>();
      List<EntryRef> at = new ArrayList<>();
      for (Pending p : appended) {
        Entry e = p.entry();
        Long file = e.content() == null ? null : FileAttachments.fileOf(e.content());
        if (file == null) continue;
        fileIds.add(file);
        at.add(new EntryRef(e.conversationId(), e.seq()));
      }
      if (!fileIds.isEmpty())
        files.reference(h, fileIds.stream().mapToLong(Long::longValue).toArray(), at, now);
      if (!erased.isEmpty()) {
        files.release(
            h,
            erased.values().stream().map(e -> new EntryRef(e.conversationId(), e.seq())).toList(),
            now);
      }
    }

    /**
     * Pairs each recipient of each entry with its feed position ({@code pts}: one per feed user, in
     * order).
     */
    private List<Appended> withFeedPositions(long[] pts) {
      List<Appended> out = new ArrayList<>(appended.size());
      int next = 0;
      for (Pending p : appended) {
        long[] mine = new long[p.recipients().length];
        for (long u : p.feedUsers()) {
          int at = indexOf(p.recipients(), u);
          if (at >= 0) mine[at] = pts[next];
          next++;
        }
        out.add(new Appended(p.entry(), p.recipients(), mine));
      }
      return out;
    }
  }

  private static int indexOf(long[] sorted, long value) {
    int at = java.util.Arrays.binarySearch(sorted, value);
    return at >= 0 ? at : -1;
  }

  private static String key(long conversationId, long seq) {
    return conversationId + ":" + seq;
  }
}
