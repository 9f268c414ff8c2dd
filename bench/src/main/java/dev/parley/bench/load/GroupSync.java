package dev.parley.bench.load;

import dev.parley.bench.net.WsConnection;
import dev.parley.proto.client.GroupProgress;
import dev.parley.proto.client.Message;
import dev.parley.proto.client.Request;
import dev.parley.proto.client.Response;
import dev.parley.proto.client.SyncGroupsRequest;
import dev.parley.proto.client.SyncGroupsResponse;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * One run of the sync_groups loop (design.md 8.3): list groups with the seqs held, apply the
 * answer's entries, ask again for the groups still behind, until none is. Confined to the device's
 * event loop.
 *
 * <p>An answer names only the listed groups that moved; each comes with the seq to hold once its
 * entries are applied ({@code synced_seq}) and its visible head ({@code last_seq}). A group still
 * below its head was cut by the answer's limit ({@link #LIMIT} entries or about 1 MiB, then {@code
 * more} is set) and is listed again, first; so the number of requests grows with the entries
 * missed, not with the groups followed (up to {@link #MAX_LISTED} groups per request). An error
 * answer is retried after a second while the connection is open; a closed connection ends the run
 * with {@code failed} (the reconnect syncs again).
 */
final class GroupSync {
  /** Entries per answer: the most the server allows. */
  private static final int LIMIT = 1000;

  /** Groups per request: the server takes 5,000, a JSON frame fits about 2,000 (sync.proto). */
  private static final int MAX_LISTED = 1000;

  private final Fleet fleet;
  private final GroupLogs logs;
  private final WsConnection conn;
  private final ArrayDeque<GroupLog> toAsk;
  private final SyncTally tally;
  private final Runnable done;
  private final Consumer<String> failed;

  GroupSync(
      Fleet fleet,
      GroupLogs logs,
      WsConnection conn,
      Collection<GroupLog> groups,
      SyncTally tally,
      Runnable done,
      Consumer<String> failed) {
    this.fleet = fleet;
    this.logs = logs;
    this.conn = conn;
    this.toAsk = new ArrayDeque<>(groups);
    this.tally = tally;
    this.done = done;
    this.failed = failed;
  }

  /** Sends the first request; a device in no group sends none. */
  void start() {
    next();
  }

  private void next() {
    if (toAsk.isEmpty()) {
      done.run();
      return;
    }
    List<GroupLog> listed = new ArrayList<>();
    SyncGroupsRequest.Builder request = SyncGroupsRequest.newBuilder().setLimit(LIMIT);
    while (!toAsk.isEmpty() && listed.size() < MAX_LISTED) {
      GroupLog g = toAsk.poll();
      g.syncing = true;
      listed.add(g);
      request.addConversationIds(g.conversationId).addSeqs(g.held());
    }
    tally.requests++;
    tally.groupRequests++;
    fleet.counters().syncGroupsRequests.increment();
    long sentNanos = System.nanoTime();
    conn.request(
        Request.newBuilder().setSyncGroups(request),
        (r, failure, nanos) -> {
          PhaseStats.record(fleet.counters().syncGroupsPage, nanos - sentNanos);
          for (GroupLog g : listed) g.syncing = false;
          if (r != null && r.hasSyncGroups()) {
            askFirst(apply(r.getSyncGroups(), nanos));
            next();
          } else {
            retryOrFail(listed, r, failure);
          }
        });
  }

  /** Applies one answer; returns the groups it left behind their head, in the order listed. */
  private List<GroupLog> apply(SyncGroupsResponse answer, long arrivalNanos) {
    GroupLog.Sink sink = logs.sink();
    for (Message m : answer.getMessagesList()) {
      GroupLog g = logs.get(m.getConversationId());
      if (g != null) g.synced(m, arrivalNanos, sink);
    }
    tally.groupEntries += answer.getMessagesCount();
    List<GroupLog> behind = new ArrayList<>();
    for (GroupProgress p : answer.getGroupsList()) {
      GroupLog g = logs.get(p.getConversationId());
      if (g == null) continue;
      g.syncedUpTo(p.getSyncedSeq(), sink);
      if (g.held() < p.getLastSeq()) behind.add(g);
    }
    for (long id : answer.getNotFoundList()) logs.forget(id);
    return behind;
  }

  private void askFirst(List<GroupLog> behind) {
    for (int i = behind.size() - 1; i >= 0; i--) toAsk.addFirst(behind.get(i));
  }

  private void retryOrFail(List<GroupLog> listed, @Nullable Response r, @Nullable String failure) {
    fleet.counters().syncGroupsErrors.increment();
    if (failure == null && conn.isOpen()) {
      askFirst(listed);
      conn.loop().schedule(this::next, 1, TimeUnit.SECONDS);
    } else {
      failed.accept(Device.describe(r, failure));
    }
  }
}
