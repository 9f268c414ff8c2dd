package dev.parley.msg.core;

import dev.parley.common.error.ParleyException;
import dev.parley.msg.feed.FeedItem;
import dev.parley.msg.feed.FeedPayload;
import dev.parley.msg.settings.ChatState;
import dev.parley.msg.settings.ChatStates;
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
import java.util.List;
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

  public SettingsManager(
      Tx tx, Members members, ChatStates states, Feed feed, UpdateSink sink, Clock clock) {
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
    ChatState stored =
        writeWithUpdate(
            h -> {
              requireMember(h, caller, conversationId);
              ChatState before = states.lock(h, caller.userId(), conversationId, now);
              ChatState after = change.apply(before);
              if (after.equals(before)) return new Change<>(after, null);
              states.put(h, caller.userId(), conversationId, after, now);
              return new Change<>(
                  after,
                  FeedItem.chatState(
                      caller.userId(), new FeedPayload.ChatStateChanged(conversationId, after)));
            },
            now);
    return stored.asOf(now);
  }

  /** What a change stored, and its feed update (null when nothing changed). */
  private record Change<T>(T value, @Nullable FeedItem update) {}

  /**
   * Runs {@code work} in a transaction that also appends its update to the feed, and publishes the
   * update once committed.
   */
  private <T> T writeWithUpdate(Function<Handle, Change<T>> work, Instant now) {
    record Written<T>(T value, List<FeedItem> items, long[] pts) {}
    Written<T> w =
        tx.write(
            h -> {
              Change<T> c = work.apply(h);
              if (c.update() == null) return new Written<>(c.value(), List.of(), new long[0]);
              List<FeedItem> items = List.of(c.update());
              return new Written<>(c.value(), items, feed.append(h, items, now));
            });
    if (!w.items().isEmpty()) sink.published(w.items(), w.pts());
    return w.value();
  }

  /** The caller's conversation, and they are still in it. */
  private void requireMember(Handle h, Caller caller, long conversationId) {
    MemberRow me =
        members.find(h, conversationId, caller.userId()).orElseThrow(MessageManager::notFound);
    if (!me.active()) {
      throw new ParleyException(
          Reason.CONVERSATION_CLOSED, "You are no longer a member of this conversation");
    }
  }
}
