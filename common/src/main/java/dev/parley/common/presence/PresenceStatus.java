package dev.parley.common.presence;

import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Who is online and when the others were last seen (design.md 13.2), derived from connections: in
 * memory on the single node ({@link LocalPresence}), in Redis in a cluster ({@code RedisPresence}).
 * Read by {@code get_presence}, which applies the privacy rules on top.
 */
public interface PresenceStatus {
  /**
   * @param online at least one session connected now
   * @param lastSeen when the user's last connection closed; null when never seen (or forgotten)
   */
  record Status(boolean online, @Nullable Instant lastSeen) {
    public static final Status UNKNOWN = new Status(false, null);
  }

  /** The status of each given user; users never seen may be absent. */
  Map<Long, Status> statusOf(Collection<Long> userIds);
}
