package dev.parley.bench.load;

import dev.parley.bench.net.WsConnection;
import dev.parley.proto.client.Message;
import dev.parley.proto.client.ServiceContent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The groups a device follows, each by its own seq (design.md 8.3 and 8.5). Confined to the
 * device's event loop.
 *
 * <p>Group entries reach a device three ways: live as an update <em>without</em> pts (every entry
 * of a group it is in), through its feed with a pts (only the entries that changed its own
 * membership: the one that added it, removed it, disbanded the group), and by sync_groups (after a
 * reconnect, at the end of a run, and to repair a gap). Whatever the path, an entry is applied by
 * its group's seq ({@link GroupLog}), never by pts: the feed and a group's log are two orders that
 * say nothing about each other.
 *
 * <p>A device follows a group from the first entry of it that arrives. The entry that added it
 * (from the feed; GROUP_CREATED in the bench's setups) says where its window starts; until then it
 * holds 0, and an entry of the group that overtook it waits. A gap (an entry waiting behind a
 * missing one) that has not moved for {@link Device#GAP_WAIT_MS}, the wait the feed's gap repair
 * uses, is repaired with sync_groups for that group alone.
 */
final class GroupLogs {
  private final Fleet fleet;
  private final Device device;
  private final long selfUserId;
  private final GroupLog.Sink sink;

  /** In the order first seen, which is the order sync_groups lists them. */
  private final Map<Long, GroupLog> groups = new LinkedHashMap<>();

  GroupLogs(Fleet fleet, Device device, Receipts receipts) {
    this.fleet = fleet;
    this.device = device;
    this.selfUserId = device.account().userId();
    this.sink = receipts::apply;
  }

  /**
   * Whether an entry from the feed belongs to a group log: service entries exist only in groups,
   * and a feed from before version 2 may still hold other entries of groups (design.md 8.11).
   * Everything else in the feed is one-to-one and applied in pts order.
   */
  boolean isGroupEntry(Message entry) {
    return entry.hasService() || groups.containsKey(entry.getConversationId());
  }

  /** A live update without pts. */
  void live(Message entry, long arrivalNanos) {
    GroupLog g = follow(entry.getConversationId());
    switch (g.offer(entry, arrivalNanos, false, sink)) {
      case STALE -> fleet.counters().staleUpdates.increment();
      case EARLY -> watchGap(g);
      case APPLIED -> {}
    }
  }

  /** A group entry that came in the feed's order (live with a pts, or by get_difference). */
  void fromFeed(Message entry, long arrivalNanos, boolean viaSync) {
    GroupLog g = follow(entry.getConversationId());
    if (addsSelf(entry)) g.joinedAt(entry.getSeq());
    if (g.offer(entry, arrivalNanos, viaSync, sink) == GroupLog.Offer.EARLY) watchGap(g);
  }

  private boolean addsSelf(Message entry) {
    if (!entry.hasService()) return false;
    ServiceContent s = entry.getService();
    return s.getAction() == ServiceContent.Action.GROUP_CREATED
        || (s.getAction() == ServiceContent.Action.MEMBERS_ADDED
            && s.getUserIdsList().contains(selfUserId));
  }

  /**
   * The sync_groups loop over every group followed, from the seqs held; then the gaps still open
   * are watched again. {@code done} runs at once for a device in no group (no request is sent).
   */
  void syncAll(WsConnection conn, SyncTally tally, Runnable done, Consumer<String> failed) {
    new GroupSync(
            fleet,
            this,
            conn,
            List.copyOf(groups.values()),
            tally,
            () -> {
              groups.values().forEach(this::watchGap);
              done.run();
            },
            failed)
        .start();
  }

  @Nullable GroupLog get(long conversationId) {
    return groups.get(conversationId);
  }

  /** The server says the device never was a member: nothing of the group will come. */
  void forget(long conversationId) {
    groups.remove(conversationId);
  }

  GroupLog.Sink sink() {
    return sink;
  }

  private GroupLog follow(long conversationId) {
    return groups.computeIfAbsent(conversationId, GroupLog::new);
  }

  private void watchGap(GroupLog g) {
    if (g.gapCheckScheduled || !g.hasGap()) return;
    g.gapCheckScheduled = true;
    g.heldAtGapCheck = g.held();
    device.loop().schedule(() -> checkGap(g), Device.GAP_WAIT_MS, TimeUnit.MILLISECONDS);
  }

  /**
   * A gap was seen {@link Device#GAP_WAIT_MS} ago. Repaired when the group has not moved since;
   * watched again when it moved (the gap may be a newer one) or a sync of it is under way. Offline,
   * the reconnect's sync covers every group and watches the gaps it leaves.
   */
  private void checkGap(GroupLog g) {
    g.gapCheckScheduled = false;
    if (!g.hasGap() || groups.get(g.conversationId) != g) return;
    WsConnection conn = device.online();
    if (conn == null) return;
    if (g.syncing || g.held() != g.heldAtGapCheck) {
      watchGap(g);
      return;
    }
    fleet.counters().groupGapRepairs.increment();
    new GroupSync(fleet, this, conn, List.of(g), new SyncTally(), () -> watchGap(g), why -> {})
        .start();
  }
}
