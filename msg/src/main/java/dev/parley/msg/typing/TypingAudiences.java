package dev.parley.msg.typing;

import dev.parley.msg.core.RelationRules;
import dev.parley.msg.store.ConversationRow;
import dev.parley.msg.store.Conversations;
import dev.parley.msg.store.MemberRow;
import dev.parley.msg.store.Members;
import dev.parley.msg.store.Tx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who may send and receive a conversation's typing indicators, cached for {@link #ttl}: typing is
 * the most frequent request there is, and reading the members (and, in a one-to-one, both blocks)
 * for each one would cost more than the indicator is worth.
 *
 * <p>The price is staleness of at most one ttl: a member removed (or a block set) that long ago may
 * still exchange indicators until the entry expires. An indicator reveals nothing but "is typing",
 * so a one-second window is accepted rather than an invalidation protocol across msg instances. The
 * cache is bounded: when it holds {@link #maxEntries} conversations it is emptied (cheaper than an
 * LRU, and at that size most entries are about to expire anyway).
 */
public final class TypingAudiences {
  /**
   * @param members the current members, ascending
   * @param blocked a one-to-one whose users blocked each other (either way)
   */
  public record Audience(long[] members, boolean blocked, Instant loadedAt) {
    public boolean has(long userId) {
      return java.util.Arrays.binarySearch(members, userId) >= 0;
    }
  }

  private final Tx tx;
  private final Conversations conversations;
  private final Members members;
  private final RelationRules rules;
  private final Clock clock;
  private final Duration ttl;
  private final int maxEntries;
  private final ConcurrentHashMap<Long, Audience> cache = new ConcurrentHashMap<>();

  public TypingAudiences(
      Tx tx,
      Conversations conversations,
      Members members,
      RelationRules rules,
      Clock clock,
      Duration ttl,
      int maxEntries) {
    this.tx = tx;
    this.conversations = conversations;
    this.members = members;
    this.rules = rules;
    this.clock = clock;
    this.ttl = ttl;
    this.maxEntries = maxEntries;
  }

  /** The conversation's audience; no members when it does not exist or was disbanded. */
  public Audience of(long conversationId) {
    Instant now = clock.instant();
    Audience cached = cache.get(conversationId);
    if (cached != null && now.isBefore(cached.loadedAt().plus(ttl))) return cached;
    Audience loaded = load(conversationId, now);
    if (cache.size() >= maxEntries) cache.clear();
    cache.put(conversationId, loaded);
    return loaded;
  }

  private Audience load(long conversationId, Instant now) {
    return tx.read(
        h -> {
          Optional<ConversationRow> conv = conversations.find(h, conversationId);
          if (conv.isEmpty() || conv.get().disbanded())
            return new Audience(new long[0], false, now);
          long[] ids =
              members.active(h, conversationId).stream().mapToLong(MemberRow::userId).toArray();
          boolean blocked =
              conv.get().direct() && ids.length == 2 && rules.blockedEitherWay(h, ids[0], ids[1]);
          return new Audience(ids, blocked, now);
        });
  }
}
