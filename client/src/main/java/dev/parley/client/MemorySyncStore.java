package dev.parley.client;

import dev.parley.proto.client.Conversation;
import dev.parley.proto.client.Message;
import dev.parley.proto.client.NotifySettings;
import dev.parley.proto.client.SendMessageRequest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * A {@link SyncStore} in memory: for tests, tools and clients that sync from scratch on every
 * start. Thread-safe (one lock); every method returns a copy. Its outbox lasts as long as the
 * object: a second {@link Messenger} attached to the same store resends what the first left
 * unanswered.
 */
public final class MemorySyncStore implements SyncStore {
  private static final Comparator<Conversation> MOST_RECENT_FIRST =
      Comparator.comparingLong(Conversation::getLastActivityMs)
          .reversed()
          .thenComparing(Comparator.comparingLong(Conversation::getConversationId).reversed());

  private long pts = -1; // guarded by this; -1: none
  private final Map<Long, Conversation> conversations = new HashMap<>(); // guarded by this
  private final Map<Long, NavigableMap<Long, Message>> entries = new HashMap<>(); // guarded by this
  private final Map<Long, Map<Long, Long>> memberReadSeqs = new HashMap<>(); // guarded by this
  private final Map<Long, Long> unreadCountedTo = new HashMap<>(); // guarded by this
  private @Nullable NotifySettings notifySettings; // guarded by this
  private final Map<String, SendMessageRequest> pendingSends =
      new LinkedHashMap<>(); // guarded by this

  @Override
  public synchronized OptionalLong pts() {
    return pts < 0 ? OptionalLong.empty() : OptionalLong.of(pts);
  }

  @Override
  public synchronized void savePts(long pts) {
    if (pts < 0) {
      throw new IllegalArgumentException("pts must not be negative: " + pts);
    }
    this.pts = pts;
  }

  @Override
  public synchronized Optional<NotifySettings> notifySettings() {
    return Optional.ofNullable(notifySettings);
  }

  @Override
  public synchronized void saveNotifySettings(NotifySettings settings) {
    notifySettings = settings;
  }

  @Override
  public synchronized Optional<Conversation> conversation(long conversationId) {
    return Optional.ofNullable(conversations.get(conversationId));
  }

  @Override
  public synchronized void saveConversation(Conversation conversation) {
    conversations.put(conversation.getConversationId(), conversation);
  }

  @Override
  public synchronized List<Conversation> conversations() {
    List<Conversation> all = new ArrayList<>(conversations.values());
    all.sort(MOST_RECENT_FIRST);
    return all;
  }

  @Override
  public synchronized Optional<Message> message(long conversationId, long seq) {
    NavigableMap<Long, Message> log = entries.get(conversationId);
    return Optional.ofNullable(log == null ? null : log.get(seq));
  }

  @Override
  public synchronized void saveMessage(Message message) {
    entries
        .computeIfAbsent(message.getConversationId(), id -> new TreeMap<>())
        .put(message.getSeq(), message);
  }

  @Override
  public synchronized List<Message> messages(long conversationId) {
    NavigableMap<Long, Message> log = entries.get(conversationId);
    return log == null ? List.of() : List.copyOf(log.values());
  }

  @Override
  public synchronized long memberReadSeq(long conversationId, long userId) {
    return memberReadSeqs.getOrDefault(conversationId, Map.of()).getOrDefault(userId, 0L);
  }

  @Override
  public synchronized void saveMemberReadSeq(long conversationId, long userId, long readSeq) {
    memberReadSeqs
        .computeIfAbsent(conversationId, id -> new HashMap<>())
        .merge(userId, readSeq, Math::max);
  }

  @Override
  public synchronized long unreadCountedTo(long conversationId) {
    return unreadCountedTo.getOrDefault(conversationId, 0L);
  }

  @Override
  public synchronized void saveUnreadCountedTo(long conversationId, long seq) {
    unreadCountedTo.put(conversationId, seq);
  }

  @Override
  public synchronized void savePendingSend(SendMessageRequest request) {
    if (request.getClientMsgId().isEmpty()) {
      throw new IllegalArgumentException("a pending send needs its client_msg_id");
    }
    pendingSends.put(
        request.getClientMsgId(), request); // a replaced one keeps its place in the order
  }

  @Override
  public synchronized void removePendingSend(String clientMsgId) {
    pendingSends.remove(clientMsgId);
  }

  @Override
  public synchronized List<SendMessageRequest> pendingSends() {
    return List.copyOf(pendingSends.values());
  }

  @Override
  public synchronized void clear() {
    pts = -1;
    conversations.clear();
    entries.clear();
    memberReadSeqs.clear();
    unreadCountedTo.clear();
    notifySettings = null;
  }

  /** The number of entries held of a conversation. */
  public synchronized int messageCount(long conversationId) {
    NavigableMap<Long, Message> log = entries.get(conversationId);
    return log == null ? 0 : log.size();
  }

  @Override
  public synchronized String toString() {
    return "MemorySyncStore[pts "
        + pts
        + ", "
        + conversations.size()
        + " conversations, "
        + entries.values().stream().mapToInt(Map::size).sum()
        + " entries, "
        + pendingSends.size()
        + " pending sends]";
  }
}
