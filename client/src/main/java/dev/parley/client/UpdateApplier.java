package dev.parley.client;

import dev.parley.proto.client.ChatStateUpdate;
import dev.parley.proto.client.Conversation;
import dev.parley.proto.client.ConversationType;
import dev.parley.proto.client.EditContent;
import dev.parley.proto.client.GetHistoryRequest;
import dev.parley.proto.client.GetHistoryResponse;
import dev.parley.proto.client.Message;
import dev.parley.proto.client.ReactionCount;
import dev.parley.proto.client.ReadMarker;
import dev.parley.proto.client.ReadReceipt;
import dev.parley.proto.client.Update;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies what the sync engine hands it to a {@link SyncStore} and tells the listeners; one thing
 * at a time, on the sync engine's thread: feed updates in pts order ({@link #apply}), and entries
 * of any conversation in seq order ({@link #deliver}, called by {@link GroupSync} for groups).
 *
 * <h2>Entries: the held seq</h2>
 *
 * Per conversation, the summary's {@code last_seq} is the held seq: every entry up to it has been
 * accounted for, either delivered here or covered by the server's summary after a rebuild (or not
 * visible to the user). An entry above it is <em>delivered</em>: saved, counted, applied to the
 * summary (a group's service entries change its title, the user's role and membership: {@link
 * Membership}), handed to {@code onMessage}, and held. So {@code onMessage} sees each
 * (conversation, seq) at most once, in increasing seq order. An entry at or below the held seq is a
 * duplicate or older history ({@link #duplicate}): kept if the store lacks it, never delivered.
 *
 * <p>One-to-one entries come only through the feed, all of them (sync.proto), so one more than one
 * above a known held seq reveals that the feed left an update out: the entries in between are
 * fetched with {@code get_history} and delivered first. Group entries are {@link GroupSync}'s: it
 * decides which one comes next and repairs gaps with {@code sync_groups}.
 *
 * <h2>Unread counts and read state</h2>
 *
 * {@link UnreadCounter} keeps read_seq and unread_count equal to the server's although read markers
 * (feed) and group entries (logs) arrive in two orders. Read markers and receipts only move
 * forward; listeners hear of those that moved something.
 */
final class UpdateApplier {
  private static final Logger log = LoggerFactory.getLogger(UpdateApplier.class);

  /** Blocking {@code get_history}; fails as the request does. */
  interface History {
    GetHistoryResponse fetch(GetHistoryRequest request);
  }

  private final SyncStore store;
  private final SyncListeners listeners;
  private final History history;
  private final int historyPageSize;
  private final UnreadCounter unread;
  final NotifySettingsView notifySettings;
  private long self;

  UpdateApplier(SyncStore store, SyncListeners listeners, History history, int historyPageSize) {
    this.store = store;
    this.listeners = listeners;
    this.history = history;
    this.historyPageSize = historyPageSize;
    this.unread = new UnreadCounter(store, this::fetchEntry);
    this.notifySettings = new NotifySettingsView(store);
  }

  /** The user this device belongs to: their messages imply reading and do not count as unread. */
  void self(long userId) {
    self = userId;
    unread.self(userId);
  }

  long self() {
    return self;
  }

  /**
   * Takes a summary from {@code get_conversations} as the conversation's new baseline (a rebuild).
   */
  void baseline(Conversation conversation) {
    store.saveConversation(conversation);
    if (conversation.hasLastMessage()) {
      store.saveMessage(conversation.getLastMessage());
    }
    if (conversation.getType() == ConversationType.CONVERSATION_TYPE_DIRECT
        && conversation.getPeerReadSeq() > 0) {
      store.saveMemberReadSeq(
          conversation.getConversationId(),
          conversation.getPeerUserId(),
          conversation.getPeerReadSeq());
    }
  }

  /**
   * Applies one feed update, except group entries (the engine hands those to {@link GroupSync}).
   * Throws when a fetch it needed failed for want of an answer; whatever it applied before stays
   * (applying the update again is harmless) and the caller must not advance pts.
   */
  void apply(Update update) {
    switch (update.getKindCase()) {
      case MESSAGE -> directEntry(update.getMessage());
      case READ_MARKER -> readMarker(update.getReadMarker());
      case READ_RECEIPT -> readReceipt(update.getReadReceipt());
      case FRIEND_REQUEST -> listeners.friendRequests.emit(update.getFriendRequest());
      case FRIEND -> listeners.friends.emit(update.getFriend());
      case BLOCK -> listeners.blocks.emit(update.getBlock());
      case CHAT_STATE -> chatState(update.getChatState());
      case NOTIFY_SETTINGS -> {
        notifySettings.updated(update.getNotifySettings());
        listeners.notifySettings.emit(update.getNotifySettings());
      }
      default ->
          log.debug("ignoring update {} of a kind this client does not know", update.getPts());
    }
  }

  /**
   * An entry at or below the held seq: a duplicate or older history. Kept if the store lacks it,
   * never delivered; a recall marks its target (its effect on the unread count is in the count
   * already).
   */
  void duplicate(Message entry) {
    long conversationId = entry.getConversationId();
    if (store.message(conversationId, entry.getSeq()).isEmpty()) {
      store.saveMessage(entry);
    }
    if (entry.hasRecall()) {
      markTargetRecalled(entry);
    }
    if (entry.hasEdit()) {
      applyEdit(entry);
    }
  }

  /**
   * Delivers a new entry. The caller sees to it that entries of a conversation come here in seq
   * order and above its held seq. {@code typeIfUnknown} is the conversation's type when the store
   * does not know it.
   */
  void deliver(Message entry, ConversationType typeIfUnknown) {
    long conversationId = entry.getConversationId();
    Conversation current =
        store
            .conversation(conversationId)
            .orElseGet(() -> Conversation.newBuilder().setConversationId(conversationId).build());
    if (current.getType() == ConversationType.CONVERSATION_TYPE_UNSPECIFIED) {
      current = current.toBuilder().setType(typeIfUnknown).build();
    }
    Conversation.Builder next =
        current.toBuilder()
            .setLastSeq(entry.getSeq())
            .setLastMessage(entry)
            .setLastActivityMs(Math.max(current.getLastActivityMs(), entry.getSentAtMs()));
    boolean fromPeer =
        current.getType() == ConversationType.CONVERSATION_TYPE_DIRECT
            && entry.getSenderId() != self;
    if (fromPeer && current.getPeerUserId() == 0) {
      next.setPeerUserId(entry.getSenderId()); // a conversation first seen through the feed
    }
    if (isUserMessage(entry)) {
      store.saveMemberReadSeq(conversationId, entry.getSenderId(), entry.getSeq());
      if (fromPeer) {
        next.setPeerReadSeq(Math.max(current.getPeerReadSeq(), entry.getSeq()));
      }
    }
    unread.delivered(
        current, next, entry); // before the recall marks its target: it reads the target
    if (entry.hasRecall()) {
      markTargetRecalled(entry);
    }
    if (entry.hasReaction()) {
      applyReaction(entry);
    }
    if (entry.hasEdit()) {
      applyEdit(entry);
    }
    Membership.apply(next, entry, self);
    store.saveMessage(entry);
    store.saveConversation(next.build());
    listeners.messages.emit(entry);
    if (entry.hasRecall()) {
      listeners.recalls.emit(entry);
    }
    if (entry.hasEdit()) {
      listeners.edits.emit(entry);
    }
  }

  private void directEntry(Message entry) {
    long conversationId = entry.getConversationId();
    long held = store.lastSeq(conversationId);
    if (entry.getSeq() <= held) {
      duplicate(entry);
      return;
    }
    if (held > 0 && entry.getSeq() > held + 1) {
      fillGap(conversationId, held, entry.getSeq());
    }
    deliver(entry, ConversationType.CONVERSATION_TYPE_DIRECT);
  }

  /**
   * Delivers the entries strictly between {@code held} and {@code seq} that the server still has.
   */
  private void fillGap(long conversationId, long held, long seq) {
    log.debug(
        "conversation {}: seq gap between {} and {}, fetching history", conversationId, held, seq);
    long after = held;
    while (after < seq - 1) {
      GetHistoryResponse page;
      try {
        page =
            history.fetch(
                GetHistoryRequest.newBuilder()
                    .setConversationId(conversationId)
                    .setAfterSeq(after)
                    .setLimit((int) Math.min(historyPageSize, seq - 1 - after))
                    .build());
      } catch (ClientException e) { // not readable (any more): nothing to fill with
        log.debug("conversation {}: cannot fill the seq gap: {}", conversationId, e.getMessage());
        return;
      }
      long before = after;
      for (Message entry : page.getMessagesList()) {
        if (entry.getSeq() >= seq) {
          return;
        }
        if (entry.getSeq() > after) {
          deliver(entry, ConversationType.CONVERSATION_TYPE_DIRECT);
          after = entry.getSeq();
        }
      }
      if (!page.getMore() || after == before) {
        return;
      }
    }
  }

  /**
   * The target's counts become those the reaction entry carries; reacted_by_me comes from the entry
   * when it is the user's own, else stays as the target had it (design.md 13.1).
   */
  private void applyReaction(Message entry) {
    store
        .message(entry.getConversationId(), entry.getReaction().getTargetSeq())
        .filter(target -> !target.getRecalled())
        .ifPresent(target -> store.saveMessage(withReactions(target, entry, self)));
  }

  /** {@code target} with the counts of reaction entry {@code entry}, as {@code self} sees them. */
  static Message withReactions(Message target, Message entry, long self) {
    java.util.Set<String> mine = new java.util.HashSet<>();
    if (entry.getSenderId() == self) {
      mine.addAll(entry.getReaction().getEmojiList());
    } else {
      target.getReactionsList().stream()
          .filter(ReactionCount::getReactedByMe)
          .forEach(c -> mine.add(c.getEmoji()));
    }
    Message.Builder b = target.toBuilder().clearReactions();
    for (ReactionCount c : entry.getReaction().getReactionsList()) {
      b.addReactions(c.toBuilder().setReactedByMe(mine.contains(c.getEmoji())));
    }
    return b.build();
  }

  /**
   * The target takes the edit's text (or caption) unless it is recalled, or the edit is empty (a
   * later edit superseded it, or the target was recalled: protocol 10.8) or older than the target's
   * version (an old edit met again in history).
   */
  private void applyEdit(Message edit) {
    if (edit.getRecalled() || edit.getEdit().getTargetSeq() == 0) {
      return;
    }
    store
        .message(edit.getConversationId(), edit.getEdit().getTargetSeq())
        .filter(target -> !target.getRecalled())
        .filter(target -> target.getEditedAtMs() <= edit.getSentAtMs())
        .flatMap(target -> edited(target, edit))
        .ifPresent(store::saveMessage);
  }

  /** {@code target} as {@code edit} left it; empty if it has no text or caption to edit. */
  static Optional<Message> edited(Message target, Message edit) {
    EditContent change = edit.getEdit();
    Message.Builder b = target.toBuilder().setEditedAtMs(edit.getSentAtMs());
    switch (target.getContentCase()) {
      case TEXT -> {
        b.getTextBuilder().setText(change.getText());
        b.clearMentions().addAllMentions(change.getMentionsList());
      }
      case IMAGE -> b.getImageBuilder().setCaption(change.getText());
      case FILE -> b.getFileBuilder().setCaption(change.getText());
      default -> {
        return Optional.empty();
      }
    }
    return Optional.of(b.build());
  }

  private void markTargetRecalled(Message recall) {
    store
        .message(recall.getConversationId(), recall.getRecall().getTargetSeq())
        .filter(target -> !target.getRecalled())
        .ifPresent(target -> store.saveMessage(recalled(target, recall)));
  }

  private Optional<Message> fetchEntry(long conversationId, long seq) {
    try {
      GetHistoryResponse page =
          history.fetch(
              GetHistoryRequest.newBuilder()
                  .setConversationId(conversationId)
                  .setBeforeSeq(seq + 1)
                  .setLimit(1)
                  .build());
      return page.getMessagesList().stream().filter(m -> m.getSeq() == seq).findFirst();
    } catch (ClientException e) {
      log.debug(
          "conversation {}: cannot look up entry {}: {}", conversationId, seq, e.getMessage());
      return Optional.empty();
    }
  }

  private void readMarker(ReadMarker marker) {
    long conversationId = marker.getConversationId();
    Conversation current =
        store
            .conversation(conversationId)
            .orElseGet(() -> Conversation.newBuilder().setConversationId(conversationId).build());
    Conversation.Builder next = current.toBuilder();
    if (!unread.readMarker(current, next, marker)) {
      return;
    }
    store.saveMemberReadSeq(conversationId, self, marker.getReadSeq());
    store.saveConversation(next.build());
    listeners.readMarkers.emit(marker);
  }

  /**
   * The user's state of a conversation (mute, previews) changed on one of their devices: the update
   * carries the whole state, which replaces the summary's. A conversation the store does not know
   * yet is left alone (a summary with nothing but a chat state would look like a group to follow);
   * its summary from get_conversations carries the state.
   */
  private void chatState(ChatStateUpdate update) {
    store
        .conversation(update.getConversationId())
        .filter(c -> !c.getChatState().equals(update.getState()))
        .ifPresent(
            c -> store.saveConversation(c.toBuilder().setChatState(update.getState()).build()));
    listeners.chatStates.emit(update);
  }

  private void readReceipt(ReadReceipt receipt) {
    long conversationId = receipt.getConversationId();
    if (receipt.getReadSeq() <= store.memberReadSeq(conversationId, receipt.getUserId())) {
      return;
    }
    store.saveMemberReadSeq(conversationId, receipt.getUserId(), receipt.getReadSeq());
    store
        .conversation(conversationId)
        .filter(
            c ->
                c.getType() == ConversationType.CONVERSATION_TYPE_DIRECT
                    && c.getPeerReadSeq() < receipt.getReadSeq())
        .ifPresent(
            c ->
                store.saveConversation(c.toBuilder().setPeerReadSeq(receipt.getReadSeq()).build()));
    listeners.readReceipts.emit(receipt);
  }

  /** The target's content-less copy after {@code recall}. */
  static Message recalled(Message target, Message recall) {
    return target.toBuilder()
        .clearContent()
        .setRecalled(true)
        .setRecalledAtMs(recall.getSentAtMs())
        .build();
  }

  /** Text, image or file: what counts as unread and implies that its sender has read up to it. */
  static boolean isUserMessage(Message entry) {
    return switch (entry.getContentCase()) {
      case TEXT, IMAGE, FILE -> true;
      default -> false;
    };
  }
}
