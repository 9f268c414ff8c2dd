package dev.parley.msg.core;

import dev.parley.common.error.ParleyException;
import dev.parley.msg.MsgConfig;
import dev.parley.msg.feed.Feed;
import dev.parley.msg.feed.FeedItem;
import dev.parley.msg.recent.RecentEntries;
import dev.parley.msg.recent.RecentSnapshot;
import dev.parley.msg.store.ConversationRow;
import dev.parley.msg.store.Conversations;
import dev.parley.msg.store.Entries;
import dev.parley.msg.store.Entry;
import dev.parley.msg.store.EntryKind;
import dev.parley.msg.store.MemberRow;
import dev.parley.msg.store.Members;
import dev.parley.msg.store.Tx;
import dev.parley.proto.client.Error.Reason;
import dev.parley.proto.client.ReadMarker;
import dev.parley.proto.client.RecallContent;
import dev.parley.proto.client.Message;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Sending, recalling, reading history and moving read markers.
 *
 * <p><b>Exactly-once send.</b> The duplicate check runs after the conversation lock is held: two sends
 * with one client_msg_id serialize on that lock, and the second one's check (a new statement, so a new
 * READ COMMITTED snapshot) sees the first one's committed entry. The answer leaves only after commit.
 *
 * <p><b>Visibility.</b> A member reads entries first_visible_seq..(last_seq, or last_visible_seq after
 * leaving). Conversations the caller never belonged to answer NOT_FOUND, exactly like ones that do
 * not exist, so ids cannot be probed.
 */
public final class MessageManager {
  private final MsgConfig config;
  private final Tx tx;
  private final Conversations conversations;
  private final Members members;
  private final Entries entries;
  private final NewestEntries newest;
  private final Feed feed;
  private final ConversationLog log;
  private final DirectChats directs;
  private final RelationRules rules;
  private final UserDirectory users;
  private final UpdateSink sink;
  private final Clock clock;
  private final SendBatcher batcher;

  public MessageManager(
      MsgConfig config,
      Tx tx,
      Conversations conversations,
      Members members,
      Entries entries,
      NewestEntries newest,
      Feed feed,
      ConversationLog log,
      DirectChats directs,
      RelationRules rules,
      UserDirectory users,
      UpdateSink sink,
      Clock clock,
      SendBatcher batcher) {
    this.config = config;
    this.tx = tx;
    this.conversations = conversations;
    this.members = members;
    this.entries = entries;
    this.newest = newest;
    this.feed = feed;
    this.log = log;
    this.directs = directs;
    this.rules = rules;
    this.users = users;
    this.sink = sink;
    this.clock = clock;
    this.batcher = batcher;
  }

  /** Where a message goes: an existing conversation, or the one-to-one conversation with a user. */
  public record Target(long conversationId, long userId) {}

  /** The stored entry, and whether it was stored by an earlier attempt with the same client_msg_id. */
  public record Sent(Entry entry, boolean duplicate) {}

  public Sent send(Caller caller, Target target, String clientMsgId, EntryKind kind, byte[] content) {
    long conversationId = target.conversationId();
    if (target.userId() != 0) {
      if (target.userId() == caller.userId()) throw ParleyException.invalid("user_id", "You cannot message yourself");
      conversationId = tx.read(h -> conversations.direct(h, caller.userId(), target.userId())).orElse(0L);
      if (conversationId == 0) return sendFirst(caller, target.userId(), clientMsgId, kind, content);
    }
    return batcher.send(new SendTransaction.Request(caller.userId(), conversationId, clientMsgId, kind, content));
  }

  /** The first message to a user: creates the one-to-one conversation, in a transaction of its own. */
  private Sent sendFirst(Caller caller, long userId, String clientMsgId, EntryKind kind, byte[] content) {
    if (!users.exists(userId)) throw new ParleyException(Reason.NOT_FOUND, "No such user");
    Instant now = clock.instant();
    Object result =
        tx.write(
            h -> {
              ConversationRow conv = directs.lockOrCreate(h, caller.userId(), userId, now);
              Optional<Entry> earlier = entries.byClientMsgId(h, conv.conversationId(), caller.userId(), clientMsgId);
              if (earlier.isPresent()) return new Sent(earlier.get(), true);
              MemberRow me = members.find(h, conv.conversationId(), caller.userId()).orElseThrow(MessageManager::notFound);
              requireOpen(conv, me);
              rules.checkDirectChat(h, caller.userId(), userId);
              long[] recipients = members.activeUserIds(h, conv.conversationId());
              return log.append(h, conv, caller.userId(), kind, clientMsgId, content, 0, recipients, now);
            });
    if (result instanceof Sent duplicate) return duplicate;
    Appended appended = (Appended) result;
    sink.appended(appended);
    return new Sent(appended.entry(), false);
  }

  /** Recalls entry {@code seq}; returns the seq of the recall entry (the existing one if already recalled). */
  public long recall(Caller caller, long conversationId, long seq) {
    Instant now = clock.instant();
    Object result =
        tx.write(
            h -> {
              ConversationRow conv = conversations.lock(h, conversationId).orElseThrow(MessageManager::notFound);
              MemberRow me = members.find(h, conversationId, caller.userId()).orElseThrow(MessageManager::notFound);
              Entry target =
                  entries.find(h, conversationId, seq)
                      .filter(e -> me.canSee(e.seq(), conv.lastSeq()))
                      .orElseThrow(() -> new ParleyException(Reason.NOT_FOUND, "No such message"));
              if (!target.kind().countable) throw ParleyException.invalid("seq", "Only messages can be recalled");
              if (target.recalled()) return existingRecall(h, conversationId, seq);
              requireOpen(conv, me);
              boolean own = target.senderId() == caller.userId();
              boolean moderator = conv.group() && me.role() >= MemberRow.ADMIN;
              boolean inWindow = Duration.between(target.createdAt(), now).compareTo(config.recallWindow()) <= 0;
              if (!moderator && !(own && inWindow)) {
                throw own
                    ? new ParleyException(Reason.RECALL_WINDOW_PASSED, "The recall window for this message has passed")
                    : new ParleyException(Reason.PERMISSION_DENIED, "Only the sender or a group admin can recall this message");
              }
              entries.recall(h, conversationId, seq, now);
              byte[] content = Message.newBuilder().setRecall(RecallContent.newBuilder().setTargetSeq(seq)).build().toByteArray();
              long[] recipients = members.activeUserIds(h, conversationId);
              return log.append(h, conv, caller.userId(), EntryKind.RECALL, null, content, seq, recipients, now);
            });
    if (result instanceof Long existing) return existing;
    Appended appended = (Appended) result;
    sink.appended(appended);
    return appended.entry().seq();
  }

  private static long existingRecall(org.jdbi.v3.core.Handle h, long conversationId, long target) {
    return h.createQuery("SELECT seq FROM msg.entries WHERE conversation_id = :c AND kind = :k AND ref_seq = :t ORDER BY seq LIMIT 1")
        .bind("c", conversationId)
        .bind("k", EntryKind.RECALL.code)
        .bind("t", target)
        .mapTo(Long.class)
        .findOne()
        .orElse(0L);
  }

  /** A page of history; see GetHistoryRequest for the directions. */
  public record Page(List<Entry> entries, boolean more) {}

  /** The newest page (no before_seq, backwards) goes through the recent-entries cache (NewestEntries). */
  public Page history(Caller caller, long conversationId, long beforeSeq, long afterSeq, boolean forward, int limit) {
    boolean newestPage = !forward && beforeSeq == 0;
    // Started before the table is read, so that the cache's round trip overlaps with it.
    RecentEntries.Lookup cached = newestPage ? newest.lookup(limit + 1, conversationId) : null;
    return tx.read(
        h -> {
          ConversationRow conv = conversations.find(h, conversationId).orElseThrow(MessageManager::notFound);
          MemberRow me = members.find(h, conversationId, caller.userId()).orElseThrow(MessageManager::notFound);
          long first = me.firstVisibleSeq();
          long last = me.visibleUpTo(conv.lastSeq());
          if (newestPage) {
            RecentSnapshot.Page page = newest.page(h, cached, conv, first, last, limit);
            return new Page(page.entries(), page.more());
          }
          List<Entry> found;
          if (forward) {
            found = entries.range(h, conversationId, Math.max(afterSeq + 1, first), last, limit + 1, true);
          } else {
            found = entries.range(h, conversationId, first, Math.min(beforeSeq - 1, last), limit + 1, false);
          }
          boolean more = found.size() > limit;
          return new Page(more ? found.subList(0, limit) : found, more);
        });
  }

  /** The caller's read marker after the call, and their unread count. */
  public record ReadState(long readSeq, int unread) {}

  public ReadState markRead(Caller caller, long conversationId, long seq) {
    Instant now = clock.instant();
    record Result(ReadState state, List<FeedItem> items, long[] pts) {}
    Result r =
        tx.write(
            h -> {
              ConversationRow conv = conversations.find(h, conversationId).orElseThrow(MessageManager::notFound);
              MemberRow me = members.find(h, conversationId, caller.userId()).orElseThrow(MessageManager::notFound);
              long upTo = me.visibleUpTo(conv.lastSeq());
              long before = me.readSeq();
              long after = members.advanceRead(h, conversationId, caller.userId(), Math.min(seq, upTo));
              int unread = entries.countUnread(h, conversationId, after, upTo, caller.userId());
              ReadState state = new ReadState(after, unread);
              if (after <= before) return new Result(state, List.of(), new long[0]);

              List<FeedItem> items = new ArrayList<>();
              byte[] marker =
                  ReadMarker.newBuilder().setConversationId(conversationId).setReadSeq(after).setUnreadCount(unread).build().toByteArray();
              items.add(new FeedItem(caller.userId(), dev.parley.msg.feed.FeedKind.READ_MARKER, conversationId, after, 0, marker));
              List<Long> told =
                  conv.direct()
                      ? List.of(directs.peer(h, conversationId, caller.userId()))
                      : entries.senders(h, conversationId, before, after, caller.userId());
              for (long other : told) items.add(FeedItem.readReceipt(other, conversationId, caller.userId(), after));
              long[] pts = feed.append(h, items, now);
              return new Result(state, items, pts);
            });
    if (!r.items().isEmpty()) sink.published(r.items(), r.pts());
    return r.state();
  }

  /** For each seq, how many members other than its sender have read it. */
  public List<long[]> readCounts(Caller caller, long conversationId, List<Long> seqs) {
    return tx.read(
        h -> {
          ConversationRow conv = conversations.find(h, conversationId).orElseThrow(MessageManager::notFound);
          MemberRow me = members.find(h, conversationId, caller.userId()).orElseThrow(MessageManager::notFound);
          List<long[]> out = new ArrayList<>();
          for (long seq : seqs) {
            Optional<Entry> e = entries.find(h, conversationId, seq).filter(x -> me.canSee(x.seq(), conv.lastSeq()));
            if (e.isEmpty()) continue;
            long count =
                h.createQuery(
                        "SELECT count(*) FROM msg.members WHERE conversation_id = :c AND user_id <> :sender AND read_seq >= :seq "
                            + "AND first_visible_seq <= :seq")
                    .bind("c", conversationId)
                    .bind("sender", e.get().senderId())
                    .bind("seq", seq)
                    .mapTo(Long.class)
                    .one();
            out.add(new long[] {seq, count});
          }
          return out;
        });
  }

  static void requireOpen(ConversationRow conv, MemberRow me) {
    if (conv.disbanded() || !me.active()) {
      throw new ParleyException(Reason.CONVERSATION_CLOSED, "You can no longer write to this conversation");
    }
  }

  static ParleyException notFound() {
    return new ParleyException(Reason.NOT_FOUND, "No such conversation");
  }
}
