package dev.parley.client;

import dev.parley.proto.client.BlockUpdate;
import dev.parley.proto.client.ChatState;
import dev.parley.proto.client.ChatStateUpdate;
import dev.parley.proto.client.EditMessageResponse;
import dev.parley.proto.client.FileContent;
import dev.parley.proto.client.ForwardMessagesResponse;
import dev.parley.proto.client.FriendRequestUpdate;
import dev.parley.proto.client.FriendUpdate;
import dev.parley.proto.client.GetPinnedMessagesResponse;
import dev.parley.proto.client.ImageContent;
import dev.parley.proto.client.MarkReadResponse;
import dev.parley.proto.client.Mention;
import dev.parley.proto.client.Message;
import dev.parley.proto.client.NotifySettings;
import dev.parley.proto.client.PinMessageResponse;
import dev.parley.proto.client.ReadMarker;
import dev.parley.proto.client.ReadReceipt;
import dev.parley.proto.client.SearchChatsResponse;
import dev.parley.proto.client.SearchContactsResponse;
import dev.parley.proto.client.SearchMessagesRequest;
import dev.parley.proto.client.SearchMessagesResponse;
import dev.parley.proto.client.SendMessageRequest;
import dev.parley.proto.client.SendMessageResponse;
import dev.parley.proto.client.SetReactionsResponse;
import dev.parley.proto.client.SetTypingResponse;
import dev.parley.proto.client.TextContent;
import dev.parley.proto.client.TypingState;
import dev.parley.proto.client.UnpinMessageResponse;
import dev.parley.proto.client.UserPresence;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Messaging on a {@link Connection}: keeps a {@link SyncStore} in step with the user's update feed
 * and the logs of their groups, on every device of the user, and sends messages exactly once,
 * across restarts.
 *
 * <pre>{@code
 * MemorySyncStore store = new MemorySyncStore();
 * Connection connection = client.newConnection(TokenStore.inMemory(credentials));
 * Messenger messenger = Messenger.attach(connection, store);
 * messenger.onMessage(m -> show(m));
 * connection.start();
 * messenger.awaitSynced(Duration.ofSeconds(10));
 *
 * SendMessageResponse sent = Futures.await(messenger.sendText(Recipient.user(bob), "hello"));
 * List<Message> log = messenger.awaitMessages(sent.getConversationId(), 1, Duration.ofSeconds(5));
 * }</pre>
 *
 * <h2>Receiving: what is guaranteed</h2>
 *
 * <ul>
 *   <li>On every READY (the first connection and every reconnect) the messenger catches up: a new
 *       device (a store without pts) rebuilds from the conversation list; then it asks for the
 *       feed's difference since its pts, and then {@code sync_groups} for the entries of its groups
 *       after the seq it holds of each. Then {@link #onSynced} listeners run. See {@link
 *       SyncEngine}.
 *   <li>Feed updates are applied in pts order, each once; a group's entries (which since protocol
 *       version 2 are in the group's log, not in the feed) in seq order per group, each once
 *       ({@link GroupSync}). Live duplicates are dropped by pts, entries by (conversation, seq); a
 *       gap in the live pts is repaired with {@code get_difference} after a short wait, a gap in a
 *       group's seqs with {@code sync_groups}, one in a one-to-one conversation's seqs with {@code
 *       get_history}.
 *   <li>{@link #onMessage} sees every new entry (messages, service entries, recalls) once, in seq
 *       order per conversation. Entries that a rebuild's baseline covers (a new device, or a pts
 *       too old for the server: {@link SyncStats#rebuilt()}) are not delivered one by one: reload
 *       from the store.
 *   <li>Notification settings follow the feed: a {@code CHAT_STATE} update replaces the
 *       conversation summary's {@code chat_state} ({@link SyncStore#chatState}), a {@code
 *       NOTIFY_SETTINGS} update the store's {@link SyncStore#notifySettings}; {@link #onChatState}
 *       and {@link #onNotifySettings} hear of them after the store.
 *   <li>Recalls, edits, reactions, read markers and read receipts are applied to the store; see
 *       {@link UnreadCounter} for how unread counts stay equal to the server's although markers and
 *       group entries interleave.
 *   <li>A group's service entries keep its summary current (title, the user's role, {@code left}
 *       and the visible window); a removed member gets the entries up to their removal and nothing
 *       later.
 * </ul>
 *
 * <h2>Sending</h2>
 *
 * {@link #send(SendMessageRequest.Builder, String)} and its shortcuts resend the same {@code
 * client_msg_id} after a timeout, a dropped connection or a reconnect, with back-off, until the
 * server answers or the send timeout passes; a definite error ends it at once. See {@link Outbox}.
 * The sent message reaches the store like any other entry, through the feed or its group's log.
 *
 * <p>Every send is kept in the store's outbox until the server has answered it definitely. A
 * messenger attached to a store whose outbox holds sends (an earlier process ended before their
 * answer) resends each, with its {@code client_msg_id}, after its first catch-up; {@link
 * #resumedSends()} gives their results. A message the user gives up on is removed with {@link
 * SyncStore#removePendingSend}.
 *
 * <h2>Threads</h2>
 *
 * Synchronization runs on the messenger's own serial executor, never on the connection's threads.
 * Listeners run one at a time, in the order the messenger emitted their values, on a separate
 * callback executor (virtual threads): a listener may block, even on a request or an {@code await}
 * method, but it delays the listeners after it. The store is written before the listeners hear of a
 * change.
 */
public final class Messenger implements AutoCloseable {

  private final Connection connection;
  private final SyncStore store;
  private final SyncListeners listeners;
  private final SyncEngine engine;
  private final Outbox outbox;
  private final Map<String, CompletableFuture<SendMessageResponse>> resumedSends;
  private final List<Connection.Subscription> subscriptions;
  private final TypingTracker typing;
  private final Object progress = new Object();

  private Messenger(Connection connection, SyncStore store, MessengerSettings settings) {
    this.connection = connection;
    this.store = store;
    ClientResources resources = connection.resources();
    this.listeners =
        new SyncListeners(
            connection.name() + "-messenger",
            new SerialExecutor(connection.name() + "-messenger-callbacks", resources.workers()));
    this.outbox = new Outbox(connection, store, settings);
    this.resumedSends = outbox.restore(store.pendingSends());
    this.engine =
        new SyncEngine(
            connection,
            store,
            listeners,
            settings,
            new SerialExecutor(connection.name() + "-sync", resources.workers()),
            this::progressed,
            outbox::resumeRestored);
    this.typing = new TypingTracker(Clock.systemUTC(), resources.timer(), listeners.typing::emit);
    this.subscriptions =
        List.of(
            connection.onStateChange(engine::stateChanged),
            connection.onEvent(engine::event),
            connection.onEvent(
                e -> {
                  if (e.hasTyping()) typing.event(e.getTyping());
                  if (e.hasPresenceChanged()) listeners.presence.emit(e.getPresenceChanged());
                }),
            connection.onStateChange(
                s -> {
                  if (s != Connection.State.READY) typing.clear();
                }));
    if (connection.state() == Connection.State.READY) { // else the state change to READY starts it
      engine.stateChanged(Connection.State.READY);
    }
  }

  /**
   * A messenger with the default settings; attach before {@link Connection#start()} to miss
   * nothing.
   */
  public static Messenger attach(Connection connection, SyncStore store) {
    return builder(connection, store).attach();
  }

  public static Builder builder(Connection connection, SyncStore store) {
    return new Builder(connection, store);
  }

  public Connection connection() {
    return connection;
  }

  public SyncStore store() {
    return store;
  }

  // --- listeners ---

  /** Every new entry of every conversation, once, in seq order per conversation. */
  public Connection.Subscription onMessage(Consumer<? super Message> listener) {
    return listeners.messages.add(listener);
  }

  /**
   * Recall entries (after {@link #onMessage} saw them); the target in the store is recalled by
   * then.
   */
  public Connection.Subscription onRecall(Consumer<? super Message> listener) {
    return listeners.recalls.add(listener);
  }

  /**
   * Edit entries (after {@link #onMessage} saw them); the target in the store carries the new text
   * or caption and its {@code edited_at_ms} by then (when the store holds the target). A reply's
   * quote of the edited message is not rewritten in the store: {@code get_history} returns the
   * current quote.
   */
  public Connection.Subscription onEdit(Consumer<? super Message> listener) {
    return listeners.edits.add(listener);
  }

  /** The user's own read marker moved forward (on any of their devices). */
  public Connection.Subscription onReadMarker(Consumer<? super ReadMarker> listener) {
    return listeners.readMarkers.add(listener);
  }

  /** Another member read further. */
  public Connection.Subscription onReadReceipt(Consumer<? super ReadReceipt> listener) {
    return listeners.readReceipts.add(listener);
  }

  public Connection.Subscription onFriendRequest(Consumer<? super FriendRequestUpdate> listener) {
    return listeners.friendRequests.add(listener);
  }

  public Connection.Subscription onFriend(Consumer<? super FriendUpdate> listener) {
    return listeners.friends.add(listener);
  }

  public Connection.Subscription onBlock(Consumer<? super BlockUpdate> listener) {
    return listeners.blocks.add(listener);
  }

  /**
   * The user's state of a conversation (mute, preview exception, pin, archive, unread mark, draft)
   * changed, on this device or another; {@link SyncStore#chatState} has the new state by then.
   */
  public Connection.Subscription onChatState(Consumer<? super ChatStateUpdate> listener) {
    return listeners.chatStates.add(listener);
  }

  /**
   * The user's global notification settings changed, on this device or another; {@link
   * SyncStore#notifySettings} has them by then.
   */
  public Connection.Subscription onNotifySettings(Consumer<? super NotifySettings> listener) {
    return listeners.notifySettings.add(listener);
  }

  /**
   * The user's global notification settings: the store's, which the feed keeps current, or, when
   * the store has none yet (a new device, or after a rebuild), fetched once with {@code
   * get_notify_settings} and kept.
   */
  public CompletableFuture<NotifySettings> notifySettings() {
    java.util.Optional<NotifySettings> known = store.notifySettings();
    if (known.isPresent()) return CompletableFuture.completedFuture(known.get());
    return connection
        .getNotifySettings()
        .thenApply(r -> engine.notifySettings().fetched(r.getSettings()));
  }

  /**
   * After each catch-up, with what it cost; also after a rebuild forced by {@code too_long} while
   * repairing a live gap. When {@link SyncStats#rebuilt()}, reload what is shown from the store.
   */
  public Connection.Subscription onSynced(Consumer<? super SyncStats> listener) {
    return listeners.synced.add(listener);
  }

  /**
   * Members typing or uploading in any conversation (never the user themselves), and when they
   * stop: a CANCEL indicator comes when they cancel, when the indicator expires without being
   * renewed, and for every shown indicator when the connection drops.
   */
  public Connection.Subscription onTyping(Consumer<? super TypingIndicator> listener) {
    return listeners.typing.add(listener);
  }

  /**
   * Live presence of the user's friends (and of users who put this user on their always-allow
   * list): online, or offline with the exact last seen, sent only to users who may see it exactly
   * (docs/protocol.md 21.4). Best effort and not replayed: refresh with {@code
   * Connection.getPresence} when a chat opens or after a reconnect; a value may come twice.
   */
  public Connection.Subscription onPresence(Consumer<? super UserPresence> listener) {
    return listeners.presence.add(listener);
  }

  /** The members typing in a conversation now (expired indicators left out). */
  public List<TypingIndicator> typing(long conversationId) {
    return typing.showing(conversationId);
  }

  /**
   * Tells the other members what the user is doing in a conversation; send it again every few
   * seconds while it goes on (repeats within two seconds cost nothing: the server does not forward
   * them), and CANCEL when it stops (docs/protocol.md section 20).
   */
  public CompletableFuture<SetTypingResponse> setTyping(
      long conversationId, TypingState.Action action) {
    return connection.setTyping(conversationId, action);
  }

  // --- sending ---

  /** A fresh idempotency key for a message: a UUID. */
  public static String newClientMsgId() {
    return UUID.randomUUID().toString();
  }

  public CompletableFuture<SendMessageResponse> sendText(Recipient to, String text) {
    return send(
        to.applyTo(SendMessageRequest.newBuilder())
            .setText(TextContent.newBuilder().setText(text)));
  }

  /**
   * A text that mentions members (ranges in UTF-16 code units; user id 0 is @all), optionally as a
   * reply to entry {@code replyToSeq} of the same conversation (0: none).
   */
  public CompletableFuture<SendMessageResponse> sendText(
      Recipient to, String text, long replyToSeq, Iterable<Mention> mentions) {
    return send(
        to.applyTo(SendMessageRequest.newBuilder())
            .setText(TextContent.newBuilder().setText(text))
            .setReplyToSeq(replyToSeq)
            .addAllMentions(mentions));
  }

  /** Edits the text or caption of this user's message {@code seq} (no mentions). */
  public CompletableFuture<EditMessageResponse> editText(
      long conversationId, long seq, String text) {
    return connection.editMessage(conversationId, seq, text, List.of());
  }

  /**
   * Forwards messages {@code seqs} of one conversation to others, with a fresh client_msg_id: the
   * copies arrive in the targets like any message (with {@code forwarded_from}) and reach this
   * store through the usual updates. To retry after a lost answer, call {@link
   * Operations#forwardMessages} with the same id.
   */
  public CompletableFuture<ForwardMessagesResponse> forward(
      long fromConversationId, List<Long> seqs, List<Long> toConversationIds) {
    return connection.forwardMessages(
        fromConversationId, seqs, toConversationIds, newClientMsgId());
  }

  /**
   * Sets this user's reactions on message {@code seq} to {@code emoji} (none: removes them). Every
   * device of every member gets a reaction entry; the SyncStore's copy of the message takes its
   * counts (design.md 13.4).
   */
  public CompletableFuture<SetReactionsResponse> react(
      long conversationId, long seq, String... emoji) {
    return connection.setReactions(conversationId, seq, List.of(emoji));
  }

  /**
   * Pins message {@code seq} in its conversation. Every device of every member gets a pin entry
   * (design.md 13.5); the answer's seq is 0 when it was pinned already.
   */
  public CompletableFuture<PinMessageResponse> pin(long conversationId, long seq) {
    return connection.pinMessage(conversationId, seq);
  }

  /** Unpins message {@code seq}; the answer's seq is 0 when it was not pinned. */
  public CompletableFuture<UnpinMessageResponse> unpin(long conversationId, long seq) {
    return connection.unpinMessage(conversationId, seq);
  }

  /**
   * All the conversation's pinned messages this user can see, most recently pinned first (every
   * page of get_pinned_messages; at most msg.max-pinned-messages).
   */
  public CompletableFuture<List<GetPinnedMessagesResponse.Pinned>> pinnedMessages(
      long conversationId) {
    return pinnedFrom(conversationId, 0, new ArrayList<>());
  }

  private CompletableFuture<List<GetPinnedMessagesResponse.Pinned>> pinnedFrom(
      long conversationId, long beforePinSeq, List<GetPinnedMessagesResponse.Pinned> so) {
    return connection
        .getPinnedMessages(conversationId, beforePinSeq, 100)
        .thenCompose(
            page -> {
              so.addAll(page.getPinnedList());
              if (!page.getMore() || page.getPinnedCount() == 0)
                return CompletableFuture.completedFuture(List.copyOf(so));
              return pinnedFrom(
                  conversationId, page.getPinned(page.getPinnedCount() - 1).getPinSeq(), so);
            });
  }

  /**
   * Searches the messages this user can see (protocol.md 22): one page, newest first. The server
   * decides visibility; matches are marked by the hits' highlights (UTF-16 ranges of the snippet).
   */
  public CompletableFuture<SearchMessagesResponse> searchMessages(SearchMessagesRequest request) {
    return connection.searchMessages(request);
  }

  /** The first page of messages matching {@code query}, in one conversation (0: in all). */
  public CompletableFuture<SearchMessagesResponse> searchMessages(
      String query, long conversationId) {
    return searchMessages(
        SearchMessagesRequest.newBuilder()
            .setQuery(query)
            .setConversationId(conversationId)
            .build());
  }

  /**
   * This user's chats whose title, peer's name or a member's name matches {@code query}
   * (protocol.md 22.2): the best 20, best first.
   */
  public CompletableFuture<SearchChatsResponse> searchChats(String query) {
    return connection.searchChats(query, 0);
  }

  /**
   * This user's contacts (friends) whose display name or username matches {@code query}
   * (protocol.md 22.3): the best 20, best first. Strangers are found by exact lookup only.
   */
  public CompletableFuture<SearchContactsResponse> searchContacts(String query) {
    return connection.searchContacts(query, 0);
  }

  /** Sends an uploaded image; see {@link ImageContent}. */
  public CompletableFuture<SendMessageResponse> sendImage(Recipient to, ImageContent image) {
    return send(to.applyTo(SendMessageRequest.newBuilder()).setImage(image));
  }

  /** Sends an uploaded file; see {@link FileContent}. */
  public CompletableFuture<SendMessageResponse> sendFile(Recipient to, FileContent file) {
    return send(to.applyTo(SendMessageRequest.newBuilder()).setFile(file));
  }

  /**
   * Sends with the request's {@code client_msg_id}, or a new one if it has none; see {@link
   * Outbox}.
   */
  public CompletableFuture<SendMessageResponse> send(SendMessageRequest.Builder request) {
    return send(
        request, request.getClientMsgId().isEmpty() ? newClientMsgId() : request.getClientMsgId());
  }

  /**
   * Sends with this {@code clientMsgId}, retrying until the server answers (see {@link Outbox}). To
   * resend a message whose send failed, call this again with the same id: the server answers with
   * the original ({@code duplicate = true}) if it stored it. While a send of the id is under way,
   * this returns its future instead of sending again.
   */
  public CompletableFuture<SendMessageResponse> send(
      SendMessageRequest.Builder request, String clientMsgId) {
    CompletableFuture<SendMessageResponse> send =
        outbox.send(request.clone().setClientMsgId(clientMsgId).build());
    // A side branch, so that the caller gets the outbox's own future (the same one for a repeat).
    var unused = send.thenAccept(sent -> clearDraftAfterSend(sent.getConversationId()));
    return send;
  }

  /**
   * Sending a message ends the draft of its conversation; the client clears it, not the send
   * (design.md 13.3). Only when the store holds one, so a send costs nothing more without a draft;
   * best effort (a failure leaves the draft, as if the user had kept it).
   */
  private void clearDraftAfterSend(long conversationId) {
    if (store.chatState(conversationId).hasDraft()) {
      connection.saveDraft(conversationId, "", 0);
    }
  }

  // --- chat state (docs/protocol.md 19); the store follows the feed ---

  /** Pins the conversation on top of the pinned ones, or unpins it. */
  public CompletableFuture<ChatState> pinChat(long conversationId, boolean pinned) {
    return connection.setChatPinned(conversationId, pinned).thenApply(r -> r.getState());
  }

  /**
   * The pinned conversations as this device knows them, top first (the highest {@code pin_rank}
   * first).
   */
  public List<Long> pinnedChats() {
    return store.conversations().stream()
        .filter(c -> c.getChatState().getPinRank() > 0)
        .sorted(
            java.util.Comparator.comparingInt(
                    (dev.parley.proto.client.Conversation c) -> c.getChatState().getPinRank())
                .reversed())
        .map(dev.parley.proto.client.Conversation::getConversationId)
        .toList();
  }

  /** Sets the order of all the pinned conversations, top first. */
  public CompletableFuture<List<ChatStateUpdate>> reorderPinnedChats(List<Long> topFirst) {
    return connection.reorderPinnedChats(topFirst).thenApply(r -> r.getStatesList());
  }

  public CompletableFuture<ChatState> archiveChat(long conversationId, boolean archived) {
    return connection.setChatArchived(conversationId, archived).thenApply(r -> r.getState());
  }

  /** Marks the conversation unread (or clears the mark); reading it clears the mark too. */
  public CompletableFuture<ChatState> markUnread(long conversationId, boolean markedUnread) {
    return connection.setMarkedUnread(conversationId, markedUnread).thenApply(r -> r.getState());
  }

  /** Saves the draft (empty text and 0 delete it); {@link #send} deletes it after sending. */
  public CompletableFuture<ChatState> saveDraft(long conversationId, String text, long replyToSeq) {
    return connection.saveDraft(conversationId, text, replyToSeq).thenApply(r -> r.getState());
  }

  /**
   * The sends this messenger found in the store's outbox when it was attached (an earlier process
   * ended before the server answered them), by {@code client_msg_id}, in the order they were first
   * sent. Each is resent with its id after the first catch-up, and its future completes as {@link
   * #send}'s would: with the server's answer ({@code duplicate = true} if the earlier process's
   * attempt had been stored), or failed. Empty if there were none.
   */
  public Map<String, CompletableFuture<SendMessageResponse>> resumedSends() {
    return resumedSends;
  }

  /**
   * Marks the conversation read up to the newest entry this device holds; the store follows the
   * feed.
   */
  public CompletableFuture<MarkReadResponse> markRead(long conversationId) {
    return connection.markRead(conversationId, store.lastSeq(conversationId));
  }

  // --- state ---

  /** A catch-up has completed since the connection last became READY, and nothing failed since. */
  public boolean isSynced() {
    return engine.synced();
  }

  /** Catch-ups completed so far. */
  public long catchUps() {
    return engine.catchUps();
  }

  /** The cost of the last completed catch-up. */
  public SyncStats lastCatchUp() {
    return engine.lastCatchUp();
  }

  /** Everything since the messenger was attached. */
  public SyncStats totals() {
    return engine.totals();
  }

  // --- waiting (tests, tools) ---

  /**
   * Blocks until {@link #isSynced()}; throws {@link IllegalStateException} after {@code timeout}.
   */
  public void awaitSynced(Duration timeout) {
    await(engine::synced, timeout, () -> "synced");
  }

  /**
   * Blocks until at least {@code count} catch-ups have completed: after {@link
   * Connection#reconnect()}, wait for {@code catchUps() + 1}, since {@link #isSynced()} may still
   * describe the old connection.
   */
  public void awaitCatchUps(long count, Duration timeout) {
    await(
        () -> engine.catchUps() >= count,
        timeout,
        () -> count + " catch-ups (" + engine.catchUps() + " so far)");
  }

  /** Blocks until the store has applied the feed up to at least {@code pts}. */
  public void awaitPts(long pts, Duration timeout) {
    await(
        () -> store.pts().orElse(-1) >= pts,
        timeout,
        () -> "pts " + pts + " (at " + store.pts() + ")");
  }

  /**
   * Blocks until the store holds at least {@code count} entries of the conversation (messages,
   * service entries and recalls alike) and returns them in seq order.
   */
  public List<Message> awaitMessages(long conversationId, int count, Duration timeout) {
    await(
        () -> store.messages(conversationId).size() >= count,
        timeout,
        () ->
            count
                + " entries in conversation "
                + conversationId
                + " (has "
                + store.messages(conversationId).size()
                + ")");
    return store.messages(conversationId);
  }

  /** Blocks until the store holds the entry (conversation, seq) and returns it. */
  public Message awaitMessage(long conversationId, long seq, Duration timeout) {
    await(
        () -> store.message(conversationId, seq).isPresent(),
        timeout,
        () ->
            "entry "
                + seq
                + " of conversation "
                + conversationId
                + " (last seq "
                + store.lastSeq(conversationId)
                + ")");
    return store.message(conversationId, seq).orElseThrow();
  }

  /**
   * Blocks until {@code condition} over the store holds, re-checking after every change the
   * messenger makes.
   */
  public void awaitCondition(BooleanSupplier condition, Duration timeout) {
    await(condition, timeout, () -> "the condition");
  }

  /**
   * Detaches from the connection: stops synchronizing and fails the sends waiting to retry. The
   * store keeps what it has, the unanswered sends included; a new messenger on the same store
   * continues from its pts and held seqs, and resends them.
   */
  @Override
  public void close() {
    subscriptions.forEach(Connection.Subscription::close);
    engine.close();
    outbox.close();
  }

  @Override
  public String toString() {
    return "Messenger["
        + connection
        + ", "
        + (engine.synced() ? "synced" : "not synced")
        + ", "
        + store
        + "]";
  }

  private void progressed() {
    synchronized (progress) {
      progress.notifyAll();
    }
  }

  private void await(BooleanSupplier condition, Duration timeout, Supplier<String> what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (progress) {
      while (!condition.getAsBoolean()) {
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
          throw new IllegalStateException(
              "no "
                  + what.get()
                  + " within "
                  + timeout
                  + ": "
                  + this
                  + ", connection "
                  + connection.state()
                  + connection.lastClose().map(close -> ", last close " + close).orElse(""));
        }
        try {
          // Every change ends with a notify; the cap covers stores written by others.
          progress.wait(Math.max(1, Math.min(remaining / 1_000_000, 50)));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while waiting for " + what.get(), e);
        }
      }
    }
  }

  /** Settings of a {@link Messenger}; every one has a default. */
  public static final class Builder {
    private final Connection connection;
    private final SyncStore store;
    private Duration gapWait = Duration.ofMillis(500);
    private Duration ackInterval = Duration.ofSeconds(1);
    private int differenceLimit = 500;
    private int conversationPageSize = 100;
    private int historyPageSize = 200;
    private int syncGroupsLimit = 500;
    private int groupsPerRequest;
    private Duration sendTimeout = Duration.ofSeconds(60);
    private Duration sendBackoffBase = Duration.ofMillis(100);
    private Duration sendBackoffMax = Duration.ofSeconds(5);
    private Duration retryBackoffBase = Duration.ofMillis(200);
    private Duration retryBackoffMax = Duration.ofSeconds(30);

    private Builder(Connection connection, SyncStore store) {
      this.connection = Objects.requireNonNull(connection, "connection");
      this.store = Objects.requireNonNull(store, "store");
      // A JSON request listing 5,000 groups would pass the server's frame limit (sync.proto).
      this.groupsPerRequest =
          connection.settings().encoding() == Encoding.JSON
              ? 2_000
              : GroupSync.MAX_GROUPS_PER_REQUEST;
    }

    /**
     * How long a gap in the live pts may stay open before {@code get_difference} closes it; 500 ms.
     */
    public Builder gapWait(Duration gapWait) {
      this.gapWait = MessengerSettings.notNegative(gapWait, "gapWait");
      return this;
    }

    /** The least time between two acks while live updates flow; 1 s. */
    public Builder ackInterval(Duration ackInterval) {
      this.ackInterval = MessengerSettings.notNegative(ackInterval, "ackInterval");
      return this;
    }

    /** Updates per {@code get_difference} (1..1000); 500. */
    public Builder differenceLimit(int limit) {
      this.differenceLimit = MessengerSettings.inRange(limit, 1000, "differenceLimit");
      return this;
    }

    /** Conversations per {@code get_conversations} page when rebuilding (1..100); 100. */
    public Builder conversationPageSize(int size) {
      this.conversationPageSize = MessengerSettings.inRange(size, 100, "conversationPageSize");
      return this;
    }

    /** Entries per {@code get_history} page when filling a seq gap (1..200); 200. */
    public Builder historyPageSize(int size) {
      this.historyPageSize = MessengerSettings.inRange(size, 200, "historyPageSize");
      return this;
    }

    /** Entries per {@code sync_groups} answer (1..1000); 500. */
    public Builder syncGroupsLimit(int limit) {
      this.syncGroupsLimit = MessengerSettings.inRange(limit, 1000, "syncGroupsLimit");
      return this;
    }

    /**
     * Groups listed per {@code sync_groups} request (1..5000); more are split over several
     * requests. 5,000 (the server's limit) with protobuf, 2,000 with JSON, whose longer frames must
     * stay within the server's frame limit.
     */
    public Builder groupsPerRequest(int groups) {
      this.groupsPerRequest =
          MessengerSettings.inRange(groups, GroupSync.MAX_GROUPS_PER_REQUEST, "groupsPerRequest");
      return this;
    }

    /** How long a send keeps trying, all attempts together; 60 s. */
    public Builder sendTimeout(Duration timeout) {
      this.sendTimeout = MessengerSettings.positive(timeout, "sendTimeout");
      return this;
    }

    /**
     * Delays between send attempts: full jitter over {@code [0, min(max, base * 2^n)]}; 100 ms and
     * 5 s.
     */
    public Builder sendBackoff(Duration base, Duration max) {
      this.sendBackoffBase = MessengerSettings.positive(base, "base");
      this.sendBackoffMax = MessengerSettings.atLeast(max, base);
      return this;
    }

    /** Delays between catch-up attempts while the connection stays READY; 200 ms and 30 s. */
    public Builder retryBackoff(Duration base, Duration max) {
      this.retryBackoffBase = MessengerSettings.positive(base, "base");
      this.retryBackoffMax = MessengerSettings.atLeast(max, base);
      return this;
    }

    /**
     * Creates the messenger and attaches it to the connection (catching up at once if it is READY).
     */
    public Messenger attach() {
      return new Messenger(
          connection,
          store,
          new MessengerSettings(
              gapWait,
              ackInterval,
              differenceLimit,
              conversationPageSize,
              historyPageSize,
              syncGroupsLimit,
              groupsPerRequest,
              sendTimeout,
              sendBackoffBase,
              sendBackoffMax,
              retryBackoffBase,
              retryBackoffMax));
    }
  }
}
