package dev.parley.msg.core;

import dev.parley.common.error.ParleyException;
import dev.parley.msg.core.content.Content;
import dev.parley.msg.core.content.Extras;
import dev.parley.msg.core.log.LogCommand;
import dev.parley.msg.core.log.LogOutcome;
import dev.parley.msg.core.log.LogWriter;
import dev.parley.msg.feed.FeedItem;
import dev.parley.msg.feed.FeedPayload;
import dev.parley.msg.recent.RecentEntries;
import dev.parley.msg.recent.RecentSnapshot;
import dev.parley.msg.settings.ChatStates;
import dev.parley.msg.store.ConversationRow;
import dev.parley.msg.store.Conversations;
import dev.parley.msg.store.Entries;
import dev.parley.msg.store.Entry;
import dev.parley.msg.store.Feed;
import dev.parley.msg.store.FormerView;
import dev.parley.msg.store.MemberRow;
import dev.parley.msg.store.Members;
import dev.parley.msg.store.Mentions;
import dev.parley.msg.store.Tx;
import dev.parley.proto.client.Error.Reason;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Sending and recalling (through the {@link LogWriter}), reading history and moving read markers.
 *
 * <p><b>Exactly-once send</b> is the log writer's: the duplicate check runs under the conversation
 * lock (design.md 8.4); the answer leaves only after the commit.
 *
 * <p><b>Visibility.</b> A member reads entries first_visible_seq..(last_seq, or last_visible_seq
 * after leaving). Conversations the caller never belonged to answer NOT_FOUND, exactly like ones
 * that do not exist, so ids cannot be probed.
 */
public final class MessageManager {
  private final Tx tx;
  private final Conversations conversations;
  private final Members members;
  private final Entries entries;
  private final NewestEntries newest;
  private final Feed feed;
  private final UserDirectory users;
  private final UpdateSink sink;
  private final Clock clock;
  private final LogWriter writer;
  private final FileContents fileContents;
  private final ChatStates chatStates;

  /** Stateless table access for unread mentions (design.md 13). */
  private final Mentions mentions = new Mentions();

  /**
   * The direct conversation of each pair seen lately ("lo:hi" → id). A pair's conversation never
   * changes once it exists (it is created once, under the pair's lock, and never deleted), so a
   * cached id cannot go stale; the cache only saves a sender the lookup before its message is
   * queued.
   */
  private final Map<String, Long> directIds = new java.util.concurrent.ConcurrentHashMap<>();

  private static final int MAX_CACHED_PAIRS = 100_000;

  public MessageManager(
      Tx tx,
      Conversations conversations,
      Members members,
      Entries entries,
      NewestEntries newest,
      Feed feed,
      UserDirectory users,
      UpdateSink sink,
      Clock clock,
      LogWriter writer,
      FileAttachments files,
      ChatStates chatStates) {
    this.tx = tx;
    this.conversations = conversations;
    this.members = members;
    this.entries = entries;
    this.newest = newest;
    this.feed = feed;
    this.users = users;
    this.sink = sink;
    this.clock = clock;
    this.writer = writer;
    this.fileContents = new FileContents(files);
    this.chatStates = chatStates;
  }

  /** Where a message goes: an existing conversation, or the one-to-one conversation with a user. */
  public record Target(long conversationId, long userId) {}

  /**
   * The stored entry, and whether it was stored by an earlier attempt with the same client_msg_id.
   */
  public record Sent(Entry entry, boolean duplicate) {}

  public Sent send(Caller caller, Target target, String clientMsgId, Content content) {
    return send(caller, target, clientMsgId, content, 0, List.of());
  }

  /**
   * A message that may reply to entry {@code replyToSeq} of the same conversation (0: none) and
   * mention members (design.md 13).
   */
  public Sent send(
      Caller caller,
      Target target,
      String clientMsgId,
      Content content,
      long replyToSeq,
      List<Extras.Mention> mentioned) {
    long conversationId = target.conversationId();
    long peer = target.userId();
    if (peer != 0) {
      if (peer == caller.userId())
        throw ParleyException.invalid("user_id", "You cannot message yourself");
      String pair = Conversations.pairKey(caller.userId(), peer);
      Long cached = directIds.get(pair);
      conversationId =
          cached != null
              ? cached
              : tx.read(h -> conversations.direct(h, caller.userId(), peer)).orElse(0L);
      if (cached == null && conversationId != 0) {
        if (directIds.size() >= MAX_CACHED_PAIRS) directIds.clear();
        directIds.put(pair, conversationId);
      }
      // A first message creates the conversation: only for an account that exists (asked outside
      // any transaction).
      if (conversationId == 0 && !users.exists(peer))
        throw new ParleyException(Reason.NOT_FOUND, "No such user");
    }
    // Images and files: checked against the file service and filled in from the verified file.
    Content filled = fileContents.filled(caller.userId(), content);
    return switch (writer.submit(
        new LogCommand.Send(
            caller.userId(), conversationId, peer, clientMsgId, filled, replyToSeq, mentioned))) {
      case LogOutcome.Stored s -> new Sent(s.last(), false);
      case LogOutcome.Duplicate d -> new Sent(d.original(), true);
      case LogOutcome.Refused r -> throw r.error();
      case LogOutcome.Unchanged u -> throw new IllegalStateException("a send changed nothing");
    };
  }

  /**
   * Recalls entry {@code seq}; returns the seq of the recall entry (the existing one if already
   * recalled).
   */
  public long recall(Caller caller, long conversationId, long seq) {
    return switch (writer.submit(new LogCommand.Recall(caller.userId(), conversationId, seq))) {
      case LogOutcome.Stored s -> s.last().seq();
      case LogOutcome.Duplicate d -> d.original().seq();
      case LogOutcome.Refused r -> throw r.error();
      case LogOutcome.Unchanged u -> throw new IllegalStateException("a recall changed nothing");
    };
  }

  /**
   * Edits the text or caption of entry {@code seq}; returns the edit entry (design.md 13). A retry
   * after a lost answer writes the same version again, which changes nothing a reader sees but the
   * edit time.
   */
  public Entry edit(
      Caller caller, long conversationId, long seq, String text, List<Extras.Mention> mentioned) {
    return switch (writer.submit(
        new LogCommand.Edit(caller.userId(), conversationId, seq, text, mentioned))) {
      case LogOutcome.Stored s -> s.last();
      case LogOutcome.Refused r -> throw r.error();
      case LogOutcome.Duplicate d -> throw new IllegalStateException("an edit has no duplicates");
      case LogOutcome.Unchanged u -> throw new IllegalStateException("an edit changed nothing");
    };
  }

  /** The next mentions of the caller after a seq, and the unread mentions. */
  public record MentionPage(List<Long> seqs, int unreadMentions) {}

  public MentionPage mentions(Caller caller, long conversationId, long afterSeq, int limit) {
    return tx.read(
        h -> {
          ConversationRow conv =
              conversations.find(h, conversationId).orElseThrow(MessageManager::notFound);
          MemberRow me =
              members
                  .find(h, conversationId, caller.userId())
                  .orElseThrow(MessageManager::notFound);
          long upTo = me.visibleUpTo(conv.lastSeq());
          long first = me.firstVisibleSeq();
          return new MentionPage(
              mentions.after(h, conversationId, caller.userId(), afterSeq, upTo, first, limit),
              mentions.count(h, conversationId, caller.userId(), me.readSeq(), upTo, first));
        });
  }

  /** A page of history; see GetHistoryRequest for the directions. */
  public record Page(List<Entry> entries, boolean more) {}

  /**
   * The newest page (no before_seq, backwards) goes through the recent-entries cache
   * (NewestEntries).
   */
  public Page history(
      Caller caller,
      long conversationId,
      long beforeSeq,
      long afterSeq,
      boolean forward,
      int limit) {
    boolean newestPage = !forward && beforeSeq == 0;
    // Started before the table is read, so that the cache's round trip overlaps with it.
    RecentEntries.Lookup cached = newestPage ? newest.lookup(limit + 1, conversationId) : null;
    return tx.read(
        h -> {
          ConversationRow conv =
              conversations.find(h, conversationId).orElseThrow(MessageManager::notFound);
          MemberRow me =
              members
                  .find(h, conversationId, caller.userId())
                  .orElseThrow(MessageManager::notFound);
          long first = me.firstVisibleSeq();
          long last = me.visibleUpTo(conv.lastSeq());
          if (newestPage) {
            RecentSnapshot.Page page =
                newest.page(h, Objects.requireNonNull(cached), conv, first, last, limit);
            return new Page(page.entries(), page.more());
          }
          List<Entry> found;
          if (forward) {
            found =
                entries.range(
                    h, conversationId, Math.max(afterSeq + 1, first), last, limit + 1, true);
          } else {
            found =
                entries.range(
                    h, conversationId, first, Math.min(beforeSeq - 1, last), limit + 1, false);
          }
          boolean more = found.size() > limit;
          return new Page(more ? found.subList(0, limit) : found, more);
        });
  }

  /** The caller's read marker after the call, and their unread count. */
  public record ReadState(long readSeq, int unread, int unreadMentions) {}

  /**
   * Moves the caller's read marker. It is feed-only (no log entry): the reader's devices get a
   * read_marker, the other user (direct) or the senders of the newly read messages who are still
   * members (group) a read_receipt. It takes the member row and then feed heads, never a
   * conversation lock, which keeps the global lock order (design.md 8.2).
   */
  public ReadState markRead(Caller caller, long conversationId, long seq) {
    Instant now = clock.instant();
    record Result(ReadState state, List<FeedItem> items, long[] pts) {}
    Result r =
        tx.write(
            h -> {
              ConversationRow conv =
                  conversations.find(h, conversationId).orElseThrow(MessageManager::notFound);
              MemberRow me =
                  members
                      .find(h, conversationId, caller.userId())
                      .orElseThrow(MessageManager::notFound);
              long upTo = me.visibleUpTo(conv.lastSeq());
              long before = me.readSeq();
              long after =
                  members.advanceRead(h, conversationId, caller.userId(), Math.min(seq, upTo));
              int unread = entries.countUnread(h, conversationId, after, upTo, caller.userId());
              int unreadMentions =
                  mentions.count(
                      h, conversationId, caller.userId(), after, upTo, me.firstVisibleSeq());
              ReadState state = new ReadState(after, unread, unreadMentions);
              // Reading clears the unread mark, also when there was nothing new to read.
              Optional<FeedItem> unmarked =
                  chatStates
                      .clearMarkedUnread(h, caller.userId(), conversationId, now)
                      .map(
                          s ->
                              FeedItem.chatState(
                                  caller.userId(),
                                  new FeedPayload.ChatStateChanged(conversationId, s)));
              if (after <= before) {
                if (unmarked.isEmpty()) return new Result(state, List.of(), new long[0]);
                List<FeedItem> only = List.of(unmarked.get());
                return new Result(state, only, feed.append(h, only, now));
              }

              List<FeedItem> items = new ArrayList<>();
              unmarked.ifPresent(items::add);
              items.add(
                  FeedItem.readMarker(
                      caller.userId(),
                      new FeedPayload.ReadMarker(
                          conversationId, after, unread, upTo, unreadMentions)));
              List<Long> told =
                  conv.direct()
                      ? List.of(members.peer(h, conversationId, caller.userId()))
                      : entries.currentSenders(h, conversationId, before, after, caller.userId());
              for (long other : told)
                items.add(FeedItem.readReceipt(other, conversationId, caller.userId(), after));
              long[] pts = feed.append(h, items, now);
              return new Result(state, items, pts);
            });
    if (!r.items().isEmpty()) sink.published(r.items(), r.pts());
    return r.state();
  }

  /**
   * For each seq the caller may see, how many members other than its sender have read it; for a
   * group the caller left, as it stood when they left (FormerView).
   */
  public List<long[]> readCounts(Caller caller, long conversationId, List<Long> seqs) {
    return tx.read(
        h -> {
          ConversationRow conv =
              conversations.find(h, conversationId).orElseThrow(MessageManager::notFound);
          MemberRow me =
              members
                  .find(h, conversationId, caller.userId())
                  .orElseThrow(MessageManager::notFound);
          long[] visible =
              seqs.stream()
                  .mapToLong(Long::longValue)
                  .filter(s -> me.canSee(s, conv.lastSeq()))
                  .toArray();
          Optional<FormerView> former = members.formerView(h, conv, me);
          Map<Long, Long> counts =
              former.isPresent()
                  ? former
                      .get()
                      .readCounts(entries.sendersOf(h, conversationId, visible), me.readSeq())
                  : entries.readCounts(h, conversationId, visible);
          List<long[]> out = new ArrayList<>();
          for (long seq : seqs) {
            Long count = counts.get(seq);
            if (count != null && me.canSee(seq, conv.lastSeq())) out.add(new long[] {seq, count});
          }
          return out;
        });
  }

  static ParleyException notFound() {
    return new ParleyException(Reason.NOT_FOUND, "No such conversation");
  }
}
