package dev.parley.msg.recent;

import dev.parley.common.redis.RedisClients;
import dev.parley.msg.crypto.ContentCipher;
import dev.parley.msg.store.Entry;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The recent-entries cache in Redis, shared by the msg instances of a cluster.
 *
 * <p>Redis key: {@code parley:recent:<conversation id>} (list, with the configured prefix): the
 * newest entries of the conversation, newest first, at most {@code size}, each element one entry in
 * {@link RecentCodec}'s encrypted form, seqs descending without gaps. The key expires {@code ttl}
 * after it was last written; reads do not extend it, so a conversation nobody writes to drops out.
 *
 * <p>Reads are one Lua script ({@link #READ}) per conversation, sent together for a page of
 * conversations. Every change is one single-key Lua script (atomic, and Redis Cluster compatible);
 * they compare seqs, which is all they can read of an element:
 *
 * <ul>
 *   <li>{@link #STORE} (a refill from the table): replaces the list unless the one there has a
 *       newer head, or the same head and at least as many entries. Refills racing each other or
 *       racing appends therefore settle on the newest.
 *   <li>{@link #APPEND} (after a commit): pushes the entry if the head is its predecessor and it
 *       did not change an older entry, trimming to {@code size}; otherwise starts a new list with
 *       it alone; does nothing when the head is as new or newer.
 * </ul>
 *
 * <p>None of this has to be right for the answers to be right; the readers' head check is what
 * makes them right (NewestEntries). The scripts only keep the cache useful.
 *
 * <p>Failures: lookups wait at most {@code readTimeout} (all conversations of one lookup together),
 * then the reader falls back to PostgreSQL; writes are fire and forget. While Redis is unreachable
 * commands are refused at once (RedisClients), so the fallback costs microseconds, not the wait.
 * Failures are counted in {@code parley.msg.recent.failures{op}} and logged at most once per 10 s
 * at warn.
 *
 * <p>Own connection: the shared one of RedisClients speaks strings; this one speaks bytes (values)
 * on the same client, with its options (timeouts, reconnect, refusal while disconnected). Scripts
 * are sent by source ({@code EVAL}, cached by Redis under their SHA-1): a few hundred bytes per
 * command buy commands that run in the order they were sent.
 *
 * <p>Memory: an element is about 60 bytes plus the entry's content, so 50 short texts take about 8
 * KB; the cache holds that for each conversation written to or read within the last {@code ttl}.
 */
public final class RedisRecentEntries implements RecentEntries {
  private static final Logger log = LoggerFactory.getLogger(RedisRecentEntries.class);
  private static final long WARN_EVERY_NANOS = 10_000_000_000L;

  /** seq(e): the seq of an element (bytes 2..9, big-endian), nil for another format version. */
  private static final String SEQ =
      """
      local function seq(e)
        if string.byte(e, 1) ~= 1 then return nil end
        local n = 0
        for i = 2, 9 do n = n * 256 + string.byte(e, i) end
        return n
      end
      """;

  /**
   * KEYS[1] = list; ARGV[1] = how many. The newest elements as one string, each behind its length
   * in 8 hex digits: one bulk reply is several times cheaper to receive than a reply of 50
   * (measured with Lettuce: ~0.5 ms against ~1.2 ms for 50 elements of 130 bytes on a busy
   * machine).
   */
  static final String READ =
      """
      local elements = redis.call('LRANGE', KEYS[1], 0, tonumber(ARGV[1]) - 1)
      local parts = {}
      for i, e in ipairs(elements) do parts[i] = string.format('%08x', #e) .. e end
      return table.concat(parts)
      """;

  /** KEYS[1] = list; ARGV[1] = TTL (ms); ARGV[2..] = elements, newest first. */
  static final String STORE =
      SEQ
          + """
          local head = seq(ARGV[2])
          local cur = redis.call('LINDEX', KEYS[1], 0)
          if cur then
            local h = seq(cur)
            if h and (h > head or (h == head and redis.call('LLEN', KEYS[1]) >= #ARGV - 1)) then return 0 end
            redis.call('DEL', KEYS[1])
          end
          redis.call('RPUSH', KEYS[1], unpack(ARGV, 2))
          redis.call('PEXPIRE', KEYS[1], ARGV[1])
          return 1
          """;

  /**
   * KEYS[1] = list; ARGV[1] = TTL (ms); ARGV[2] = size; ARGV[3] = 1 if the entry changed an older
   * one; ARGV[4] = the element to push; ARGV[5] = the element to start a list with (other {@code
   * below}).
   */
  static final String APPEND =
      SEQ
          + """
          local s = seq(ARGV[4])
          local cur = redis.call('LINDEX', KEYS[1], 0)
          if cur then
            local h = seq(cur)
            if h and h >= s then return 0 end
            if h == s - 1 and ARGV[3] == '0' then
              redis.call('LPUSH', KEYS[1], ARGV[4])
              redis.call('LTRIM', KEYS[1], 0, tonumber(ARGV[2]) - 1)
              redis.call('PEXPIRE', KEYS[1], ARGV[1])
              return 1
            end
            redis.call('DEL', KEYS[1])
          end
          redis.call('RPUSH', KEYS[1], ARGV[5])
          redis.call('PEXPIRE', KEYS[1], ARGV[1])
          return 2
          """;

  private final RedisClients redis;
  private final StatefulRedisConnection<String, byte[]> connection;
  private final RedisAsyncCommands<String, byte[]> commands;
  private final RecentCodec codec;
  private final int size;
  private final byte[] ttlMillis;
  private final long waitNanos;
  private final MeterRegistry meters;
  private final Map<String, Counter> failures = new ConcurrentHashMap<>();
  private final AtomicLong lastWarn = new AtomicLong(System.nanoTime() - WARN_EVERY_NANOS);

  /**
   * @param size entries kept per conversation
   * @param ttl how long a conversation's entries stay after the last write
   * @param readTimeout how long a reader waits for a lookup before reading PostgreSQL instead
   */
  public RedisRecentEntries(
      RedisClients redis,
      ContentCipher cipher,
      int size,
      Duration ttl,
      Duration readTimeout,
      MeterRegistry meters) {
    this.redis = redis;
    this.connection =
        redis.client().connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
    this.commands = connection.async();
    this.codec = new RecentCodec(cipher);
    this.size = size;
    this.ttlMillis = ascii(ttl.toMillis());
    this.waitNanos = readTimeout.toNanos();
    this.meters = meters;
  }

  /** The key of a conversation's list. */
  public static String key(RedisClients redis, long conversationId) {
    return redis.key("recent:" + conversationId);
  }

  @Override
  public boolean enabled() {
    return true;
  }

  @Override
  public Lookup lookup(long[] conversationIds, int depth) {
    long deadline = System.nanoTime() + waitNanos;
    byte[] count = ascii(depth);
    Map<Long, CompletableFuture<byte[]>> pending = new HashMap<>();
    for (long id : conversationIds) {
      CompletableFuture<byte[]> f;
      try {
        f =
            commands
                .<byte[]>eval(READ, ScriptOutputType.VALUE, new String[] {key(redis, id)}, count)
                .toCompletableFuture();
      } catch (RuntimeException e) {
        f = CompletableFuture.failedFuture(e);
      }
      pending.put(id, f);
    }
    return id -> resolve(id, pending.get(id), deadline);
  }

  private Cached resolve(
      long conversationId, @Nullable CompletableFuture<byte[]> pending, long deadline) {
    if (pending == null)
      throw new IllegalArgumentException("conversation " + conversationId + " was not looked up");
    byte[] elements;
    try {
      elements = pending.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      failed("lookup", e);
      return Cached.FAILED;
    } catch (ExecutionException e) {
      failed("lookup", e.getCause() != null ? e.getCause() : e);
      return Cached.FAILED;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Cached.FAILED;
    }
    if (elements == null || elements.length == 0) return Cached.ABSENT;
    try {
      List<Entry> entries = new ArrayList<>();
      long below = RecentSnapshot.UNKNOWN;
      for (int at = 0; at < elements.length; ) {
        int length = Integer.parseInt(new String(elements, at, 8, StandardCharsets.US_ASCII), 16);
        RecentCodec.Decoded d =
            codec.decode(conversationId, Arrays.copyOfRange(elements, at + 8, at + 8 + length));
        entries.add(d.entry());
        below = d.below();
        at += 8 + length;
      }
      return new Cached(Status.FOUND, new RecentSnapshot(conversationId, entries, below));
    } catch (RuntimeException e) {
      // Another format, a key this instance lacks (mid-rotation), damage: drop it, the reader
      // refills.
      failed("decode", e);
      run(commands.del(key(redis, conversationId)), "decode");
      return Cached.ABSENT;
    }
  }

  @Override
  public void store(RecentSnapshot snapshot) {
    List<Entry> entries = snapshot.newestFirst();
    int n = Math.min(size, entries.size());
    byte[][] args = new byte[n + 1][];
    args[0] = ttlMillis;
    for (int i = 0; i < n; i++) {
      Entry e = entries.get(i);
      long below = i + 1 < entries.size() ? e.seq() - 1 : snapshot.below();
      args[i + 1] = codec.encode(e, below);
    }
    eval(STORE, snapshot.conversationId(), args, "store");
  }

  @Override
  public void appended(Entry entry, boolean changesOlder, long seedBelow) {
    byte[] onTop = codec.encode(entry, entry.seq() - 1);
    byte[] alone = seedBelow == entry.seq() - 1 ? onTop : RecentCodec.withBelow(onTop, seedBelow);
    eval(
        APPEND,
        entry.conversationId(),
        new byte[][] {ttlMillis, ascii(size), ascii(changesOlder ? 1 : 0), onTop, alone},
        "append");
  }

  private void eval(String script, long conversationId, byte[][] args, String op) {
    CompletionStage<Long> result;
    try {
      result =
          commands.eval(
              script, ScriptOutputType.INTEGER, new String[] {key(redis, conversationId)}, args);
    } catch (RuntimeException e) {
      failed(op, e);
      return;
    }
    run(result, op);
  }

  private void run(CompletionStage<?> command, String op) {
    command.whenComplete(
        (r, e) -> {
          if (e != null) failed(op, e);
        });
  }

  private void failed(String op, Throwable cause) {
    failures
        .computeIfAbsent(
            op,
            o ->
                Counter.builder("parley.msg.recent.failures")
                    .description(
                        "Recent-entries cache operations that failed; reads fell back to PostgreSQL")
                    .tag("op", o)
                    .register(meters))
        .increment();
    long now = System.nanoTime();
    long last = lastWarn.get();
    if (now - last >= WARN_EVERY_NANOS && lastWarn.compareAndSet(last, now)) {
      log.warn(
          "Recent-entries cache {} failed (reading PostgreSQL instead): {}; more within 10 s at debug",
          op,
          cause.toString());
    } else {
      log.debug("Recent-entries cache {} failed: {}", op, cause.toString());
    }
  }

  private static byte[] ascii(long n) {
    return Long.toString(n).getBytes(StandardCharsets.US_ASCII);
  }

  @Override
  public void close() {
    connection.close();
  }
}
