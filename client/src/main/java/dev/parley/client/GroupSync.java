package dev.parley.client;

import dev.parley.proto.client.Conversation;
import dev.parley.proto.client.ConversationType;
import dev.parley.proto.client.GroupProgress;
import dev.parley.proto.client.Message;
import dev.parley.proto.client.SyncGroupsRequest;
import dev.parley.proto.client.SyncGroupsResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the group logs (design.md 8.3, sync.proto). Since protocol version 2 a group's entries
 * are not in the members' feeds: each group has its own gap-free log, and the device keeps, per
 * group, the seq it holds of it (the summary's {@code last_seq}). Group entries reach the device
 * three ways, and all three go through one rule, per group, strictly in seq order:
 *
 * <ul>
 *   <li>{@code sync_groups} answers: the entries after the seq held of every listed group that
 *       moved. {@link #syncAll} lists every group the store follows (a member, or a former member
 *       whose entries up to the removal are not all held: {@link Membership#following}); while the
 *       answer says {@code more}, it asks again for the groups still behind. An answer is complete
 *       for each group up to its {@code synced_seq}, so its entries are delivered even where
 *       retention left holes, and the group is then held at {@code synced_seq}. {@code not_found}
 *       groups are forgotten (marked left at the seq held, so they are not listed again).
 *   <li>Live updates without pts: every entry of a group reaches its connected members so.
 *   <li>Feed updates: the entries that changed the user's own membership are in the feed too, so
 *       they may arrive both ways; deduplicated by (conversation, seq).
 * </ul>
 *
 * <p><b>Rule G</b>, per group, with {@code held} its seq held: an entry at or below {@code held} is
 * a duplicate; {@code held + 1} is delivered, and the entries kept for the group that now follow
 * are too; a higher one is kept ({@link #waiting}) until the gap closes. The engine gives a gap the
 * gap wait (live entries of one group may arrive slightly out of order) and then repairs it with
 * {@code sync_groups} for that group ({@link #sync}).
 *
 * <p><b>A group the store does not know yet</b> (the user was just added, and the feed update
 * saying so has not been applied; or an entry arrived live first) gets a placeholder summary (type
 * GROUP, held 0) and is synced with seq 0 at once, without the gap wait: the server starts at the
 * user's first visible entry, so no {@code get_conversation} is needed to learn where that is. An
 * entry with seq 1 (the group was just created with the user in it) simply continues held 0.
 *
 * <p>Everything runs on the sync engine's executor; requests are awaited there.
 */
final class GroupSync {
  private static final Logger log = LoggerFactory.getLogger(GroupSync.class);

  /** The most groups one {@code sync_groups} request may list (sync.proto). */
  static final int MAX_GROUPS_PER_REQUEST = 5_000;

  /** Which groups moved in one answer. */
  private record Answered(List<Long> behind, boolean progressed) {}

  private final Connection connection;
  private final SyncStore store;
  private final UpdateApplier applier;
  private final SyncCounters counters;
  private final int entriesPerAnswer;
  private final int groupsPerRequest;

  // Entries that arrived ahead of their group's held seq, per group, by seq. Executor only.
  private final Map<Long, TreeMap<Long, Message>> early = new HashMap<>();

  GroupSync(
      Connection connection,
      SyncStore store,
      UpdateApplier applier,
      SyncCounters counters,
      int entriesPerAnswer,
      int groupsPerRequest) {
    this.connection = connection;
    this.store = store;
    this.applier = applier;
    this.counters = counters;
    this.entriesPerAnswer = entriesPerAnswer;
    this.groupsPerRequest = groupsPerRequest;
  }

  /**
   * Whether an entry that came through the feed belongs to a group, and is therefore applied by its
   * seq here rather than as a feed update: by the conversation's type, or, for a conversation the
   * store does not know (or whose type it never learned), by the entry: a service entry is a
   * group's, anything else in the feed is a one-to-one conversation's.
   */
  boolean isGroupEntry(Message entry) {
    ConversationType type =
        store
            .conversation(entry.getConversationId())
            .map(Conversation::getType)
            .orElse(ConversationType.CONVERSATION_TYPE_UNSPECIFIED);
    return switch (type) {
      case CONVERSATION_TYPE_GROUP -> true;
      case CONVERSATION_TYPE_DIRECT -> false;
      default -> entry.hasService();
    };
  }

  /** Applies a group entry by rule G: delivers what continues the held seq, keeps what is early. */
  void offer(Message entry) {
    keep(entry);
    drain(entry.getConversationId());
  }

  /** Keeps a group entry until the engine has caught up (then {@link #drainAll} applies it). */
  void hold(Message entry) {
    keep(entry);
  }

  /** Applies every kept entry that now continues its group's held seq. */
  void drainAll() {
    for (long conversationId : List.copyOf(early.keySet())) {
      drain(conversationId);
    }
  }

  /** The groups with kept entries that do not continue their held seq: each has a gap. */
  Set<Long> waiting() {
    return Set.copyOf(early.keySet());
  }

  /**
   * Whether the device has never synced this group (held 0): its gap is not a reordering to wait
   * for.
   */
  boolean firstSeen(long conversationId) {
    return store.lastSeq(conversationId) == 0;
  }

  /** Catch-up, after the feed loop: {@code sync_groups} over every group the store follows. */
  void syncAll() {
    List<Long> followed = new ArrayList<>();
    for (Conversation conversation : store.conversations()) {
      if (conversation.getType() != ConversationType.CONVERSATION_TYPE_DIRECT
          && Membership.following(conversation)) {
        followed.add(conversation.getConversationId());
      }
    }
    sync(followed);
  }

  /**
   * {@code sync_groups} for these groups until none is behind: at most {@link #groupsPerRequest}
   * listed per request, each with the seq held when the request leaves. Throws when a request
   * fails; what was applied before stays.
   */
  void sync(List<Long> groupIds) {
    for (int from = 0; from < groupIds.size(); from += groupsPerRequest) {
      List<Long> listed =
          groupIds.subList(from, Math.min(groupIds.size(), from + groupsPerRequest));
      while (!listed.isEmpty()) {
        SyncGroupsRequest.Builder request =
            SyncGroupsRequest.newBuilder().setLimit(entriesPerAnswer);
        for (long id : listed) {
          request.addConversationIds(id).addSeqs(store.lastSeq(id));
        }
        SyncGroupsResponse answer =
            counters.await(connection.syncGroups(request.build()), t -> t.syncGroups++);
        Answered answered = apply(answer);
        if (!answer.getMore()) {
          break;
        }
        if (!answered
            .progressed()) { // a server that keeps saying more without moving: retry later, not in
          // a spin
          throw new IllegalStateException(
              "sync_groups answered more without progress for " + listed);
        }
        listed =
            answered
                .behind(); // empty: more concerned no group listed here; the next catch-up looks
        // again
      }
    }
  }

  private Answered apply(SyncGroupsResponse answer) {
    Map<Long, List<Message>> entries = new HashMap<>();
    for (Message entry : answer.getMessagesList()) {
      entries.computeIfAbsent(entry.getConversationId(), id -> new ArrayList<>()).add(entry);
    }
    List<Long> behind = new ArrayList<>();
    boolean progressed = false;
    for (GroupProgress group : answer.getGroupsList()) {
      long id = group.getConversationId();
      long before = store.lastSeq(id);
      long held = before;
      for (Message entry : entries.getOrDefault(id, List.of())) {
        if (entry.getSeq()
            > held) { // complete up to synced_seq: a hole is an entry retention deleted
          // A listed conversation is a group or one whose type the store never learned (it may be
          // either).
          applier.deliver(entry, ConversationType.CONVERSATION_TYPE_UNSPECIFIED);
          held = entry.getSeq();
          counters.count(t -> t.updates++);
        } else {
          applier.duplicate(entry);
          counters.count(t -> t.duplicates++);
        }
      }
      reached(group);
      progressed |= store.lastSeq(id) > before;
      drain(id);
      if (group.getSyncedSeq() < group.getLastSeq()) {
        behind.add(id);
      }
    }
    for (long id : answer.getNotFoundList()) {
      forget(id);
    }
    return new Answered(behind, progressed);
  }

  /** Holds the group at the answer's synced_seq and takes its membership state. */
  private void reached(GroupProgress group) {
    Conversation current =
        store
            .conversation(group.getConversationId())
            .orElseGet(() -> placeholder(group.getConversationId()));
    Conversation.Builder next =
        current.toBuilder().setLastSeq(Math.max(current.getLastSeq(), group.getSyncedSeq()));
    if (group.getLeft()) {
      next.setLeft(true).setLastVisibleSeq(group.getLastSeq());
    } else if (current.getLeft()) { // added again since: the server knows best
      next.setLeft(false).setLastVisibleSeq(0);
    }
    Conversation updated = next.build();
    if (!updated.equals(current)) {
      store.saveConversation(updated);
    }
  }

  /** The user is not and never was a member: stop listing it, and drop what was kept of it. */
  private void forget(long conversationId) {
    log.debug(
        "{}: group {} is not the user's, no longer following it",
        connection.name(),
        conversationId);
    early.remove(conversationId);
    store
        .conversation(conversationId)
        .ifPresent(
            c ->
                store.saveConversation(
                    c.toBuilder().setLeft(true).setLastVisibleSeq(c.getLastSeq()).build()));
  }

  private void keep(Message entry) {
    long id = entry.getConversationId();
    if (store.conversation(id).isEmpty()) {
      store.saveConversation(
          placeholder(id)); // so that a catch-up lists it even if this process ends first
    }
    if (early.computeIfAbsent(id, g -> new TreeMap<>()).putIfAbsent(entry.getSeq(), entry)
        != null) {
      counters.count(t -> t.duplicates++);
    }
  }

  /**
   * Applies the group's kept entries while they continue its held seq. If delivering fails, the
   * entry stays kept.
   */
  private void drain(long conversationId) {
    TreeMap<Long, Message> kept = early.get(conversationId);
    if (kept == null) {
      return;
    }
    while (!kept.isEmpty()) {
      Message first = kept.firstEntry().getValue();
      Conversation summary = store.conversation(conversationId).orElse(null);
      long held = summary == null ? 0 : summary.getLastSeq();
      if (first.getSeq() <= held) {
        applier.duplicate(first);
        kept.pollFirstEntry();
        counters.count(t -> t.duplicates++);
      } else if (summary != null && !Membership.following(summary)) {
        if (Membership.addsUser(first, applier.self())) {
          // Added again: follow the group anew; the gap to this entry closes by sync_groups.
          store.saveConversation(summary.toBuilder().setLeft(false).setLastVisibleSeq(0).build());
        } else {
          kept.pollFirstEntry(); // beyond the end of a group the user left: not theirs to see
        }
      } else if (first.getSeq() == held + 1) {
        applier.deliver(first, ConversationType.CONVERSATION_TYPE_GROUP);
        kept.pollFirstEntry();
        counters.count(t -> t.updates++);
      } else {
        break;
      }
    }
    if (kept.isEmpty()) {
      early.remove(conversationId);
    }
  }

  private static Conversation placeholder(long conversationId) {
    return Conversation.newBuilder()
        .setConversationId(conversationId)
        .setType(ConversationType.CONVERSATION_TYPE_GROUP)
        .build();
  }
}
