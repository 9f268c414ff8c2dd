package dev.parley.msg.core;

import dev.parley.common.error.ParleyException;
import dev.parley.msg.feed.FeedItem;
import dev.parley.msg.feed.FeedPayload;
import dev.parley.msg.settings.ChatState;
import dev.parley.msg.settings.ChatStates;
import dev.parley.msg.settings.Draft;
import dev.parley.msg.settings.Mute;
import dev.parley.msg.settings.NotifySettings;
import dev.parley.msg.settings.Previews;
import dev.parley.msg.store.Feed;
import dev.parley.msg.store.MemberRow;
import dev.parley.msg.store.Members;
import dev.parley.msg.store.Tx;
import dev.parley.proto.client.Error.Reason;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.jdbi.v3.core.Handle;
import org.jspecify.annotations.Nullable;

/**
 * Notification settings: the caller's state of a conversation (mute, preview exception) and their
 * global settings. Each change is written with a feed update carrying the whole new state, in one
 * transaction, so the user's other devices get it live and on their next {@code get_difference};
 * the row is locked before the feed head (the lock order of {@link Feed}), so the last update in
 * the feed is always what is stored.
 */
public final class SettingsManager {
  /** A timed mute ends within this; longer is "forever". */
  public static final Duration MAX_MUTE = Duration.ofDays(366);

  private final Tx tx;
  private final Members members;
  private final ChatStates states;
  private final Feed feed;
  private final UpdateSink sink;
  private final Clock clock;
  private final int maxPinnedChats;

  /**
   * @param maxPinnedChats how many chats one user may pin (msg.max-pinned-chats)
   */
  public SettingsManager(
      Tx tx,
      Members members,
      ChatStates states,
      Feed feed,
      UpdateSink sink,
      Clock clock,
      int maxPinnedChats) {
    this.maxPinnedChats = maxPinnedChats;
    this.tx = tx;
    this.members = members;
    this.states = states;
    this.feed = feed;
    this.sink = sink;
    this.clock = clock;
  }

  public ChatState setMute(Caller caller, long conversationId, Mute mute) {
    Instant now = clock.instant();
    if (mute instanceof Mute.Until u
        && (!u.until().isAfter(now) || u.until().isAfter(now.plus(MAX_MUTE)))) {
      throw ParleyException.invalid(
          "until_ms", "A mute ends in the future and within 366 days; longer is forever");
    }
    return changeChatState(caller, conversationId, s -> s.withMute(mute), now);
  }

  public ChatState setPreviews(Caller caller, long conversationId, Previews previews) {
    return changeChatState(caller, conversationId, s -> s.withPreviews(previews), clock.instant());
  }

  /**
   * Pins (on top of the other pins) or unpins a chat. Pinning a pinned chat keeps its place. The
   * user's pins are serialized ({@link ChatStates#lockPins}) so the limit holds under concurrency.
   */
  public ChatState setPinned(Caller caller, long conversationId, boolean pinned) {
    Instant now = clock.instant();
    return writeStates(
            caller.userId(),
            h -> {
              states.lockPins(h, caller.userId());
              requireMember(h, caller, conversationId, pinned);
              ChatState before = states.lock(h, caller.userId(), conversationId, now);
              if (before.pinned() == pinned)
                return List.of(new Changed(conversationId, before, false));
              int rank =
                  pinned ? states.pinned(h, caller.userId()).rankForNewPin(maxPinnedChats) : 0;
              return List.of(
                  store(h, caller, conversationId, before, before.withPinRank(rank), now));
            },
            now)
        .get(0)
        .asOf(now);
  }

  /**
   * Sets the order of the pinned chats (top first); only the chats whose rank changes are written
   * and sent. Answers every pinned chat's state, top first.
   */
  public List<ChatStateOf> reorderPinned(Caller caller, List<Long> order) {
    Instant now = clock.instant();
    List<ChatState> written =
        writeStates(
            caller.userId(),
            h -> {
              states.lockPins(h, caller.userId());
              Map<Long, Integer> ranks = states.pinned(h, caller.userId()).reorder(order);
              List<Changed> out = new ArrayList<>();
              for (long id : order) {
                ChatState before = states.lock(h, caller.userId(), id, now);
                Integer rank = ranks.get(id);
                out.add(
                    rank == null
                        ? new Changed(id, before, false)
                        : store(h, caller, id, before, before.withPinRank(rank), now));
              }
              return out;
            },
            now);
    List<ChatStateOf> out = new ArrayList<>();
    for (int i = 0; i < order.size(); i++)
      out.add(new ChatStateOf(order.get(i), written.get(i).asOf(now)));
    return out;
  }

  /** A conversation's state, for answers that name several. */
  public record ChatStateOf(long conversationId, ChatState state) {}

  /** Archives or unarchives; an archived chat stays archived when messages arrive (13.1). */
  public ChatState setArchived(Caller caller, long conversationId, boolean archived) {
    return changeChatState(
        caller, conversationId, false, s -> s.withArchived(archived), clock.instant());
  }

  /** Sets or clears the unread mark; {@link MessageManager#markRead} clears it too. */
  public ChatState setMarkedUnread(Caller caller, long conversationId, boolean markedUnread) {
    return changeChatState(
        caller, conversationId, false, s -> s.withMarkedUnread(markedUnread), clock.instant());
  }

  /**
   * Saves the draft (text already checked); an empty text with no reply target deletes it. Saving
   * what is saved changes nothing (no update).
   */
  public ChatState saveDraft(Caller caller, long conversationId, String text, long replyToSeq) {
    Instant now = clock.instant();
    Draft draft = text.isEmpty() && replyToSeq == 0 ? null : new Draft(text, replyToSeq, now);
    return changeChatState(
        caller,
        conversationId,
        draft != null,
        s -> sameDraft(s.draft(), draft) ? s : s.withDraft(draft),
        now);
  }

  private static boolean sameDraft(@Nullable Draft a, @Nullable Draft b) {
    if (a == null || b == null) return a == b;
    return a.text().equals(b.text()) && a.replyToSeq() == b.replyToSeq();
  }

  public NotifySettings settings(Caller caller) {
    return tx.read(h -> states.settings(h, caller.userId()));
  }

  /**
   * @param showPreviews the new value, or empty to keep it
   * @param mentionsInMuted the new value, or empty to keep it
   */
  public NotifySettings updateSettings(
      Caller caller, Optional<Boolean> showPreviews, Optional<Boolean> mentionsInMuted) {
    Instant now = clock.instant();
    return writeWithUpdate(
        h -> {
          NotifySettings before = states.lockSettings(h, caller.userId(), now);
          NotifySettings after =
              new NotifySettings(
                  showPreviews.orElse(before.showPreviews()),
                  mentionsInMuted.orElse(before.notifyMentionsInMuted()));
          if (after.equals(before)) return new Change<>(after, null);
          states.putSettings(h, caller.userId(), after, now);
          return new Change<>(
              after,
              FeedItem.notifySettings(
                  caller.userId(), new FeedPayload.NotifySettingsChanged(after)));
        },
        now);
  }

  private ChatState changeChatState(
      Caller caller, long conversationId, UnaryOperator<ChatState> change, Instant now) {
    return changeChatState(caller, conversationId, true, change, now);
  }

  /**
   * @param activeOnly refused (CONVERSATION_CLOSED) when the caller is no longer a member; false
   *     for what tidies a list (unpin, archive, the unread mark, deleting a draft), which a user
   *     may do to a chat they left
   */
  private ChatState changeChatState(
      Caller caller,
      long conversationId,
      boolean activeOnly,
      UnaryOperator<ChatState> change,
      Instant now) {
    return writeStates(
            caller.userId(),
            h -> {
              requireMember(h, caller, conversationId, activeOnly);
              ChatState before = states.lock(h, caller.userId(), conversationId, now);
              return List.of(store(h, caller, conversationId, before, change.apply(before), now));
            },
            now)
        .get(0)
        .asOf(now);
  }

  /** One conversation's state after a change, and whether it changed (then it has an update). */
  private record Changed(long conversationId, ChatState state, boolean changed) {}

  private Changed store(
      Handle h,
      Caller caller,
      long conversationId,
      ChatState before,
      ChatState after,
      Instant now) {
    if (after.equals(before)) return new Changed(conversationId, before, false);
    states.put(h, caller.userId(), conversationId, after, now);
    return new Changed(conversationId, after, true);
  }

  /**
   * Runs {@code work} (changes of several conversations' states) in a transaction that also appends
   * an update per changed state, and publishes them once committed; answers the states in order.
   */
  private List<ChatState> writeStates(
      long userId, Function<Handle, List<Changed>> work, Instant now) {
    return writeWithUpdates(
        h -> {
          List<Changed> changes = work.apply(h);
          List<FeedItem> updates = new ArrayList<>();
          for (Changed c : changes) {
            if (c.changed()) {
              updates.add(
                  FeedItem.chatState(
                      userId, new FeedPayload.ChatStateChanged(c.conversationId(), c.state())));
            }
          }
          return new Changes<>(changes.stream().map(Changed::state).toList(), updates);
        },
        now);
  }

  /** What a change stored, and its feed update (null when nothing changed). */
  private record Change<T>(T value, @Nullable FeedItem update) {}

  /** What a change stored, and its feed updates (none when nothing changed). */
  private record Changes<T>(T value, List<FeedItem> updates) {}

  /**
   * Runs {@code work} in a transaction that also appends its update to the feed, and publishes the
   * update once committed.
   */
  private <T> T writeWithUpdate(Function<Handle, Change<T>> work, Instant now) {
    return writeWithUpdates(
        h -> {
          Change<T> c = work.apply(h);
          return new Changes<>(c.value(), c.update() == null ? List.of() : List.of(c.update()));
        },
        now);
  }

  /**
   * Runs {@code work} in a transaction that also appends its updates to the feed (after every row
   * lock the work took: the lock order of {@link Feed}), and publishes them once committed.
   */
  private <T> T writeWithUpdates(Function<Handle, Changes<T>> work, Instant now) {
    record Written<T>(T value, List<FeedItem> items, long[] pts) {}
    Written<T> w =
        tx.write(
            h -> {
              Changes<T> c = work.apply(h);
              if (c.updates().isEmpty()) return new Written<>(c.value(), List.of(), new long[0]);
              return new Written<>(c.value(), c.updates(), feed.append(h, c.updates(), now));
            });
    if (!w.items().isEmpty()) sink.published(w.items(), w.pts());
    return w.value();
  }

  /** The caller's conversation, and (when {@code activeOnly}) they are still in it. */
  private void requireMember(Handle h, Caller caller, long conversationId, boolean activeOnly) {
    MemberRow me =
        members.find(h, conversationId, caller.userId()).orElseThrow(MessageManager::notFound);
    if (activeOnly && !me.active()) {
      throw new ParleyException(
          Reason.CONVERSATION_CLOSED, "You are no longer a member of this conversation");
    }
  }
}
