package dev.parley.common.redis;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A Lua script run by its SHA-1 ({@code EVALSHA}), falling back to sending the source ({@code
 * EVAL}, which also caches it) when Redis does not know it: after a restart, {@code SCRIPT FLUSH}
 * or a fail-over. Scripts touch exactly one key, so they would also run on a Redis Cluster.
 *
 * <p>Order: commands sent on one connection run in the order they were sent, but a fallback is sent
 * only when the {@code NOSCRIPT} answer comes back, after commands sent meanwhile. To keep that to
 * the moments right after Redis lost its script cache, the source is sent until Redis has confirmed
 * it once, and again after every {@code NOSCRIPT}.
 */
final class RedisScript {
  private final String source;
  private final String sha;

  /** Redis is believed to hold the script; false at first and after a NOSCRIPT answer. */
  private volatile boolean cached;

  RedisScript(String source) {
    this.source = source;
    this.sha = sha1(source);
  }

  /**
   * Runs the script; never throws (a command refused while disconnected comes back as a failed
   * stage).
   */
  <T> CompletionStage<T> run(
      RedisAsyncCommands<String, String> redis, ScriptOutputType type, String key, String... args) {
    String[] keys = {key};
    try {
      if (!cached) return bySource(redis, type, keys, args);
      CompletionStage<T> bySha = redis.evalsha(sha, type, keys, args);
      return bySha.exceptionallyCompose(
          e -> {
            if (!(RedisClients.asRedisException(e) instanceof RedisNoScriptException)) {
              return CompletableFuture.failedStage(e);
            }
            cached = false;
            return bySource(redis, type, keys, args);
          });
    } catch (RuntimeException e) {
      return CompletableFuture.failedStage(e);
    }
  }

  private <T> CompletionStage<T> bySource(
      RedisAsyncCommands<String, String> redis,
      ScriptOutputType type,
      String[] keys,
      String[] args) {
    CompletionStage<T> result = redis.eval(source, type, keys, args);
    return result.whenComplete(
        (r, e) -> {
          if (e == null) cached = true;
        });
  }

  private static String sha1(String source) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is missing from this JVM", e);
    }
  }
}
