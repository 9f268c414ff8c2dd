package dev.parley.msg.core;

import dev.parley.common.error.ParleyException;
import dev.parley.common.id.Snowflake;
import dev.parley.msg.core.MessageManager.Sent;
import dev.parley.msg.feed.Feed;
import dev.parley.msg.feed.FeedItem;
import dev.parley.msg.store.ConversationRow;
import dev.parley.msg.store.Conversations;
import dev.parley.msg.store.Entries;
import dev.parley.msg.store.Entries.ClientKey;
import dev.parley.msg.store.Entry;
import dev.parley.msg.store.EntryKind;
import dev.parley.msg.store.MemberRow;
import dev.parley.msg.store.Members;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/**
 * Appends a batch of sends to existing conversations in one transaction, with a fixed number of
 * statements whatever the batch size: lock the conversations, read the members, look up earlier
 * attempts, check blocks, then insert the entries, move the heads and read markers, append the feeds.
 *
 * <p>It is {@link ConversationLog#append} and the checks of {@link MessageManager#send}, applied to
 * many sends at once, with the same guarantees: seqs are allocated under the conversation lock and
 * committed with their entries (no holes), a client_msg_id is stored once (an earlier attempt, in
 * the table or earlier in the same batch, answers as a duplicate), and locks are taken in the global
 * order: conversations ascending, then member rows, then feed heads ascending.
 *
 * <p>Each send gets its own outcome; a send that fails a check does not disturb the others.
 */
final class SendTransaction {
  /** One send, already validated for shape (ids, content). */
  record Request(long senderId, long conversationId, String clientMsgId, EntryKind kind, byte[] content) {}

  /** What became of one request: a new entry to publish, an earlier entry, or a refusal. */
  record Outcome(Appended appended, Sent sent, ParleyException refused) {
    static Outcome refused(ParleyException e) {
      return new Outcome(null, null, e);
    }
  }

  private final Conversations conversations;
  private final Members members;
  private final Entries entries;
  private final Feed feed;
  private final RelationRules rules;
  private final Snowflake ids;

  SendTransaction(Conversations conversations, Members members, Entries entries, Feed feed, RelationRules rules, Snowflake ids) {
    this.conversations = conversations;
    this.members = members;
    this.entries = entries;
    this.feed = feed;
    this.rules = rules;
    this.ids = ids;
  }

  /** Runs inside the caller's write transaction; outcomes are in request order. */
  List<Outcome> run(Handle h, List<Request> requests, Instant now) {
    long[] conversationIds = requests.stream().mapToLong(Request::conversationId).distinct().sorted().toArray();
    long[] senderIds = requests.stream().mapToLong(Request::senderId).distinct().toArray();

    Map<Long, ConversationRow> locked = conversations.lockAll(h, conversationIds);
    Map<Long, Map<Long, MemberRow>> memberships = new HashMap<>();
    for (MemberRow m : members.forSends(h, conversationIds, senderIds)) {
      memberships.computeIfAbsent(m.conversationId(), c -> new LinkedHashMap<>()).put(m.userId(), m);
    }
    Map<ClientKey, Entry> earlier = entries.byClientMsgIds(h, requests.stream().map(SendTransaction::key).toList());
    Map<RelationRules.Pair, ParleyException> refusedPairs = rules.refusedDirectChats(h, directPairs(requests, locked, memberships));

    Map<Long, long[]> recipients = new HashMap<>();
    Map<Long, Long> heads = new HashMap<>();
    Map<ClientKey, Entry> inBatch = new HashMap<>();
    List<Outcome> outcomes = new ArrayList<>(requests.size());
    List<Appended> appended = new ArrayList<>();
    for (Request r : requests) {
      ConversationRow conv = locked.get(r.conversationId());
      Map<Long, MemberRow> rows = memberships.getOrDefault(r.conversationId(), Map.of());
      MemberRow me = rows.get(r.senderId());
      if (conv == null || me == null) {
        outcomes.add(Outcome.refused(MessageManager.notFound()));
        continue;
      }
      ClientKey key = key(r);
      Entry before = inBatch.getOrDefault(key, earlier.get(key));
      if (before != null) {
        outcomes.add(new Outcome(null, new Sent(before, true), null));
        continue;
      }
      try {
        MessageManager.requireOpen(conv, me);
      } catch (ParleyException e) {
        outcomes.add(Outcome.refused(e));
        continue;
      }
      if (conv.direct()) {
        ParleyException refused = refusedPairs.get(new RelationRules.Pair(r.senderId(), peer(rows, r.senderId())));
        if (refused != null) {
          outcomes.add(Outcome.refused(refused));
          continue;
        }
      }
      long seq = heads.merge(conv.conversationId(), conv.lastSeq() + 1, (head, first) -> head + 1);
      Entry entry = new Entry(conv.conversationId(), seq, ids.next(), r.senderId(), r.clientMsgId(), r.kind(), r.content(), 0, now, null);
      inBatch.put(key, entry);
      Appended a = new Appended(entry, recipients.computeIfAbsent(conv.conversationId(), c -> activeUserIds(rows)), null);
      appended.add(a);
      outcomes.add(new Outcome(a, new Sent(entry, false), null));
    }
    if (appended.isEmpty()) return outcomes;
    return write(h, outcomes, appended, heads, now);
  }

  private List<Outcome> write(Handle h, List<Outcome> outcomes, List<Appended> appended, Map<Long, Long> heads, Instant now) {
    entries.insertAll(h, appended.stream().map(Appended::entry).toList());
    long[] headIds = heads.keySet().stream().mapToLong(Long::longValue).toArray();
    conversations.advanceAll(h, headIds, Arrays.stream(headIds).map(heads::get).toArray(), now);

    // A message implies its sender read up to it: one marker per (conversation, sender), the highest.
    Map<List<Long>, Long> marks = new LinkedHashMap<>();
    for (Appended a : appended) marks.merge(List.of(a.entry().conversationId(), a.entry().senderId()), a.entry().seq(), Math::max);
    members.advanceReadAll(
        h,
        marks.keySet().stream().mapToLong(k -> k.get(0)).toArray(),
        marks.keySet().stream().mapToLong(k -> k.get(1)).toArray(),
        marks.values().stream().mapToLong(Long::longValue).toArray());

    List<FeedItem> items = new ArrayList<>();
    for (Appended a : appended) {
      for (long r : a.recipients()) items.add(FeedItem.entry(r, a.entry().conversationId(), a.entry().seq()));
    }
    long[] pts = feed.append(h, items, now);

    Map<Appended, Appended> withPts = new IdentityHashMap<>();
    int offset = 0;
    for (Appended a : appended) {
      long[] mine = Arrays.copyOfRange(pts, offset, offset + a.recipients().length);
      offset += mine.length;
      withPts.put(a, new Appended(a.entry(), a.recipients(), mine));
    }
    List<Outcome> done = new ArrayList<>(outcomes.size());
    for (Outcome o : outcomes) done.add(o.appended() == null ? o : new Outcome(withPts.get(o.appended()), o.sent(), null));
    return done;
  }

  private static List<RelationRules.Pair> directPairs(
      List<Request> requests, Map<Long, ConversationRow> locked, Map<Long, Map<Long, MemberRow>> memberships) {
    List<RelationRules.Pair> pairs = new ArrayList<>();
    for (Request r : requests) {
      ConversationRow conv = locked.get(r.conversationId());
      Map<Long, MemberRow> rows = memberships.get(r.conversationId());
      if (conv != null && conv.direct() && rows != null && rows.containsKey(r.senderId())) {
        pairs.add(new RelationRules.Pair(r.senderId(), peer(rows, r.senderId())));
      }
    }
    return pairs;
  }

  /** The other user of a direct conversation (its two members never leave). */
  private static long peer(Map<Long, MemberRow> rows, long me) {
    for (long user : rows.keySet()) if (user != me) return user;
    return 0;
  }

  /**
   * Current members in ascending user id (the order their feed rows are locked in): the rows come
   * ordered by user id from {@link Members#forSends}.
   */
  private static long[] activeUserIds(Map<Long, MemberRow> rows) {
    return rows.values().stream().filter(MemberRow::active).mapToLong(MemberRow::userId).toArray();
  }

  private static ClientKey key(Request r) {
    return new ClientKey(r.conversationId(), r.senderId(), r.clientMsgId());
  }
}
