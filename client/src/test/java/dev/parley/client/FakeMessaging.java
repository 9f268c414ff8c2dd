package dev.parley.client;

import dev.parley.proto.client.BlockUpdate;
import dev.parley.proto.client.BlockUserResponse;
import dev.parley.proto.client.Conversation;
import dev.parley.proto.client.ConversationType;
import dev.parley.proto.client.CreateGroupResponse;
import dev.parley.proto.client.EditContent;
import dev.parley.proto.client.Error.Reason;
import dev.parley.proto.client.Event;
import dev.parley.proto.client.FriendRequest;
import dev.parley.proto.client.FriendRequestUpdate;
import dev.parley.proto.client.GetConversationResponse;
import dev.parley.proto.client.GetConversationsRequest;
import dev.parley.proto.client.GetConversationsResponse;
import dev.parley.proto.client.GetDifferenceResponse;
import dev.parley.proto.client.GetReadCountsResponse;
import dev.parley.proto.client.GetStateResponse;
import dev.parley.proto.client.GroupProgress;
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
import dev.parley.proto.client.ServiceContent.Action;
import dev.parley.proto.client.SyncGroupsRequest;
import dev.parley.proto.client.SyncGroupsResponse;
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
 * The messaging part of the {@link FakeServer}, modelling protocol version 2 (design.md 8.3):
 * gap-free conversation logs with membership windows ({@link FakeConversation}), one update feed
 * per user, exactly-once send, recall, read markers, {@code sync_groups}, and just enough relations
 * for the listeners. Every socket belongs to {@link #SELF}; other users act through the test-facing
 * methods.
 *
 * <p>What goes where, as on the real server: a one-to-one entry goes to both users' feeds; a group
 * entry goes only to its log, except those that change a user's own membership (created, added,
 * removed, left, disbanded), which also go to that user's feed. Live, SELF gets a feed update with
 * its pts, and every other entry of a group it belongs to (or just lost) without pts.
 *
 * <p>Each change happens under this object's lock, and so does handing its live updates to the
 * event loop, so updates reach a socket in the order they were made unless a test says otherwise
 * ({@link #deliverIf}).
 */
final class FakeMessaging {
  static final long SELF = FakeServer.USER_ID;

  record Posted(Message entry, boolean duplicate) {}

  private final FakeServer server;
  private final Map<Long, FakeConversation> conversations = new HashMap<>();
  private final Map<Long, List<Update>> feeds = new HashMap<>(); // index = pts - 1; null: left out
  private final Map<Long, Long> firstKeptPts = new HashMap<>();
  private final Set<Long> blockedBySelf = new LinkedHashSet<>();
  private long nextConversationId = 100;
  private long nextMessageId = 10_000;
  private long clock = 1_700_000_000_000L;

  /** Every ack received, in order. */
  final List<Long> acks = new CopyOnWriteArrayList<>();

  /** Every sync_groups request received, in order. */
  final List<SyncGroupsRequest> syncGroupsRequests = new CopyOnWriteArrayList<>();

  /** The last ack received; -1 before the first. */
  long lastAck() {
    return acks.isEmpty() ? -1 : acks.getLast();
  }

  /** Users whose messages to SELF the server refuses (BLOCKED). */
  final Set<Long> blockedSelf = new LinkedHashSet<>();

  /**
   * Live updates of SELF (with pts or without) that fail this test are not sent; they stay in the
   * feed and logs.
   */
  volatile Predicate<Update> deliverIf = update -> true;

  FakeMessaging(FakeServer server) {
    this.server = server;
  }

  // --- the model, for tests ---

  /** The direct conversation of two users, created if needed. */
  synchronized long direct(long a, long b) {
    for (FakeConversation c : conversations.values()) {
      if (c.type == ConversationType.CONVERSATION_TYPE_DIRECT && c.wasMember(a) && c.wasMember(b)) {
        return c.id;
      }
    }
    FakeConversation c =
        new FakeConversation(nextConversationId++, ConversationType.CONVERSATION_TYPE_DIRECT);
    c.join(a, 1);
    c.join(b, 1);
    conversations.put(c.id, c);
    return c.id;
  }

  /**
   * A group created by {@code owner} with a GROUP_CREATED entry at seq 1, in every first member's
   * feed.
   */
  synchronized long group(String title, long owner, List<Long> others) {
    FakeConversation c =
        new FakeConversation(nextConversationId++, ConversationType.CONVERSATION_TYPE_GROUP);
    c.title = title;
    c.join(owner, 1);
    others.forEach(u -> c.join(u, 1));
    conversations.put(c.id, c);
    append(c, owner, service(Action.GROUP_CREATED, owner, others, title), c.members(), List.of());
    return c.id;
  }

  /** {@code by} adds {@code users}; they read from the MEMBERS_ADDED entry on. */
  synchronized Message invite(long by, long conversationId, List<Long> users) {
    FakeConversation c = conversations.get(conversationId);
    users.forEach(u -> c.join(u, c.lastSeq() + 1));
    return append(c, by, service(Action.MEMBERS_ADDED, by, users, ""), users, List.of());
  }

  /** {@code by} removes {@code user}, who keeps reading up to the MEMBER_REMOVED entry. */
  synchronized Message remove(long by, long conversationId, long user) {
    FakeConversation c = conversations.get(conversationId);
    c.end(user, c.lastSeq() + 1);
    return append(
        c, by, service(Action.MEMBER_REMOVED, by, List.of(user), ""), List.of(user), List.of(user));
  }

  /** {@code user} leaves. */
  synchronized Message leave(long user, long conversationId) {
    FakeConversation c = conversations.get(conversationId);
    c.end(user, c.lastSeq() + 1);
    return append(
        c, user, service(Action.MEMBER_LEFT, user, List.of(), ""), List.of(user), List.of(user));
  }

  /** {@code by} disbands the group: every member's window ends at the GROUP_DISBANDED entry. */
  synchronized Message disband(long by, long conversationId) {
    FakeConversation c = conversations.get(conversationId);
    List<Long> members = c.members();
    members.forEach(u -> c.end(u, c.lastSeq() + 1));
    c.disbanded = true;
    return append(c, by, service(Action.GROUP_DISBANDED, by, List.of(), ""), members, members);
  }

  /** {@code by} renames the group: a log entry only. */
  synchronized Message rename(long by, long conversationId, String title) {
    FakeConversation c = conversations.get(conversationId);
    c.title = title;
    return append(c, by, service(Action.TITLE_CHANGED, by, List.of(), title), List.of(), List.of());
  }

  /** {@code sender} sends a text to the conversation. */
  synchronized Message text(long sender, long conversationId, String text) {
    FakeConversation c = conversations.get(conversationId);
    return append(
        c, sender, "", Message.newBuilder().setText(TextContent.newBuilder().setText(text)));
  }

  /** {@code by} recalls entry {@code seq}; returns the recall entry. */
  synchronized Message recall(long by, long conversationId, long seq) {
    FakeConversation c = conversations.get(conversationId);
    Message target = c.entry(seq).orElseThrow();
    long at = clock + 1000; // the recall entry's sent_at_ms: one transaction
    c.log.set(
        (int) seq - 1,
        target.toBuilder().clearContent().setRecalled(true).setRecalledAtMs(at).build());
    return append(
        c, by, "", Message.newBuilder().setRecall(RecallContent.newBuilder().setTargetSeq(seq)));
  }

  /**
   * {@code by} edits the text of entry {@code seq}: the target takes the text and the edit time, as
   * the server's one transaction does; returns the edit entry.
   */
  synchronized Message edit(long by, long conversationId, long seq, String text) {
    FakeConversation c = conversations.get(conversationId);
    Message target = c.entry(seq).orElseThrow();
    long at = clock + 1000; // the edit entry's sent_at_ms
    c.log.set(
        (int) seq - 1,
        target.toBuilder()
            .setText(TextContent.newBuilder().setText(text))
            .setEditedAtMs(at)
            .build());
    return append(
        c,
        by,
        "",
        Message.newBuilder().setEdit(EditContent.newBuilder().setTargetSeq(seq).setText(text)));
  }

  /** Retention: deletes the entries of a conversation up to {@code seq}; sync_groups skips them. */
  synchronized void forgetEntries(long conversationId, long seq) {
    FakeConversation c = conversations.get(conversationId);
    for (long s = 1; s <= seq; s++) {
      c.log.set((int) s - 1, null);
    }
  }

  /**
   * {@code user} reads up to {@code seq}: a read marker (counted at their visible head) for them,
   * receipts for the other side (direct) or for the senders of the newly read messages (group).
   */
  synchronized ReadMarker markRead(long user, long conversationId, long seq) {
    FakeConversation c = conversations.get(conversationId);
    long before = c.readSeq.getOrDefault(user, 0L);
    long head = c.visibleHead(user);
    long after = Math.min(Math.max(before, seq), head);
    c.readSeq.put(user, after);
    ReadMarker marker =
        ReadMarker.newBuilder()
            .setConversationId(c.id)
            .setReadSeq(after)
            .setUnreadCount(c.unread(user))
            .setLastSeq(head)
            .build();
    if (after > before) {
      appendUpdate(user, Update.newBuilder().setReadMarker(marker));
      Set<Long> told = new LinkedHashSet<>();
      for (long s = before + 1; s <= after; s++) {
        Message m = c.entry(s).orElse(null);
        if (c.type == ConversationType.CONVERSATION_TYPE_DIRECT) {
          told.add(c.other(user));
        } else if (m != null && (UpdateApplier.isUserMessage(m) || m.getRecalled())) {
          told.add(m.getSenderId());
        }
      }
      told.remove(user);
      for (long other : told) {
        appendUpdate(
            other,
            Update.newBuilder()
                .setReadReceipt(
                    ReadReceipt.newBuilder()
                        .setConversationId(c.id)
                        .setUserId(user)
                        .setReadSeq(after)));
      }
    }
    return marker;
  }

  /** Appends an update to a user's feed (next pts) and delivers it live to SELF. */
  synchronized Update appendUpdate(long user, Update.Builder update) {
    List<Update> feed = feeds.computeIfAbsent(user, u -> new ArrayList<>());
    Update numbered = update.setPts(feed.size() + 1).build();
    feed.add(numbered);
    if (user == SELF) {
      deliverLive(numbered);
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

  /**
   * Forgets an update, as the server does with updates that no longer exist: get_difference skips
   * it.
   */
  synchronized void leaveOut(long user, long pts) {
    feeds.get(user).set((int) pts - 1, null);
  }

  /** Retention: keeps only the updates from {@code firstKept} on; older cursors get too_long. */
  synchronized void trim(long user, long firstKept) {
    firstKeptPts.put(user, firstKept);
  }

  /** The conversation summary as {@code user} would get it from get_conversations. */
  synchronized Conversation summary(long user, long conversationId) {
    return conversations.get(conversationId).summary(user);
  }

  /** The log of a conversation as it is now (entries deleted by retention are left out). */
  synchronized List<Message> log(long conversationId) {
    return conversations.get(conversationId).log.stream().filter(m -> m != null).toList();
  }

  /** The entries {@code user} may read, oldest first. */
  synchronized List<Message> visibleLog(long user, long conversationId) {
    FakeConversation c = conversations.get(conversationId);
    List<Message> visible = new ArrayList<>();
    for (long s = c.firstVisible(user); s <= c.visibleHead(user); s++) {
      c.entry(s).ifPresent(visible::add);
    }
    return visible;
  }

  synchronized long readSeq(long user, long conversationId) {
    return conversations.get(conversationId).readSeq.getOrDefault(user, 0L);
  }

  synchronized int unread(long user, long conversationId) {
    return conversations.get(conversationId).unread(user);
  }

  // --- the wire ---

  /** Answers a messaging request of SELF; null for an operation this model does not serve. */
  synchronized Response handle(Request request) {
    Response.Builder response = Response.newBuilder().setRequestId(request.getRequestId());
    switch (request.getOpCase()) {
      case SEND_MESSAGE -> {
        SendMessageRequest send = request.getSendMessage();
        FakeConversation c =
            send.hasUserId()
                ? conversations.get(direct(SELF, send.getUserId()))
                : conversations.get(send.getConversationId());
        if (send.getClientMsgId().isEmpty()
            || send.getContentCase() == SendMessageRequest.ContentCase.CONTENT_NOT_SET) {
          return response
              .setError(FakeServer.error(400, Reason.INVALID_ARGUMENT, "client_msg_id and content"))
              .build();
        }
        if (c == null || !c.isMember(SELF)) {
          return response
              .setError(FakeServer.error(404, Reason.NOT_FOUND, "no such conversation"))
              .build();
        }
        if (c.type == ConversationType.CONVERSATION_TYPE_DIRECT
            && blockedSelf.contains(c.other(SELF))) {
          return response.setError(FakeServer.error(403, Reason.BLOCKED, "blocked")).build();
        }
        Posted posted = post(c, send);
        Message m = posted.entry();
        response.setSendMessage(
            SendMessageResponse.newBuilder()
                .setConversationId(c.id)
                .setSeq(m.getSeq())
                .setMessageId(m.getMessageId())
                .setSentAtMs(m.getSentAtMs())
                .setDuplicate(posted.duplicate()));
      }
      case RECALL_MESSAGE -> {
        FakeConversation c = conversations.get(request.getRecallMessage().getConversationId());
        long seq = request.getRecallMessage().getSeq();
        if (c == null || c.entry(seq).map(m -> m.getSenderId() != SELF).orElse(true)) {
          return response
              .setError(FakeServer.error(403, Reason.PERMISSION_DENIED, "not yours"))
              .build();
        }
        response.setRecallMessage(
            RecallMessageResponse.newBuilder().setSeq(recall(SELF, c.id, seq).getSeq()));
      }
      case GET_HISTORY -> {
        FakeConversation c = conversations.get(request.getGetHistory().getConversationId());
        if (c == null || !c.wasMember(SELF)) {
          return response
              .setError(FakeServer.error(404, Reason.NOT_FOUND, "no such conversation"))
              .build();
        }
        response.setGetHistory(c.history(SELF, request.getGetHistory()));
      }
      case GET_READ_COUNTS -> {
        FakeConversation c = conversations.get(request.getGetReadCounts().getConversationId());
        GetReadCountsResponse.Builder counts = GetReadCountsResponse.newBuilder();
        for (long seq : request.getGetReadCounts().getSeqsList()) {
          long sender = c.entry(seq).orElseThrow().getSenderId();
          int n =
              (int)
                  c.members().stream()
                      .filter(u -> u != sender && c.readSeq.getOrDefault(u, 0L) >= seq)
                      .count();
          counts.addCounts(
              GetReadCountsResponse.ReadCount.newBuilder().setSeq(seq).setReadCount(n));
        }
        response.setGetReadCounts(counts);
      }
      case MARK_READ -> {
        ReadMarker marker =
            markRead(
                SELF, request.getMarkRead().getConversationId(), request.getMarkRead().getSeq());
        response.setMarkRead(
            MarkReadResponse.newBuilder()
                .setReadSeq(marker.getReadSeq())
                .setUnreadCount(marker.getUnreadCount()));
      }
      case GET_STATE ->
          response.setGetState(
              GetStateResponse.newBuilder()
                  .setPts(head(SELF))
                  .setServerTimeMs(clock)
                  .setTotalUnread(totalUnread(SELF)));
      case GET_DIFFERENCE ->
          response.setGetDifference(
              difference(
                  request.getGetDifference().getPts(), request.getGetDifference().getLimit()));
      case SYNC_GROUPS -> {
        SyncGroupsRequest sync = request.getSyncGroups();
        syncGroupsRequests.add(sync);
        if (sync.getConversationIdsCount() != sync.getSeqsCount()
            || sync.getConversationIdsCount() > 5000
            || sync.getLimit() > 1000) {
          return response
              .setError(FakeServer.error(400, Reason.INVALID_ARGUMENT, "bad sync_groups"))
              .build();
        }
        response.setSyncGroups(syncGroups(sync));
      }
      case ACK -> {
        acks.add(request.getAck().getPts());
        response.setAck(dev.parley.proto.client.AckResponse.getDefaultInstance());
      }
      case GET_CONVERSATIONS ->
          response.setGetConversations(conversationPage(request.getGetConversations()));
      case GET_CONVERSATION -> {
        FakeConversation c = conversations.get(request.getGetConversation().getConversationId());
        if (c == null || !c.wasMember(SELF)) {
          return response
              .setError(FakeServer.error(404, Reason.NOT_FOUND, "no such conversation"))
              .build();
        }
        GetConversationResponse.Builder answer =
            GetConversationResponse.newBuilder().setConversation(c.summary(SELF));
        c.members()
            .forEach(
                u ->
                    answer.addMembers(
                        Member.newBuilder()
                            .setUserId(u)
                            .setRole(Role.ROLE_MEMBER)
                            .setReadSeq(c.readSeq.getOrDefault(u, 0L))));
        response.setGetConversation(answer);
      }
      case CREATE_GROUP -> {
        long id =
            group(
                request.getCreateGroup().getTitle(),
                SELF,
                request.getCreateGroup().getUserIdsList());
        response.setCreateGroup(
            CreateGroupResponse.newBuilder().setConversation(conversations.get(id).summary(SELF)));
      }
      case SEND_FRIEND_REQUEST -> {
        FriendRequest fr =
            FriendRequest.newBuilder()
                .setFromUserId(SELF)
                .setToUserId(request.getSendFriendRequest().getUserId())
                .setNote(request.getSendFriendRequest().getNote())
                .setCreatedAtMs(clock)
                .build();
        appendUpdate(
            SELF,
            Update.newBuilder()
                .setFriendRequest(
                    FriendRequestUpdate.newBuilder()
                        .setRequest(fr)
                        .setState(FriendRequestUpdate.State.SENT)));
        response.setSendFriendRequest(SendFriendRequestResponse.newBuilder().setFriends(false));
      }
      case BLOCK_USER -> {
        blockedBySelf.add(request.getBlockUser().getUserId());
        appendUpdate(
            SELF,
            Update.newBuilder()
                .setBlock(
                    BlockUpdate.newBuilder()
                        .setUserId(request.getBlockUser().getUserId())
                        .setBlocked(true)));
        response.setBlockUser(BlockUserResponse.getDefaultInstance());
      }
      case UNBLOCK_USER -> {
        blockedBySelf.remove(request.getUnblockUser().getUserId());
        appendUpdate(
            SELF,
            Update.newBuilder()
                .setBlock(
                    BlockUpdate.newBuilder()
                        .setUserId(request.getUnblockUser().getUserId())
                        .setBlocked(false)));
        response.setUnblockUser(UnblockUserResponse.getDefaultInstance());
      }
      case LIST_BLOCKED ->
          response.setListBlocked(ListBlockedResponse.newBuilder().addAllUserIds(blockedBySelf));
      default -> {
        return null;
      }
    }
    return response.build();
  }

  // --- internals (under the lock) ---

  private Posted post(FakeConversation c, SendMessageRequest send) {
    for (Message m : c.log) {
      if (m != null
          && m.getSenderId() == SELF
          && m.getClientMsgId().equals(send.getClientMsgId())) {
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

  /** A message or recall: in both feeds of a direct conversation, in nobody's for a group. */
  private Message append(
      FakeConversation c, long sender, String clientMsgId, Message.Builder entry) {
    List<Long> feedUsers =
        c.type == ConversationType.CONVERSATION_TYPE_DIRECT ? c.members() : List.of();
    return append(c, sender, entry.setClientMsgId(clientMsgId), feedUsers, List.of());
  }

  /**
   * Appends an entry to the log and to the feeds of {@code feedUsers}; live, it reaches the current
   * members and {@code formerMembers} (who lost the membership by it): with its pts where a feed
   * has it.
   */
  private Message append(
      FakeConversation c,
      long sender,
      Message.Builder entry,
      List<Long> feedUsers,
      List<Long> formerMembers) {
    clock += 1000;
    Message m =
        entry
            .setConversationId(c.id)
            .setSeq(c.lastSeq() + 1)
            .setMessageId(nextMessageId++)
            .setSenderId(sender)
            .setSentAtMs(clock)
            .build();
    c.log.add(m);
    c.lastActivityMs = clock;
    if (UpdateApplier.isUserMessage(m)) {
      c.readSeq.merge(sender, m.getSeq(), Math::max); // sending implies having read
    }
    for (long user : feedUsers) {
      appendUpdate(user, Update.newBuilder().setMessage(m)); // live to SELF with its pts
    }
    if (!feedUsers.contains(SELF) && (c.isMember(SELF) || formerMembers.contains(SELF))) {
      deliverLive(Update.newBuilder().setMessage(m).build()); // a group entry: no pts
    }
    return m;
  }

  private static Message.Builder service(
      Action action, long actor, List<Long> users, String title) {
    return Message.newBuilder()
        .setService(
            ServiceContent.newBuilder()
                .setAction(action)
                .setActorId(actor)
                .addAllUserIds(users)
                .setTitle(title));
  }

  private void deliverLive(Update update) {
    if (!deliverIf.test(update)) {
      return;
    }
    Event event = Event.newBuilder().setUpdate(update).build();
    for (FakeSocket socket : server.sockets) {
      if (socket.authenticated && socket.channel.isActive()) {
        socket.channel.eventLoop().execute(() -> socket.event(event));
      }
    }
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

  /**
   * As design.md 8.3 describes it: per listed group, the entries after max(held, first visible - 1)
   * up to the visible head, within the answer's limit; synced_seq passes over entries retention
   * deleted.
   */
  private SyncGroupsResponse syncGroups(SyncGroupsRequest request) {
    int budget = request.getLimit() == 0 ? 500 : request.getLimit();
    SyncGroupsResponse.Builder answer = SyncGroupsResponse.newBuilder();
    for (int i = 0; i < request.getConversationIdsCount(); i++) {
      long id = request.getConversationIds(i);
      FakeConversation c = conversations.get(id);
      if (c == null || !c.wasMember(SELF)) {
        answer.addNotFound(id);
        continue;
      }
      long end = c.visibleHead(SELF);
      long from = Math.max(request.getSeqs(i), c.firstVisible(SELF) - 1);
      if (from >= end) {
        continue; // did not move: nothing on the wire
      }
      long synced = from;
      for (long s = from + 1; s <= end && budget > 0; s++) {
        Message entry = c.entry(s).orElse(null);
        if (entry != null) {
          answer.addMessages(entry);
          budget--;
        }
        synced = s;
      }
      answer.addGroups(
          GroupProgress.newBuilder()
              .setConversationId(id)
              .setSyncedSeq(synced)
              .setLastSeq(end)
              .setLeft(!c.isMember(SELF)));
      answer.setMore(answer.getMore() || synced < end);
    }
    return answer.build();
  }

  private GetConversationsResponse conversationPage(GetConversationsRequest request) {
    List<FakeConversation> mine =
        conversations.values().stream()
            .filter(c -> c.wasMember(SELF))
            .sorted(Comparator.comparingLong((FakeConversation c) -> c.lastActivityMs).reversed())
            .toList();
    int limit = request.getLimit() == 0 ? 50 : request.getLimit();
    int offset = request.getCursor().isEmpty() ? 0 : Integer.parseInt(request.getCursor());
    GetConversationsResponse.Builder page =
        GetConversationsResponse.newBuilder().setTotalUnread(totalUnread(SELF));
    for (int i = offset; i < Math.min(mine.size(), offset + limit); i++) {
      page.addConversations(mine.get(i).summary(SELF));
    }
    if (offset + limit < mine.size()) {
      page.setNextCursor(Integer.toString(offset + limit));
    }
    return page.build();
  }

  private int totalUnread(long user) {
    return conversations.values().stream()
        .filter(c -> c.wasMember(user))
        .mapToInt(c -> c.unread(user))
        .sum();
  }
}
