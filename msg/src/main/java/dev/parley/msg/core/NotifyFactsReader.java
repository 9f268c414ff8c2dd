package dev.parley.msg.core;

import dev.parley.msg.settings.ChatState;
import dev.parley.msg.settings.ChatStates;
import dev.parley.msg.settings.NotifySettings;
import dev.parley.msg.store.ConversationRow;
import dev.parley.msg.store.Conversations;
import dev.parley.msg.store.MemberRow;
import dev.parley.msg.store.Members;
import dev.parley.msg.store.Tx;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jspecify.annotations.Nullable;

/**
 * What the push role needs to know to notify a user of something in a conversation (design 12.2):
 * the user's mute and preview settings and the badge, read in one transaction when the notification
 * is sent, so a setting changed a second ago counts and the badge is the unread count the sync
 * reports (it is computed the same way, {@link ConversationList#totalUnread}, and cannot drift).
 */
public final class NotifyFactsReader {
  /**
   * @param conversationId 0 when the event is outside a conversation (a friend request)
   * @param mutedUntil the timed mute as stored, even if it has passed: the caller compares with its
   *     clock at send time
   * @param showPreviews the global switch with the conversation's exception applied
   * @param title the group's title; null for direct conversations and outside one
   * @param member whether the user is an active member of the conversation
   */
  public record Facts(
      long userId,
      long conversationId,
      @Nullable Instant mutedUntil,
      boolean mutedForever,
      boolean showPreviews,
      boolean notifyMentionsInMuted,
      int totalUnread,
      long readSeq,
      @Nullable String title,
      boolean group,
      boolean member) {}

  /** One (user, conversation) asked about. */
  public record Key(long userId, long conversationId) {}

  private final Tx tx;
  private final Conversations conversations;
  private final Members members;
  private final ChatStates states;
  private final ConversationList list;

  public NotifyFactsReader(
      Tx tx,
      Conversations conversations,
      Members members,
      ChatStates states,
      ConversationList list) {
    this.tx = tx;
    this.conversations = conversations;
    this.members = members;
    this.states = states;
    this.list = list;
  }

  /** The facts of each key, in the keys' order; each user's settings and badge read once. */
  public List<Facts> read(List<Key> keys) {
    return tx.read(
        h -> {
          Map<Long, NotifySettings> settings = new HashMap<>();
          Map<Long, Integer> unread = new HashMap<>();
          List<Facts> facts = new ArrayList<>(keys.size());
          for (Key k : keys) {
            NotifySettings global =
                settings.computeIfAbsent(k.userId(), u -> states.settings(h, u));
            int badge = unread.computeIfAbsent(k.userId(), u -> list.totalUnread(h, u));
            facts.add(facts(h, k, global, badge));
          }
          return facts;
        });
  }

  private Facts facts(Handle h, Key k, NotifySettings global, int badge) {
    Optional<ConversationRow> conversation =
        k.conversationId() == 0 ? Optional.empty() : conversations.find(h, k.conversationId());
    Optional<MemberRow> me =
        conversation.isEmpty() ? Optional.empty() : members.find(h, k.conversationId(), k.userId());
    ChatState state =
        conversation.isEmpty() ? ChatState.DEFAULT : states.find(h, k.userId(), k.conversationId());
    boolean previews =
        switch (state.previews()) {
          case DEFAULT -> global.showPreviews();
          case SHOW -> true;
          case HIDE -> false;
        };
    return new Facts(
        k.userId(),
        k.conversationId(),
        state.mutedUntil(),
        state.mutedForever(),
        previews,
        global.notifyMentionsInMuted(),
        badge,
        me.map(MemberRow::readSeq).orElse(0L),
        conversation.filter(ConversationRow::group).map(ConversationRow::title).orElse(null),
        conversation.map(ConversationRow::group).orElse(false),
        me.map(MemberRow::active).orElse(false));
  }
}
