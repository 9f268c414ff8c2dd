package dev.parley.msg.grpc;

import dev.parley.common.error.ParleyException;
import dev.parley.msg.core.Caller;
import dev.parley.msg.core.ConversationList;
import dev.parley.msg.core.Forwarder;
import dev.parley.msg.core.GroupSync;
import dev.parley.msg.core.MessageManager;
import dev.parley.msg.core.MessageManager.Target;
import dev.parley.msg.core.ReactionManager;
import dev.parley.msg.core.SyncManager;
import dev.parley.msg.core.content.Content;
import dev.parley.msg.core.content.Extras;
import dev.parley.msg.feed.FeedRow;
import dev.parley.msg.store.Entry;
import dev.parley.msg.store.Reactions;
import dev.parley.proto.client.AckRequest;
import dev.parley.proto.client.AckResponse;
import dev.parley.proto.client.EditMessageRequest;
import dev.parley.proto.client.EditMessageResponse;
import dev.parley.proto.client.ForwardMessagesRequest;
import dev.parley.proto.client.ForwardMessagesResponse;
import dev.parley.proto.client.ForwardResult;
import dev.parley.proto.client.GetConversationRequest;
import dev.parley.proto.client.GetConversationResponse;
import dev.parley.proto.client.GetConversationsRequest;
import dev.parley.proto.client.GetConversationsResponse;
import dev.parley.proto.client.GetDifferenceRequest;
import dev.parley.proto.client.GetDifferenceResponse;
import dev.parley.proto.client.GetHistoryRequest;
import dev.parley.proto.client.GetHistoryResponse;
import dev.parley.proto.client.GetMentionsRequest;
import dev.parley.proto.client.GetMentionsResponse;
import dev.parley.proto.client.GetReadCountsRequest;
import dev.parley.proto.client.GetReadCountsResponse;
import dev.parley.proto.client.GetStateRequest;
import dev.parley.proto.client.GetStateResponse;
import dev.parley.proto.client.GroupProgress;
import dev.parley.proto.client.MarkReadRequest;
import dev.parley.proto.client.MarkReadResponse;
import dev.parley.proto.client.Message;
import dev.parley.proto.client.RecallMessageRequest;
import dev.parley.proto.client.RecallMessageResponse;
import dev.parley.proto.client.SendMessageRequest;
import dev.parley.proto.client.SendMessageResponse;
import dev.parley.proto.client.SyncGroupsRequest;
import dev.parley.proto.client.SyncGroupsResponse;
import dev.parley.proto.internal.MessageServiceGrpc;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The gRPC edge of messages, history, read state and sync: validation and proto conversion only.
 */
public final class MessageGrpcService extends MessageServiceGrpc.MessageServiceImplBase {
  /**
   * A history, difference or sync_groups answer stops adding entries past this many bytes of
   * encoded entries.
   */
  static final int BYTE_BUDGET = 1 << 20;

  private final MessageManager messages;
  private final ConversationList conversations;
  private final SyncManager sync;
  private final GroupSync groupSync;
  private final ContentRules content;
  private final Forwarder forwarder;
  private final Clock clock;
  private final ReactionManager reactions;

  public MessageGrpcService(
      MessageManager messages,
      ConversationList conversations,
      SyncManager sync,
      GroupSync groupSync,
      Forwarder forwarder,
      int maxTextLength,
      Clock clock,
      ReactionManager reactions) {
    this.reactions = reactions;
    this.messages = messages;
    this.forwarder = forwarder;
    this.conversations = conversations;
    this.sync = sync;
    this.groupSync = groupSync;
    this.content = new ContentRules(maxTextLength);
    this.clock = clock;
  }

  @Override
  public void sendMessage(SendMessageRequest r, StreamObserver<SendMessageResponse> out) {
    Caller caller = Callers.current();
    Target target =
        switch (r.getToCase()) {
          case CONVERSATION_ID ->
              new Target(Limits.id(r.getConversationId(), "conversation_id"), 0);
          case USER_ID -> new Target(0, Limits.id(r.getUserId(), "user_id"));
          default -> throw ParleyException.invalid("to", "Name a conversation_id or a user_id");
        };
    String clientMsgId = ContentRules.clientMsgId(r.getClientMsgId());
    Content body = content.content(r);
    List<Extras.Mention> mentioned = List.of();
    if (r.getMentionsCount() > 0) {
      if (!(body instanceof Content.Text t))
        throw ParleyException.invalid("mentions", "Only a text can mention members");
      mentioned = ContentRules.mentions(r.getMentionsList(), t.text(), "mentions");
    }
    Limits.notNegative(r.getReplyToSeq(), "reply_to_seq");
    MessageManager.Sent sent =
        messages.send(caller, target, clientMsgId, body, r.getReplyToSeq(), mentioned);
    Entry e = sent.entry();
    reply(
        out,
        SendMessageResponse.newBuilder()
            .setConversationId(e.conversationId())
            .setSeq(e.seq())
            .setMessageId(e.messageId())
            .setSentAtMs(Protos.ms(e.createdAt()))
            .setDuplicate(sent.duplicate())
            .build());
  }

  @Override
  public void recallMessage(RecallMessageRequest r, StreamObserver<RecallMessageResponse> out) {
    long seq =
        messages.recall(
            Callers.current(),
            Limits.id(r.getConversationId(), "conversation_id"),
            Limits.seq(r.getSeq(), "seq"));
    reply(out, RecallMessageResponse.newBuilder().setSeq(seq).build());
  }

  @Override
  public void editMessage(EditMessageRequest r, StreamObserver<EditMessageResponse> out) {
    // Whether the target is a text or a caption is known only under the lock: the edge checks
    // what holds for both, the writer the rest (an empty text, a caption's length).
    String text = content.editedText(r.getText());
    Entry e =
        messages.edit(
            Callers.current(),
            Limits.id(r.getConversationId(), "conversation_id"),
            Limits.seq(r.getSeq(), "seq"),
            text,
            ContentRules.mentions(r.getMentionsList(), text, "mentions"));
    reply(
        out,
        EditMessageResponse.newBuilder()
            .setSeq(e.seq())
            .setEditedAtMs(Protos.ms(e.createdAt()))
            .build());
  }

  @Override
  public void forwardMessages(
      ForwardMessagesRequest r, StreamObserver<ForwardMessagesResponse> out) {
    long from = Limits.id(r.getFromConversationId(), "from_conversation_id");
    long[] seqs = distinct(r.getSeqsList(), Forwarder.MAX_SEQS, "seqs");
    long[] targets =
        distinct(r.getToConversationIdsList(), Forwarder.MAX_TARGETS, "to_conversation_ids");
    // Seqs are copied in log order whatever order the client listed them in; targets answer in
    // request order.
    Arrays.sort(seqs);
    String clientMsgId = ContentRules.clientMsgId(r.getClientMsgId());
    ForwardMessagesResponse.Builder b = ForwardMessagesResponse.newBuilder();
    for (Forwarder.Copies c :
        forwarder.forward(Callers.current(), from, seqs, targets, clientMsgId)) {
      ForwardResult.Builder result =
          ForwardResult.newBuilder()
              .setConversationId(c.conversationId())
              .addAllSeqs(c.seqs())
              .setDuplicate(c.duplicate());
      if (c.error() != null) result.setError(c.error().toError());
      b.addResults(result);
    }
    reply(out, b.build());
  }

  /** 1..max distinct positive ids (or seqs). */
  private static long[] distinct(List<Long> given, int max, String field) {
    if (given.isEmpty() || given.size() > max)
      throw ParleyException.invalid(field, field + " must name 1.." + max + " items");
    long[] out = given.stream().mapToLong(v -> Limits.id(v, field)).toArray();
    if (Arrays.stream(out).distinct().count() != out.length)
      throw ParleyException.invalid(field, field + " must not repeat an item");
    return out;
  }

  @Override
  public void getMentions(GetMentionsRequest r, StreamObserver<GetMentionsResponse> out) {
    Limits.notNegative(r.getAfterSeq(), "after_seq");
    int limit = Limits.page(r.getLimit(), 20, 100, "limit");
    MessageManager.MentionPage page =
        messages.mentions(
            Callers.current(),
            Limits.id(r.getConversationId(), "conversation_id"),
            r.getAfterSeq(),
            limit);
    reply(
        out,
        GetMentionsResponse.newBuilder()
            .addAllSeqs(page.seqs())
            .setUnreadMentions(page.unreadMentions())
            .build());
  }

  @Override
  public void getHistory(GetHistoryRequest r, StreamObserver<GetHistoryResponse> out) {
    Limits.notNegative(r.getBeforeSeq(), "before_seq");
    Limits.notNegative(r.getAfterSeq(), "after_seq");
    boolean forward = r.getForward() || r.getAfterSeq() > 0;
    if (r.getBeforeSeq() > 0 && forward) {
      throw ParleyException.invalid(
          "before_seq", "before_seq pages backwards: not with after_seq or forward");
    }
    int limit = Limits.page(r.getLimit(), 50, 200, "limit");
    MessageManager.Page page =
        messages.history(
            Callers.current(),
            Limits.id(r.getConversationId(), "conversation_id"),
            r.getBeforeSeq(),
            r.getAfterSeq(),
            forward,
            limit);
    GetHistoryResponse.Builder b = GetHistoryResponse.newBuilder().setMore(page.more());
    int bytes = 0;
    List<Message> found = new ArrayList<>();
    for (Entry e : page.entries()) {
      Message m = Protos.message(e);
      int size = m.getSerializedSize();
      if (bytes > 0 && bytes + size > BYTE_BUDGET) {
        // 200 long texts would make a 2.4 MiB frame: cut the page, the client pages on from the
        // last one.
        b.setMore(true);
        break;
      }
      bytes += size;
      found.add(m);
    }
    b.addAllMessages(withReactions(found));
    reply(out, b.build());
  }

  @Override
  public void getReadCounts(GetReadCountsRequest r, StreamObserver<GetReadCountsResponse> out) {
    if (r.getSeqsCount() > 100) throw ParleyException.invalid("seqs", "At most 100 seqs");
    r.getSeqsList().forEach(s -> Limits.seq(s, "seqs"));
    List<long[]> counts =
        messages.readCounts(
            Callers.current(),
            Limits.id(r.getConversationId(), "conversation_id"),
            r.getSeqsList());
    GetReadCountsResponse.Builder b = GetReadCountsResponse.newBuilder();
    for (long[] c : counts)
      b.addCounts(
          GetReadCountsResponse.ReadCount.newBuilder().setSeq(c[0]).setReadCount((int) c[1]));
    reply(out, b.build());
  }

  @Override
  public void getConversations(
      GetConversationsRequest r, StreamObserver<GetConversationsResponse> out) {
    int limit = Limits.page(r.getLimit(), 50, 100, "limit");
    ConversationList.ListPage page = conversations.list(Callers.current(), limit, r.getCursor());
    GetConversationsResponse.Builder b =
        GetConversationsResponse.newBuilder().setTotalUnread(page.totalUnread());
    page.conversations().forEach(s -> b.addConversations(Protos.conversation(s)));
    if (page.nextCursor() != null) b.setNextCursor(page.nextCursor());
    reply(out, b.build());
  }

  @Override
  public void getConversation(
      GetConversationRequest r, StreamObserver<GetConversationResponse> out) {
    ConversationList.Detail d =
        conversations.get(Callers.current(), Limits.id(r.getConversationId(), "conversation_id"));
    GetConversationResponse.Builder b =
        GetConversationResponse.newBuilder().setConversation(Protos.conversation(d.summary()));
    d.members().forEach(m -> b.addMembers(Protos.member(m)));
    reply(out, b.build());
  }

  @Override
  public void markRead(MarkReadRequest r, StreamObserver<MarkReadResponse> out) {
    MessageManager.ReadState s =
        messages.markRead(
            Callers.current(),
            Limits.id(r.getConversationId(), "conversation_id"),
            Limits.seq(r.getSeq(), "seq"));
    reply(
        out,
        MarkReadResponse.newBuilder()
            .setReadSeq(s.readSeq())
            .setUnreadCount(s.unread())
            .setUnreadMentions(s.unreadMentions())
            .build());
  }

  @Override
  public void getState(GetStateRequest r, StreamObserver<GetStateResponse> out) {
    SyncManager.State s = sync.state(Callers.current());
    reply(
        out,
        GetStateResponse.newBuilder()
            .setPts(s.pts())
            .setServerTimeMs(clock.millis())
            .setTotalUnread(s.totalUnread())
            .build());
  }

  @Override
  public void getDifference(GetDifferenceRequest r, StreamObserver<GetDifferenceResponse> out) {
    int limit = Limits.page(r.getLimit(), 500, 1000, "limit");
    SyncManager.Difference d = sync.difference(Callers.current(), r.getPts(), limit);
    GetDifferenceResponse.Builder b =
        GetDifferenceResponse.newBuilder()
            .setTooLong(d.tooLong())
            .setPts(d.pts())
            .setMore(d.more());
    int bytes = 0;
    List<FeedRow> rows = d.rows();
    List<FeedRow> sent = new ArrayList<>();
    for (FeedRow row : rows) {
      dev.parley.proto.client.Update u;
      if (Protos.isEntry(row)) {
        Entry e = d.entries().get(SyncManager.Difference.key(row.conversationId(), row.seq()));
        if (e == null) {
          sent.add(row); // deleted by retention: left out, its pts still counts as applied
          continue;
        }
        u = Protos.update(row, e);
      } else {
        u = Protos.update(row, null);
      }
      int size = u.getSerializedSize();
      if (!sent.isEmpty() && bytes + size > BYTE_BUDGET) {
        // Stop here: the client asks again from the last pts it got.
        b.setPts(sent.get(sent.size() - 1).pts()).setMore(true);
        reply(out, withReactions(b).build());
        return;
      }
      bytes += size;
      b.addUpdates(u);
      sent.add(row);
    }
    reply(out, withReactions(b).build());
  }

  @Override
  public void syncGroups(SyncGroupsRequest r, StreamObserver<SyncGroupsResponse> out) {
    int limit = Limits.page(r.getLimit(), 500, 1000, "limit");
    GroupSync.Answer a =
        groupSync.sync(
            Callers.current(),
            r.getConversationIdsList().stream().mapToLong(Long::longValue).toArray(),
            r.getSeqsList().stream().mapToLong(Long::longValue).toArray(),
            limit);
    SyncGroupsResponse.Builder b = SyncGroupsResponse.newBuilder().addAllNotFound(a.notFound());
    // Entries come group after group in the order of a.moved(); the byte budget may cut a group
    // short:
    // it then holds up to its last included entry, and the groups after it hold what they held.
    int next = 0;
    int bytes = 0;
    boolean cut = false;
    List<Message> found = new ArrayList<>();
    for (GroupSync.Progress p : a.moved()) {
      long synced = p.syncedSeq();
      if (cut) {
        synced = p.afterSeq();
      }
      while (next < a.entries().size()
          && a.entries().get(next).conversationId() == p.conversationId()) {
        Entry e = a.entries().get(next++);
        if (cut) continue;
        Message m = Protos.message(e);
        int size = m.getSerializedSize();
        if (bytes > 0 && bytes + size > BYTE_BUDGET) {
          cut = true;
          synced = e.seq() - 1;
          continue;
        }
        bytes += size;
        found.add(m);
      }
      b.addGroups(
          GroupProgress.newBuilder()
              .setConversationId(p.conversationId())
              .setSyncedSeq(synced)
              .setLastSeq(p.headSeq())
              .setLeft(p.left()));
    }
    b.addAllMessages(withReactions(found));
    b.setMore(b.getGroupsList().stream().anyMatch(g -> g.getSyncedSeq() < g.getLastSeq()));
    reply(out, b.build());
  }

  @Override
  public void ack(AckRequest r, StreamObserver<AckResponse> out) {
    sync.ack(Callers.current(), r.getPts());
    reply(out, AckResponse.getDefaultInstance());
  }

  /**
   * The messages with their reaction counts as the caller sees them (design.md 13.4): one query per
   * answer, only when it holds messages that can have reactions.
   */
  private List<Message> withReactions(List<Message> found) {
    List<Message> countable = found.stream().filter(MessageGrpcService::reactable).toList();
    if (countable.isEmpty()) return found;
    Map<String, List<Reactions.Counted>> counts = new HashMap<>();
    for (Reactions.Counted c :
        reactions.counts(
            Callers.current().userId(),
            countable.stream().mapToLong(Message::getConversationId).toArray(),
            countable.stream().mapToLong(Message::getSeq).toArray()))
      counts.computeIfAbsent(c.conversationId() + ":" + c.seq(), k -> new ArrayList<>()).add(c);
    if (counts.isEmpty()) return found;
    List<Message> out = new ArrayList<>(found.size());
    for (Message m : found) {
      List<Reactions.Counted> mine = counts.get(m.getConversationId() + ":" + m.getSeq());
      out.add(
          mine == null ? m : m.toBuilder().addAllReactions(Protos.reactionCounts(mine)).build());
    }
    return out;
  }

  /** The difference with the reaction counts of the messages it carries. */
  private GetDifferenceResponse.Builder withReactions(GetDifferenceResponse.Builder b) {
    List<Integer> at = new ArrayList<>();
    List<Message> found = new ArrayList<>();
    for (int i = 0; i < b.getUpdatesCount(); i++) {
      if (b.getUpdates(i).hasMessage()) {
        at.add(i);
        found.add(b.getUpdates(i).getMessage());
      }
    }
    List<Message> counted = withReactions(found);
    for (int i = 0; i < at.size(); i++) {
      if (counted.get(i) != found.get(i))
        b.setUpdates(at.get(i), b.getUpdates(at.get(i)).toBuilder().setMessage(counted.get(i)));
    }
    return b;
  }

  private static boolean reactable(Message m) {
    return !m.getRecalled()
        && switch (m.getContentCase()) {
          case TEXT, IMAGE, FILE -> true;
          default -> false;
        };
  }

  private static <T> void reply(StreamObserver<T> out, T value) {
    out.onNext(value);
    out.onCompleted();
  }
}
