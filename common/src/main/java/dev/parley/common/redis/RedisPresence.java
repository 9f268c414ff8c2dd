package dev.parley.common.redis;

import dev.parley.common.presence.Presence;
import dev.parley.common.presence.PresenceStatus;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Presence in Redis: which gateway holds which sessions (devices), and where each gateway is.
 * Gateways write it; the dispatcher reads it to route deliveries (design 9). It is never the only
 * copy of anything: every entry expires unless its gateway refreshes it, and every gateway
 * re-asserts all its entries each refresh interval, and at once when its own {@code gateway:} key
 * is gone ({@link #registered}, checked several times a second), so a flushed or emptied Redis is
 * whole again within moments.
 *
 * <p>Redis keys:
 *
 * <ul>
 *   <li>{@code parley:presence:<user id>} (hash): field = session id, value = {@code <gateway
 *       id>|<expiry>}, the expiry in milliseconds since the epoch on Redis's clock. Redis 7.0 has
 *       no per-field TTL, so readers ignore fields whose expiry has passed and delete them lazily.
 *       The key itself expires with its latest field (every write extends the key's TTL to at least
 *       the entry's), so a user whose gateways all died leaves nothing behind.
 *   <li>{@code parley:gateway:<gateway id>} (string): the gateway's internal address {@code
 *       host:port}, with the same TTL, written by each refresh.
 *   <li>{@code parley:last_seen:<user id>} (string, no TTL): when the user's last live entry was
 *       released, in milliseconds on Redis's clock; read by {@code get_presence} (design.md 13.2).
 *       Each refresh also writes it, with the refresh's time, for every user it re-asserts: while
 *       the user is online readers ignore it, and when a gateway dies without releasing anything,
 *       its users show offline once their entries expire (within the TTL) with a last seen at most
 *       one refresh interval before the crash.
 * </ul>
 *
 * <p>One field per session: a device that reconnects to another gateway moves its entry there (last
 * writer wins). For the same reason a gateway removes an entry only if it still names that gateway,
 * so a late close on the old gateway cannot erase the new one. Every step that reads and writes is
 * a single-key Lua script (atomic, and Redis Cluster compatible); expiries are computed and
 * compared on Redis's clock ({@code TIME}), so clock skew between gateways and dispatchers does not
 * matter.
 *
 * <p>Failures: {@link #connected}, {@link #disconnected} and {@link #refresh} never throw. The
 * first two are asynchronous (fire and forget); a lost write is repaired by the next refresh (a
 * missing entry) or by expiry (a stale one). Failures are counted in {@code
 * parley.redis.failures{use=presence}} and logged (throttled). The reads, {@link #sessionsOf} and
 * {@link #address}, serve request paths and throw {@link dev.parley.common.error.ParleyException}
 * UNAVAILABLE when Redis fails them.
 */
public final class RedisPresence implements Presence, PresenceStatus {
  private static final Logger log = LoggerFactory.getLogger(RedisPresence.class);

  /**
   * Commands sent before waiting for their replies (refresh, lookups). Every command of a batch
   * must be answered within the command timeout, counted from when it was sent, so a batch is kept
   * small enough to take a fraction of it even on a slow Redis; a round trip is still shared by
   * hundreds of users (100,000 sessions refresh in ~400 round trips).
   */
  private static final int BATCH = 256;

  /**
   * Writes entries. KEYS[1] = the user's hash; ARGV[1] = TTL (ms); ARGV[2] = gateway id; ARGV[3..]
   * = session ids. The key's TTL only grows, so a gateway with a shorter TTL cannot cut short
   * another's.
   */
  private static final RedisScript ASSERT =
      new RedisScript(
          """
          local t = redis.call('TIME')
          local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
          local ttl = tonumber(ARGV[1])
          local value = ARGV[2] .. '|' .. string.format('%d', now + ttl)
          for i = 3, #ARGV do
            redis.call('HSET', KEYS[1], ARGV[i], value)
          end
          if redis.call('PTTL', KEYS[1]) < ttl then
            redis.call('PEXPIRE', KEYS[1], ttl)
          end
          return #ARGV - 2
          """);

  /**
   * Deletes an entry if it names this gateway. KEYS[1]; ARGV[1] = gateway id; ARGV[2] = session.
   * Returns {deleted (0 or 1), Redis's time in ms, the user's entries still live}: the caller
   * records the user's last seen when none is left (design.md 13.2).
   */
  private static final RedisScript RELEASE =
      new RedisScript(
          """
          local t = redis.call('TIME')
          local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
          local v = redis.call('HGET', KEYS[1], ARGV[2])
          if not (v and string.sub(v, 1, #ARGV[1] + 1) == ARGV[1] .. '|') then
            return {0, now, -1}
          end
          redis.call('HDEL', KEYS[1], ARGV[2])
          local live = 0
          for _, e in ipairs(redis.call('HVALS', KEYS[1])) do
            local bar = string.find(e, '|', 1, true)
            if bar and (tonumber(string.sub(e, bar + 1)) or 0) > now then live = live + 1 end
          end
          return {1, now, live}
          """);

  /**
   * Deletes an expired entry unless it was rewritten since it was read. KEYS[1]; ARGV[1] = session;
   * ARGV[2] = the value read.
   */
  private static final RedisScript FORGET =
      new RedisScript(
          """
          if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then
            return redis.call('HDEL', KEYS[1], ARGV[1])
          end
          return 0
          """);

  private final RedisClients redis;
  private final @Nullable PresenceConfig config;
  private final RedisFailures failures;

  /** The presence of one gateway, which writes its entries and may read everyone's. */
  public RedisPresence(RedisClients redis, PresenceConfig config, MeterRegistry meters) {
    this.redis = redis;
    this.config = Objects.requireNonNull(config, "config");
    this.failures = new RedisFailures(meters, "presence", log);
  }

  private RedisPresence(RedisClients redis, MeterRegistry meters) {
    this.redis = redis;
    this.config = null;
    this.failures = new RedisFailures(meters, "presence", log);
  }

  /** A presence that only reads (the dispatcher): its write methods throw. */
  public static RedisPresence reader(RedisClients redis, MeterRegistry meters) {
    return new RedisPresence(redis, meters);
  }

  @Override
  public void connected(long userId, long sessionId) {
    PresenceConfig me = writer();
    ASSERT
        .run(
            redis.async(),
            ScriptOutputType.INTEGER,
            userKey(userId),
            Long.toString(me.ttl().toMillis()),
            me.gatewayId(),
            Long.toString(sessionId))
        .whenComplete(
            (r, e) -> recordIfFailed("connected", e, "entry not written until the next refresh"));
  }

  @Override
  public void disconnected(long userId, long sessionId) {
    PresenceConfig me = writer();
    RELEASE
        .<List<Long>>run(
            redis.async(),
            ScriptOutputType.MULTI,
            userKey(userId),
            me.gatewayId(),
            Long.toString(sessionId))
        .thenCompose(
            r -> {
              // The user's last live entry is gone: record when. A separate command, since a
              // script may touch one key only (Redis Cluster); a reconnect that slips in between
              // leaves a last seen behind an online user, which readers ignore while online.
              if (r.get(0) == 1 && r.get(2) == 0)
                return redis.async().set(lastSeenKey(userId), Long.toString(r.get(1)));
              return CompletableFuture.completedFuture("");
            })
        .whenComplete((r, e) -> recordIfFailed("disconnected", e, "entry left to expire"));
  }

  @Override
  public void refresh(Collection<long[]> sessions) {
    PresenceConfig me = writer();
    String ttl = Long.toString(me.ttl().toMillis());
    Map<Long, List<String>> byUser = new LinkedHashMap<>();
    for (long[] s : sessions) {
      byUser.computeIfAbsent(s[0], u -> new ArrayList<>()).add(Long.toString(s[1]));
    }
    List<CompletionStage<?>> batch = new ArrayList<>();
    try {
      // The address first: entries are useless to a dispatcher that cannot find the gateway.
      batch.add(
          redis
              .async()
              .set(
                  gatewayKey(me.gatewayId()),
                  me.address(),
                  SetArgs.Builder.px(me.ttl().toMillis())));
      // The last moment these users were known online, in case this gateway dies before it can
      // release them: one TIME per refresh, then one SET per user in the same batches.
      String now =
          byUser.isEmpty() ? "" : Long.toString(nowMillis(redis.await(redis.async().time())));
      for (Map.Entry<Long, List<String>> user : byUser.entrySet()) {
        batch.add(redis.async().set(lastSeenKey(user.getKey()), now));
        List<String> args = new ArrayList<>(user.getValue().size() + 2);
        args.add(ttl);
        args.add(me.gatewayId());
        args.addAll(user.getValue());
        batch.add(
            ASSERT.run(
                redis.async(),
                ScriptOutputType.INTEGER,
                userKey(user.getKey()),
                args.toArray(String[]::new)));
        if (batch.size() >= BATCH) {
          awaitAll(batch);
          batch.clear();
        }
      }
      awaitAll(batch);
    } catch (RedisException e) {
      // Stop at the first failed batch: Redis is away, and the next refresh starts over.
      failures.record("refresh", e, "entries not refreshed until the next refresh");
    }
  }

  /** One EXISTS: cheap enough for a gateway to ask several times a second. */
  @Override
  public boolean registered() {
    try {
      return redis.await(redis.async().exists(gatewayKey(writer().gatewayId()))) == 1;
    } catch (RedisException e) {
      failures.record("registered", e, "loss of the registration not checked");
      return true;
    }
  }

  @Override
  public Map<Long, Map<Long, String>> sessionsOf(Collection<Long> userIds) {
    if (userIds.isEmpty()) return Map.of();
    Map<Long, Map<Long, String>> online = new HashMap<>();
    List<Long> users = new ArrayList<>(new LinkedHashSet<>(userIds));
    try {
      // Expiries are Redis-clock times: compare them with Redis's clock, read in the same pipeline.
      CompletionStage<List<String>> time = redis.async().time();
      for (int from = 0; from < users.size(); from += BATCH) {
        List<Long> slice = users.subList(from, Math.min(users.size(), from + BATCH));
        List<CompletionStage<Map<String, String>>> replies = new ArrayList<>(slice.size());
        for (long user : slice) replies.add(redis.async().hgetall(userKey(user)));
        long now = nowMillis(redis.await(time));
        for (int i = 0; i < slice.size(); i++) {
          Map<Long, String> sessions = live(slice.get(i), redis.await(replies.get(i)), now);
          if (!sessions.isEmpty()) online.put(slice.get(i), sessions);
        }
      }
      return online;
    } catch (RedisException e) {
      failures.record("sessionsOf", e, "lookup failed");
      throw RedisClients.unavailable();
    }
  }

  /**
   * Online from {@link #sessionsOf}, last seen from the {@code last_seen:} keys (one MGET per
   * batch).
   */
  @Override
  public Map<Long, Status> statusOf(Collection<Long> userIds) {
    List<Long> users = List.copyOf(new LinkedHashSet<>(userIds));
    Map<Long, Map<Long, String>> online = sessionsOf(users);
    Map<Long, Status> found = new HashMap<>();
    try {
      for (int from = 0; from < users.size(); from += BATCH) {
        List<Long> slice = users.subList(from, Math.min(users.size(), from + BATCH));
        List<CompletionStage<String>> seen = new ArrayList<>(slice.size());
        for (long user : slice) seen.add(redis.async().get(lastSeenKey(user)));
        for (int i = 0; i < slice.size(); i++) {
          String ms = redis.await(seen.get(i));
          long at = ms == null ? 0 : parseOrZero(ms);
          found.put(
              slice.get(i),
              new Status(
                  online.containsKey(slice.get(i)), at == 0 ? null : Instant.ofEpochMilli(at)));
        }
      }
      return found;
    } catch (RedisException e) {
      failures.record("statusOf", e, "lookup failed");
      throw RedisClients.unavailable();
    }
  }

  @Override
  public Optional<String> address(String gatewayId) {
    try {
      return Optional.ofNullable(redis.await(redis.async().get(gatewayKey(gatewayId))));
    } catch (RedisException e) {
      failures.record("address", e, "lookup failed");
      throw RedisClients.unavailable();
    }
  }

  /** One pipelined round trip: GET and PTTL of each gateway's key. */
  @Override
  public Map<String, Registration> registrations(Collection<String> gatewayIds) {
    List<String> ids = List.copyOf(new LinkedHashSet<>(gatewayIds));
    Map<String, Registration> found = new HashMap<>();
    try {
      List<CompletionStage<String>> addresses = new ArrayList<>(ids.size());
      List<CompletionStage<Long>> ttls = new ArrayList<>(ids.size());
      for (String id : ids) {
        addresses.add(redis.async().get(gatewayKey(id)));
        ttls.add(redis.async().pttl(gatewayKey(id)));
      }
      for (int i = 0; i < ids.size(); i++) {
        String address = redis.await(addresses.get(i));
        Long ttl = redis.await(ttls.get(i));
        if (address != null) {
          found.put(
              ids.get(i),
              new Registration(address, Duration.ofMillis(ttl == null ? 0 : Math.max(0, ttl))));
        }
      }
      return found;
    } catch (RedisException e) {
      failures.record("registrations", e, "lookup failed");
      throw RedisClients.unavailable();
    }
  }

  /**
   * A user's live entries, session → gateway; expired or unreadable entries are deleted on the
   * side.
   */
  private Map<Long, String> live(long userId, Map<String, String> entries, long now) {
    Map<Long, String> sessions = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : entries.entrySet()) {
      String value = e.getValue();
      int sep = value.lastIndexOf('|');
      long expires = sep > 0 ? parseOrZero(value.substring(sep + 1)) : 0;
      long session = parseOrZero(e.getKey());
      if (expires > now && session != 0) {
        sessions.put(session, value.substring(0, sep));
      } else {
        FORGET
            .run(redis.async(), ScriptOutputType.INTEGER, userKey(userId), e.getKey(), value)
            .whenComplete((r, t) -> recordIfFailed("forget", t, "expired entry left for later"));
      }
    }
    return sessions;
  }

  private void awaitAll(List<CompletionStage<?>> batch) {
    if (batch.isEmpty()) return;
    redis.await(
        CompletableFuture.allOf(
            batch.stream()
                .map(CompletionStage::toCompletableFuture)
                .toArray(CompletableFuture[]::new)));
  }

  private void recordIfFailed(String op, @Nullable Throwable failure, String consequence) {
    if (failure != null) failures.record(op, failure, consequence);
  }

  private PresenceConfig writer() {
    if (config == null)
      throw new IllegalStateException("This presence only reads: it has no gateway id");
    return config;
  }

  private String userKey(long userId) {
    return redis.key("presence:" + userId);
  }

  private String lastSeenKey(long userId) {
    return redis.key("last_seen:" + userId);
  }

  private String gatewayKey(String gatewayId) {
    return redis.key("gateway:" + gatewayId);
  }

  private static long nowMillis(List<String> time) {
    return Long.parseLong(time.get(0)) * 1000 + Long.parseLong(time.get(1)) / 1000;
  }

  private static long parseOrZero(String s) {
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
