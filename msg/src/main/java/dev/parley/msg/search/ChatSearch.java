package dev.parley.msg.search;

import dev.parley.msg.core.UserDirectory;
import dev.parley.msg.core.UserDirectory.Profile;
import dev.parley.msg.store.ChatNames;
import dev.parley.msg.store.ChatNames.Chat;
import dev.parley.msg.store.ChatNames.Seat;
import dev.parley.msg.store.Relations;
import dev.parley.msg.store.Tx;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * search_chats (design.md 14.5): the caller's own conversations whose title, peer's name or a
 * member's name matches, matched at query time. Titles are read here; names are asked of the user
 * service for the people of the caller's chats, less those who blocked the caller (whose names the
 * caller may not see, REL-2). Nothing is indexed, so nothing can go stale, and nothing outside the
 * caller's own chats is ever looked at: search cannot enumerate strangers.
 *
 * <p>Bounded, because it runs on every keystroke: the {@value #MAX_CHATS} most recently active
 * chats, and the names of the first {@value #MAX_PEOPLE} people met going through them (peers and
 * group members, at most {@value #MAX_SEATS} member rows). A chat beyond is not found; a member
 * beyond is not matched by name (the group's title still is).
 */
public final class ChatSearch {
  static final int MAX_CHATS = 5_000;
  static final int MAX_SEATS = 20_000;
  static final int MAX_PEOPLE = 4_000;

  private final Tx tx;
  private final ChatNames chatNames;
  private final Relations relations;
  private final UserDirectory users;

  public ChatSearch(Tx tx, ChatNames chatNames, Relations relations, UserDirectory users) {
    this.tx = tx;
    this.chatNames = chatNames;
    this.relations = relations;
    this.users = users;
  }

  /**
   * A found chat.
   *
   * @param peer a one-to-one chat's other user; null for a group, or when they blocked the caller
   */
  public record Found(Chat chat, @Nullable Profile peer, NameHit hit) {}

  /** Best first ({@link NameHit#BEST}), then the most recently active. */
  static final Comparator<Found> ORDER =
      Comparator.comparing(Found::hit, NameHit.BEST)
          .thenComparing(f -> f.chat().activeAt(), Comparator.reverseOrder())
          .thenComparing(f -> f.chat().conversationId(), Comparator.reverseOrder());

  /** The caller's chats and the people in them, as of one read. */
  private record Seen(List<Chat> chats, Map<Long, List<Long>> members, Set<Long> people) {}

  public List<Found> search(long userId, String query, int limit) {
    NameQuery q = NameQuery.require(query);
    Seen seen = tx.read(h -> seen(h, userId));
    Map<Long, Profile> names = seen.people().isEmpty() ? Map.of() : users.profiles(seen.people());
    // Each person is matched once, however many of the caller's groups they are in.
    Map<Long, NameHit> matching = new HashMap<>();
    names.forEach(
        (id, p) -> {
          NameHit hit = NameHit.person(q, p, false);
          if (hit != null) matching.put(id, hit);
        });
    List<Found> found = new ArrayList<>();
    for (Chat c : seen.chats()) {
      NameHit best;
      if (c.group()) {
        best = NameHit.title(q, c.title());
        for (long member : seen.members().getOrDefault(c.conversationId(), List.of()))
          best = NameHit.better(best, matching.get(member));
      } else {
        NameHit peer = matching.get(c.peerId());
        best = peer == null ? null : peer.asOwn();
      }
      if (best != null) found.add(new Found(c, c.group() ? null : names.get(c.peerId()), best));
    }
    found.sort(ORDER);
    return List.copyOf(found.subList(0, Math.min(limit, found.size())));
  }

  private Seen seen(org.jdbi.v3.core.Handle h, long userId) {
    List<Chat> chats = chatNames.chats(h, userId, MAX_CHATS);
    long[] groups = chats.stream().filter(Chat::group).mapToLong(Chat::conversationId).toArray();
    Map<Long, List<Long>> members = new HashMap<>();
    for (Seat s : chatNames.members(h, userId, groups, MAX_SEATS))
      members.computeIfAbsent(s.conversationId(), k -> new ArrayList<>()).add(s.userId());
    // The people of the most recent chats first, so the cap drops the oldest.
    Set<Long> people = new LinkedHashSet<>();
    for (Chat c : chats) {
      if (people.size() >= MAX_PEOPLE) break;
      if (!c.group()) people.add(c.peerId());
      for (long m : members.getOrDefault(c.conversationId(), List.of())) {
        if (people.size() >= MAX_PEOPLE) break;
        people.add(m);
      }
    }
    people.removeAll(relations.blockersAmong(h, userId, people));
    return new Seen(chats, members, people);
  }
}
