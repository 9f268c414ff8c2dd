package dev.parley.msg.recent;

import dev.parley.msg.store.Entry;
import org.jspecify.annotations.Nullable;

/**
 * A cache of the newest entries of each conversation (the "hot" end of the logs that the first
 * history page and the conversation list read). Never the only copy of anything and never trusted
 * blindly: readers check every snapshot against the conversation's last_seq (see {@link
 * dev.parley.msg.core.NewestEntries}), so an implementation may lose, expire or keep old snapshots
 * at will. None of the methods throw for a failing cache; a lookup that fails reports it.
 *
 * <p>{@link NoRecentEntries} caches nothing (a single node reads PostgreSQL directly); {@link
 * RedisRecentEntries} is the cluster's, shared by the msg instances.
 */
public interface RecentEntries extends AutoCloseable {
  /** Whether this cache holds anything at all; callers skip their cache work when it does not. */
  boolean enabled();

  /**
   * Starts fetching the newest {@code depth} cached entries of each conversation; answers are
   * awaited when asked for, all of them together for at most the cache's read timeout.
   */
  Lookup lookup(long[] conversationIds, int depth);

  /**
   * Replaces the conversation's cached entries with {@code snapshot}, unless the cache already
   * holds a snapshot with a newer head (or as new and as long). Asynchronous.
   */
  void store(RecentSnapshot snapshot);

  /**
   * Brings the cache up to date after {@code entry} was committed, without reading the table: puts
   * it on top of the cached entries if their head is its predecessor and it changed no older entry;
   * otherwise starts over with it alone (its {@code below} then {@code seedBelow}). Leaves a cache
   * whose head is as new or newer alone. Asynchronous.
   *
   * @param changesOlder the entry changed an older one (a recall): the cached list is dropped
   */
  void appended(Entry entry, boolean changesOlder, long seedBelow);

  @Override
  void close();

  /** What a lookup found for a conversation. */
  enum Status {
    /** A snapshot was found (it may be stale: check it). */
    FOUND,
    /** Nothing is cached. */
    ABSENT,
    /** The cache did not answer in time or failed: read the table, do not refill. */
    FAILED
  }

  /** A snapshot, or why there is none. */
  record Cached(Status status, @Nullable RecentSnapshot snapshot) {
    public static final Cached ABSENT = new Cached(Status.ABSENT, null);
    public static final Cached FAILED = new Cached(Status.FAILED, null);
  }

  /** The answers of one lookup. */
  interface Lookup {
    /**
     * @param conversationId one of those looked up
     */
    Cached get(long conversationId);
  }
}
