package dev.parley.client;

import dev.parley.proto.client.BlockUpdate;
import dev.parley.proto.client.BlockUserResponse;
import dev.parley.proto.client.Conversation;
import dev.parley.proto.client.ConversationType;
import dev.parley.proto.client.CreateGroupResponse;
import dev.parley.proto.client.Error.Reason;
import dev.parley.proto.client.Event;
import dev.parley.proto.client.FriendRequest;
import dev.parley.proto.client.FriendRequestUpdate;
import dev.parley.proto.client.GetConversationResponse;
import dev.parley.proto.client.GetConversationsRequest;
import dev.parley.proto.client.GetConversationsResponse;
import dev.parley.proto.client.GetDifferenceResponse;
import dev.parley.proto.client.GetHistoryRequest;
import dev.parley.proto.client.GetHistoryResponse;
import dev.parley.proto.client.GetReadCountsResponse;
import dev.parley.proto.client.GetStateResponse;
import dev.parley.proto.client.ListBlockedResponse;
import dev.parley.proto.client.MarkReadResponse;
import dev.parley.proto.client.Member;
import dev.parley.proto.client.Message;
import dev.parley.proto.client.ReadMarker;
import dev.parley.proto.client.ReadReceipt;
import dev.parley.proto.client.RecallContent;
import dev.parley.proto.client.RecallMessageResponse;
import dev.parley.proto.client.Request;
import dev.parley.proto.client.Response;
import dev.parley.proto.client.Role;
import dev.parley.proto.client.SendFriendRequestResponse;
import dev.parley.proto.client.SendMessageRequest;
import dev.parley.proto.client.SendMessageResponse;
import dev.parley.proto.client.ServiceContent;
import dev.parley.proto.client.TextContent;
import dev.parley.proto.client.UnblockUserResponse;
import dev.parley.proto.client.Update;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * The messaging part of the {@link FakeServer}: conversations with gap-free logs, one update feed per
 * user, exactly-once send, recall, read markers, and just enough relations for the listeners. Every
 * socket belongs to {@link #SELF}; other users act through the test-facing methods ({@link #text},
 * {@link #recall}, {@link #markRead}).
 *
 * <p>Each change happens under this object's lock, and so does handing its live updates to the event
 * loop, so updates reach a socket in pts order unless a test says otherwise ({@link #deliverIf}).
 */
final class FakeMessaging {
  static final long SELF = FakeServer.USER_ID;

  private static final class Conv {
    final long id;
    final ConversationType type;
    String title;
    final List<Long> members = new ArrayList<>();
    final List<Message> log = new ArrayList<>(); // seq = index + 1
    final Map<Long, Long> readSeq = new HashMap<>();
    long lastActivityMs;

    Conv(long id, ConversationType type) {
      this.id = id;
      this.type = type;
    }

    long lastSeq() {
      return log.size();
    }
  }

  record Posted(Message entry, boolean duplicate) {}

  private final FakeServer server;
  private final Map<Long, Conv> conversations = new HashMap<>();
  private final Map<Long, List<Update>> feeds = new HashMap<>(); // index = pts - 1; null: left out
  private final Map<Long, Long> firstKeptPts = new HashMap<>();
  private final Set<Long> blockedBySelf = new LinkedHashSet<>();
  private long nextConversationId = 100;
  private long nextMessageId = 10_000;
  private long clock = 1_700_000_000_000L;

  /** Every ack received, in order. */
  final List<Long> acks = new CopyOnWriteArrayList<>();
  /** The last ack received; -1 before the first. */
  long lastAck() {
    return acks.isEmpty() ? -1 : acks.getLast();
  }

  /** Users whose messages to SELF the server refuses (BLOCKED). */
  final Set<Long> blockedSelf = new LinkedHashSet<>();
  /** Live updates of SELF that fail this test are not sent (they stay in the feed). */
  volatile Predicate<Update> deliverIf = update -> true;

  FakeMessaging(FakeServer server) {
    this.server = server;
  }

  // --- the model, for tests ---

  /** The direct conversation of two users, created if needed. */
  synchronized long direct(long a, long b) {
    for (Conv c : conversations.values()) {
      if (c.type == ConversationType.CONVERSATION_TYPE_DIRECT && c.members.contains(a) && c.members.contains(b)) {
        return c.id;
      }
    }
    Conv c = new Conv(nextConversationId++, ConversationType.CONVERSATION_TYPE_DIRECT);
    c.members.add(a);
    c.members.add(b);
    conversations.put(c.id, c);
    return c.id;
  }

  /** A group created by {@code owner} with a GROUP_CREATED entry at seq 1. */
  synchronized long group(String title, long owner, List<Long> others) {
    Conv c = new Conv(nextConversationId++, ConversationType.CONVERSATION_TYPE_GROUP);
    c.title = title;
    c.members.add(owner);
    c.members.addAll(others);
    conversations.put(c.id, c);
    append(c, owner, "", Message.newBuilder().setService(ServiceContent.newBuilder()
        .setAction(ServiceContent.Action.GROUP_CREATED).setActorId(owner).addAllUserIds(others).setTitle(title)));
    return c.id;
  }

  /** {@code sender} sends a text to the conversation. */
  synchronized Message text(long sender, long conversationId, String text) {
    return append(conversations.get(conversationId), sender, "",
        Message.newBuilder().setText(TextContent.newBuilder().setText(text)));
  }

  /** {@code by} recalls entry {@code seq}; returns the recall entry. */
  synchronized Message recall(long by, long conversationId, long seq) {
    Conv c = conversations.get(conversationId);
    Message target = c.log.get((int) seq - 1);
    c.log.set((int) seq - 1, target.toBuilder().clearContent().setRecalled(true).setRecalledAtMs(clock + 1).build());
    return append(c, by, "", Message.newBuilder().setRecall(RecallContent.newBuilder().setTargetSeq(seq)));
  }

  /** {@code user} reads up to {@code seq}: a read marker for them, receipts for the others. */
  synchronized ReadMarker markRead(long user, long conversationId, long seq) {
    Conv c = conversations.get(conversationId);
    long before = c.readSeq.getOrDefault(user, 0L);
    long after = Math.min(Math.max(before, seq), c.lastSeq());
    c.readSeq.put(user, after);
    ReadMarker marker = ReadMarker.newBuilder()
        .setConversationId(c.id).setReadSeq(after).setUnreadCount(unread(user, c)).build();
    if (after > before) {
      appendUpdate(user, Update.newBuilder().setReadMarker(marker));
      Set<Long> told = new LinkedHashSet<>();
      for (long s = before + 1; s <= after; s++) {
        Message m = c.log.get((int) s - 1);
        if (c.type == ConversationType.CONVERSATION_TYPE_DIRECT || UpdateApplier.isUserMessage(m) || m.getRecalled()) {
          told.add(c.type == ConversationType.CONVERSATION_TYPE_DIRECT ? other(c, user) : m.getSenderId());
        }
      }
      told.remove(user);
      for (long other : told) {
        appendUpdate(other, Update.newBuilder().setReadReceipt(
            ReadReceipt.newBuilder().setConversationId(c.id).setUserId(user).setReadSeq(after)));
      }
    }
    return marker;
  }

  /** Appends an update to a user's feed (next pts) and delivers it live. */
  synchronized Update appendUpdate(long user, Update.Builder update) {
    List<Update> feed = feeds.computeIfAbsent(user, u -> new ArrayList<>());
    Update numbered = update.setPts(feed.size() + 1).build();
    feed.add(numbered);
    if (user == SELF && deliverIf.test(numbered)) {
      Event event = Event.newBuilder().setUpdate(numbered).build();
      for (FakeSocket socket : server.sockets) {
        if (socket.authenticated && socket.channel.isActive()) {
          socket.channel.eventLoop().execute(() -> socket.event(event));
        }
      }
    }
    return numbered;
  }

  /** The feed of a user as it is now (left-out updates are null). */
  synchronized List<Update> feed(long user) {
    return new ArrayList<>(feeds.getOrDefault(user, List.of()));
  }

  synchronized long head(long user) {
    return feeds.getOrDefault(user, List.of()).size();
  }

  /** Forgets an update, as the server does with updates that no longer exist: get_difference skips it. */
  synchronized void leaveOut(long user, long pts) {
    feeds.get(user).set((int) pts - 1, null);
  }

  /** Retention: keeps only the updates from {@code firstKept} on; older cursors get too_long. */
  synchronized void trim(long user, long firstKept) {
    firstKeptPts.put(user, firstKept);
  }

  /** The conversation summary as {@code user} would get it from get_conversations. */
  synchronized Conversation summary(long user, long conversationId) {
    return summary(user, conversations.get(conversationId));
  }

  /** The log of a conversation as it is now. */
  synchronized List<Message> log(long conversationId) {
    return List.copyOf(conversations.get(conversationId).log);
  }

  synchronized long readSeq(long user, long conversationId) {
    return conversations.get(conversationId).readSeq.getOrDefault(user, 0L);
  }

  synchronized int unread(long user, long conversationId) {
    return unread(user, conversations.get(conversationId));
  }

  // --- the wire ---

  /** Answers a messaging request of SELF; null for an operation this model does not serve. */
  synchronized Response handle(Request request) {
    Response.Builder response = Response.newBuilder().setRequestId(request.getRequestId());
    switch (request.getOpCase()) {
      case SEND_MESSAGE -> {
        SendMessageRequest send = request.getSendMessage();
        Conv c = send.hasUserId() ? conversations.get(direct(SELF, send.getUserId()))
            : conversations.get(send.getConversationId());
        if (send.getClientMsgId().isEmpty() || send.getContentCase() == SendMessageRequest.ContentCase.CONTENT_NOT_SET) {
          return response.setError(FakeServer.error(400, Reason.INVALID_ARGUMENT, "client_msg_id and content")).build();
        }
        if (c == null || !c.members.contains(SELF)) {
          return response.setError(FakeServer.error(404, Reason.NOT_FOUND, "no such conversation")).build();
        }
        if (c.type == ConversationType.CONVERSATION_TYPE_DIRECT && blockedSelf.contains(other(c, SELF))) {
          return response.setError(FakeServer.error(403, Reason.BLOCKED, "blocked")).build();
        }
        Posted posted = post(c, send);
        Message m = posted.entry();
        response.setSendMessage(SendMessageResponse.newBuilder().setConversationId(c.id).setSeq(m.getSeq())
            .setMessageId(m.getMessageId()).setSentAtMs(m.getSentAtMs()).setDuplicate(posted.duplicate()));
      }
      case RECALL_MESSAGE -> {
        Conv c = conversations.get(request.getRecallMessage().getConversationId());
        long seq = request.getRecallMessage().getSeq();
        if (c == null || seq < 1 || seq > c.lastSeq() || c.log.get((int) seq - 1).getSenderId() != SELF) {
          return response.setError(FakeServer.error(403, Reason.PERMISSION_DENIED, "not yours")).build();
        }
        response.setRecallMessage(RecallMessageResponse.newBuilder().setSeq(recall(SELF, c.id, seq).getSeq()));
      }
      case GET_HISTORY -> {
        GetHistoryRequest h = request.getGetHistory();
        Conv c = conversations.get(h.getConversationId());
        if (c == null) {
          return response.setError(FakeServer.error(404, Reason.NOT_FOUND, "no such conversation")).build();
        }
        int limit = h.getLimit() == 0 ? 50 : h.getLimit();
        GetHistoryResponse.Builder page = GetHistoryResponse.newBuilder();
        if (h.getAfterSeq() > 0) {
          long s = h.getAfterSeq() + 1;
          for (; s <= c.lastSeq() && page.getMessagesCount() < limit; s++) {
            page.addMessages(c.log.get((int) s - 1));
          }
          page.setMore(s <= c.lastSeq());
        } else {
          long s = h.getBeforeSeq() == 0 ? c.lastSeq() : h.getBeforeSeq() - 1;
          for (; s >= 1 && page.getMessagesCount() < limit; s--) {
            page.addMessages(c.log.get((int) s - 1));
          }
          page.setMore(s >= 1);
        }
        response.setGetHistory(page);
      }
      case GET_READ_COUNTS -> {
        Conv c = conversations.get(request.getGetReadCounts().getConversationId());
        GetReadCountsResponse.Builder counts = GetReadCountsResponse.newBuilder();
        for (long seq : request.getGetReadCounts().getSeqsList()) {
          long sender = c.log.get((int) seq - 1).getSenderId();
          int n = (int) c.members.stream().filter(u -> u != sender && c.readSeq.getOrDefault(u, 0L) >= seq).count();
          counts.addCounts(GetReadCountsResponse.ReadCount.newBuilder().setSeq(seq).setReadCount(n));
        }
        response.setGetReadCounts(counts);
      }
      case MARK_READ -> {
        ReadMarker marker = markRead(SELF, request.getMarkRead().getConversationId(), request.getMarkRead().getSeq());
        response.setMarkRead(MarkReadResponse.newBuilder()
            .setReadSeq(marker.getReadSeq()).setUnreadCount(marker.getUnreadCount()));
      }
      case GET_STATE -> response.setGetState(GetStateResponse.newBuilder()
          .setPts(head(SELF)).setServerTimeMs(clock).setTotalUnread(totalUnread(SELF)));
      case GET_DIFFERENCE -> response.setGetDifference(difference(
          request.getGetDifference().getPts(), request.getGetDifference().getLimit()));
      case ACK -> {
        acks.add(request.getAck().getPts());
        response.setAck(dev.parley.proto.client.AckResponse.getDefaultInstance());
      }
      case GET_CONVERSATIONS -> response.setGetConversations(conversationPage(request.getGetConversations()));
      case GET_CONVERSATION -> {
        Conv c = conversations.get(request.getGetConversation().getConversationId());
        if (c == null || !c.members.contains(SELF)) {
          return response.setError(FakeServer.error(404, Reason.NOT_FOUND, "no such conversation")).build();
        }
        GetConversationResponse.Builder answer = GetConversationResponse.newBuilder().setConversation(summary(SELF, c));
        c.members.forEach(u -> answer.addMembers(Member.newBuilder().setUserId(u).setRole(Role.ROLE_MEMBER)
            .setReadSeq(c.readSeq.getOrDefault(u, 0L))));
        response.setGetConversation(answer);
      }
      case CREATE_GROUP -> {
        long id = group(request.getCreateGroup().getTitle(), SELF, request.getCreateGroup().getUserIdsList());
        response.setCreateGroup(CreateGroupResponse.newBuilder().setConversation(summary(SELF, conversations.get(id))));
      }
      case SEND_FRIEND_REQUEST -> {
        FriendRequest fr = FriendRequest.newBuilder().setFromUserId(SELF)
            .setToUserId(request.getSendFriendRequest().getUserId()).setNote(request.getSendFriendRequest().getNote())
            .setCreatedAtMs(clock).build();
        appendUpdate(SELF, Update.newBuilder().setFriendRequest(
            FriendRequestUpdate.newBuilder().setRequest(fr).setState(FriendRequestUpdate.State.SENT)));
        response.setSendFriendRequest(SendFriendRequestResponse.newBuilder().setFriends(false));
      }
      case BLOCK_USER -> {
        blockedBySelf.add(request.getBlockUser().getUserId());
        appendUpdate(SELF, Update.newBuilder().setBlock(
            BlockUpdate.newBuilder().setUserId(request.getBlockUser().getUserId()).setBlocked(true)));
        response.setBlockUser(BlockUserResponse.getDefaultInstance());
      }
      case UNBLOCK_USER -> {
        blockedBySelf.remove(request.getUnblockUser().getUserId());
        appendUpdate(SELF, Update.newBuilder().setBlock(
            BlockUpdate.newBuilder().setUserId(request.getUnblockUser().getUserId()).setBlocked(false)));
        response.setUnblockUser(UnblockUserResponse.getDefaultInstance());
      }
      case LIST_BLOCKED -> response.setListBlocked(ListBlockedResponse.newBuilder().addAllUserIds(blockedBySelf));
      default -> {
        return null;
      }
    }
    return response.build();
  }

  // --- internals (under the lock) ---

  private Posted post(Conv c, SendMessageRequest send) {
    for (Message m : c.log) {
      if (m.getSenderId() == SELF && m.getClientMsgId().equals(send.getClientMsgId())) {
        return new Posted(m, true);
      }
    }
    Message.Builder entry = Message.newBuilder();
    switch (send.getContentCase()) {
      case TEXT -> entry.setText(send.getText());
      case IMAGE -> entry.setImage(send.getImage());
      case FILE -> entry.setFile(send.getFile());
      default -> throw new AssertionError(send.getContentCase());
    }
    return new Posted(append(c, SELF, send.getClientMsgId(), entry), false);
  }

  private Message append(Conv c, long sender, String clientMsgId, Message.Builder entry) {
    clock += 1000;
    Message m = entry.setConversationId(c.id).setSeq(c.lastSeq() + 1).setMessageId(nextMessageId++)
        .setSenderId(sender).setClientMsgId(clientMsgId).setSentAtMs(clock).build();
    c.log.add(m);
    c.lastActivityMs = clock;
    if (UpdateApplier.isUserMessage(m)) {
      c.readSeq.merge(sender, m.getSeq(), Math::max); // sending implies having read
    }
    for (long member : c.members) {
      appendUpdate(member, Update.newBuilder().setMessage(m));
    }
    return m;
  }

  private GetDifferenceResponse difference(long from, int requestedLimit) {
    List<Update> feed = feeds.getOrDefault(SELF, List.of());
    GetDifferenceResponse.Builder answer = GetDifferenceResponse.newBuilder();
    if (from + 1 < firstKeptPts.getOrDefault(SELF, 1L)) {
      return answer.setTooLong(true).setPts(feed.size()).build();
    }
    int limit = requestedLimit == 0 ? 500 : requestedLimit;
    long pts = from;
    long p = from + 1;
    for (; p <= feed.size() && answer.getUpdatesCount() < limit; p++) {
      Update u = feed.get((int) p - 1);
      if (u != null) {
        answer.addUpdates(u);
        pts = p;
      }
    }
    return answer.setPts(pts).setMore(p <= feed.size()).build();
  }

  private GetConversationsResponse conversationPage(GetConversationsRequest request) {
    List<Conv> mine = conversations.values().stream()
        .filter(c -> c.members.contains(SELF))
        .sorted(Comparator.comparingLong((Conv c) -> c.lastActivityMs).reversed())
        .toList();
    int limit = request.getLimit() == 0 ? 50 : request.getLimit();
    int offset = request.getCursor().isEmpty() ? 0 : Integer.parseInt(request.getCursor());
    GetConversationsResponse.Builder page = GetConversationsResponse.newBuilder().setTotalUnread(totalUnread(SELF));
    for (int i = offset; i < Math.min(mine.size(), offset + limit); i++) {
      page.addConversations(summary(SELF, mine.get(i)));
    }
    if (offset + limit < mine.size()) {
      page.setNextCursor(Integer.toString(offset + limit));
    }
    return page.build();
  }

  private Conversation summary(long user, Conv c) {
    Conversation.Builder s = Conversation.newBuilder().setConversationId(c.id).setType(c.type)
        .setLastSeq(c.lastSeq()).setReadSeq(c.readSeq.getOrDefault(user, 0L)).setUnreadCount(unread(user, c))
        .setMemberCount(c.members.size()).setRole(Role.ROLE_MEMBER).setLastActivityMs(c.lastActivityMs);
    if (c.type == ConversationType.CONVERSATION_TYPE_DIRECT) {
      long peer = other(c, user);
      s.setPeerUserId(peer).setPeerReadSeq(c.readSeq.getOrDefault(peer, 0L));
    } else {
      s.setTitle(c.title);
    }
    if (!c.log.isEmpty()) {
      s.setLastMessage(c.log.getLast());
    }
    return s.build();
  }

  private int unread(long user, Conv c) {
    int n = 0;
    for (long s = c.readSeq.getOrDefault(user, 0L) + 1; s <= c.lastSeq(); s++) {
      Message m = c.log.get((int) s - 1);
      if (UpdateApplier.isUserMessage(m) && m.getSenderId() != user) {
        n++;
      }
    }
    return n;
  }

  private int totalUnread(long user) {
    return conversations.values().stream().filter(c -> c.members.contains(user)).mapToInt(c -> unread(user, c)).sum();
  }

  private static long other(Conv c, long user) {
    return c.members.get(0) == user ? c.members.get(1) : c.members.get(0);
  }
}
