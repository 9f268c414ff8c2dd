package dev.parley.client;

import dev.parley.proto.client.Conversation;
import dev.parley.proto.client.ConversationType;
import dev.parley.proto.client.GetHistoryRequest;
import dev.parley.proto.client.GetHistoryResponse;
import dev.parley.proto.client.Message;
import dev.parley.proto.client.Role;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One conversation of the {@link FakeMessaging} model, as the real server keeps it (design.md 8.1):
 * a gap-free log, and one membership row per user who ever was a member, with the window of the log
 * they may read ({@code first_visible_seq} .. {@code last_visible_seq}, the latter 0 while a
 * member) and their read marker. Not thread-safe: {@link FakeMessaging} holds its lock.
 */
final class FakeConversation {
  /** A member row: kept after leaving. */
  static final class Window {
    long first;
    long last; // 0 while a member

    Window(long first) {
      this.first = first;
    }
  }

  final long id;
  final ConversationType type;
  String title;
  boolean disbanded;
  long lastActivityMs;
  final List<Message> log = new ArrayList<>(); // seq = index + 1; null: deleted by retention
  final Map<Long, Window> windows = new LinkedHashMap<>(); // in joining order
  final Map<Long, Long> readSeq = new HashMap<>();

  FakeConversation(long id, ConversationType type) {
    this.id = id;
    this.type = type;
  }

  long lastSeq() {
    return log.size();
  }

  boolean isMember(long user) {
    Window w = windows.get(user);
    return w != null && w.last == 0;
  }

  boolean wasMember(long user) {
    return windows.containsKey(user);
  }

  List<Long> members() {
    return windows.keySet().stream().filter(this::isMember).toList();
  }

  /**
   * Makes {@code user} a member who reads from {@code firstSeq}, with the read marker just before
   * it.
   */
  void join(long user, long firstSeq) {
    windows.put(user, new Window(firstSeq));
    readSeq.put(user, Math.max(readSeq.getOrDefault(user, 0L), firstSeq - 1));
  }

  /** Ends {@code user}'s membership at {@code lastSeq}, the entry that removed them. */
  void end(long user, long lastSeq) {
    windows.get(user).last = lastSeq;
  }

  /**
   * The newest entry {@code user} may read: the head, or for a former member the entry that removed
   * them.
   */
  long visibleHead(long user) {
    Window w = windows.get(user);
    return w == null ? 0 : w.last == 0 ? lastSeq() : w.last;
  }

  long firstVisible(long user) {
    Window w = windows.get(user);
    return w == null ? 1 : w.first;
  }

  /** The entry at {@code seq}, empty where retention deleted it. */
  Optional<Message> entry(long seq) {
    return seq < 1 || seq > lastSeq()
        ? Optional.empty()
        : Optional.ofNullable(log.get((int) seq - 1));
  }

  long other(long user) {
    List<Long> all = List.copyOf(windows.keySet());
    return all.get(0) == user ? all.get(1) : all.get(0);
  }

  /**
   * Messages in {@code user}'s window after their read marker, not theirs, not recalled (design.md
   * 8.6).
   */
  int unread(long user) {
    int n = 0;
    for (long s = readSeq.getOrDefault(user, 0L) + 1; s <= visibleHead(user); s++) {
      Message m = entry(s).orElse(null);
      if (m != null && UpdateApplier.isUserMessage(m) && m.getSenderId() != user) {
        n++;
      }
    }
    return n;
  }

  /** The summary {@code user} gets from get_conversations: last_seq is the head of their window. */
  Conversation summary(long user) {
    Window w = windows.get(user);
    Conversation.Builder s =
        Conversation.newBuilder()
            .setConversationId(id)
            .setType(type)
            .setLastSeq(visibleHead(user))
            .setReadSeq(readSeq.getOrDefault(user, 0L))
            .setUnreadCount(unread(user))
            .setMemberCount(members().size())
            .setRole(Role.ROLE_MEMBER)
            .setLastActivityMs(lastActivityMs)
            .setFirstVisibleSeq(w.first)
            .setLastVisibleSeq(w.last)
            .setLeft(w.last != 0)
            .setDisbanded(disbanded);
    if (type == ConversationType.CONVERSATION_TYPE_DIRECT) {
      long peer = other(user);
      s.setPeerUserId(peer).setPeerReadSeq(readSeq.getOrDefault(peer, 0L));
    } else {
      s.setTitle(title);
    }
    for (long seq = visibleHead(user); seq >= w.first; seq--) {
      Optional<Message> newest = entry(seq);
      if (newest.isPresent()) {
        s.setLastMessage(newest.get());
        break;
      }
    }
    return s.build();
  }

  /** A page of the log within {@code user}'s window; see {@link GetHistoryRequest}. */
  GetHistoryResponse history(long user, GetHistoryRequest h) {
    int limit = h.getLimit() == 0 ? 50 : h.getLimit();
    long first = firstVisible(user);
    long head = visibleHead(user);
    GetHistoryResponse.Builder page = GetHistoryResponse.newBuilder();
    if (h.getAfterSeq() > 0 || h.getForward()) {
      long s = Math.max(h.getAfterSeq() + 1, first);
      for (; s <= head && page.getMessagesCount() < limit; s++) {
        entry(s).ifPresent(page::addMessages);
      }
      page.setMore(s <= head);
    } else {
      long s = h.getBeforeSeq() == 0 ? head : Math.min(head, h.getBeforeSeq() - 1);
      for (; s >= first && page.getMessagesCount() < limit; s--) {
        entry(s).ifPresent(page::addMessages);
      }
      page.setMore(s >= first);
    }
    return page.build();
  }
}
