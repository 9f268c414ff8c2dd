package dev.parley.client;

/**
 * What synchronizing cost and did. {@link Messenger#lastCatchUp()} covers the last catch-up (the
 * synchronization after a connection became READY); {@link Messenger#totals()} everything since the
 * messenger was attached, gap repairs included.
 *
 * @param getState {@code get_state} requests (one per rebuild)
 * @param getConversations {@code get_conversations} pages (rebuilds only)
 * @param getDifference {@code get_difference} requests
 * @param getHistory {@code get_history} requests (filling seq gaps of one-to-one conversations,
 *     looking up recalled entries)
 * @param syncGroups {@code sync_groups} requests (following the group logs, repairing live group
 *     gaps)
 * @param updates feed updates and group entries applied
 * @param duplicates live updates ignored because their pts (feed) or seq (group entry) had been
 *     applied already, and group entries that reached the device both ways
 * @param gaps times a gap in the live updates outlasted the gap wait and was repaired by {@code
 *     get_difference} (feed) or {@code sync_groups} (a group)
 * @param rebuilt the local state was rebuilt from the server (a new device, or {@code too_long})
 */
public record SyncStats(
    long getState,
    long getConversations,
    long getDifference,
    long getHistory,
    long syncGroups,
    long updates,
    long duplicates,
    long gaps,
    boolean rebuilt) {

  static final SyncStats NONE = new SyncStats(0, 0, 0, 0, 0, 0, 0, 0, false);

  /** Requests of all kinds. */
  public long requests() {
    return getState + getConversations + getDifference + getHistory + syncGroups;
  }
}
