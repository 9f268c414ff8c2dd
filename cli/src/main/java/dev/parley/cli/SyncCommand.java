package dev.parley.cli;

import dev.parley.client.Connection;
import dev.parley.client.MemorySyncStore;
import dev.parley.client.Messenger;
import dev.parley.client.SyncStats;
import dev.parley.proto.client.GetConversationsResponse;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cli sync [--since PTS]}: one catch-up of the SDK's {@link Messenger} into an in-memory
 * store, then what it found. Without {@code --since} the store is new, so the catch-up is a rebuild
 * ({@code get_state}, the conversation list page by page, then the difference and the groups'
 * logs); with it, the store starts at that feed position and the catch-up asks for the difference
 * (and {@code sync_groups} for the groups it learns of there), so the entries since then arrive one
 * by one (column NEW). The request count shows what catching up costs. {@code --json} prints the
 * store's conversation list as a {@code GetConversationsResponse}.
 *
 * <p>Nothing is kept: the next run starts over. The catch-up acknowledges the feed position (ack),
 * as every device does.
 */
@Command(
    name = "sync",
    description =
        "Catch up like a new device (or from feed position --since PTS) and show what arrived.")
final class SyncCommand extends CliSubcommand {
  @Option(
      names = "--since",
      paramLabel = "PTS",
      description =
          "Start from this feed position instead of rebuilding (0: everything the server keeps).")
  Long since;

  @Override
  void run(CliContext context) {
    if (since != null && since < 0) {
      throw usage("--since must not be negative, not " + since);
    }
    MemorySyncStore store = new MemorySyncStore();
    if (since != null) {
      store.savePts(since);
    }
    Connection connection = context.newConnection();
    Map<Long, Integer> arrived = new ConcurrentHashMap<>();
    CompletableFuture<SyncStats> synced = new CompletableFuture<>();
    SyncStats stats;
    try (Messenger messenger = Messenger.attach(connection, store)) {
      messenger.onMessage(m -> arrived.merge(m.getConversationId(), 1, Integer::sum));
      messenger.onSynced(synced::complete); // after the onMessage calls of the same catch-up
      connection.onStateChange(
          state -> {
            if (state.isFinal()) {
              synced.completeExceptionally(new IllegalStateException("the connection is " + state));
            }
          });
      context.awaitReady(connection);
      stats = await(synced, context, connection, messenger);
    }
    long pts = store.pts().orElse(0);
    GetConversationsResponse result =
        GetConversationsResponse.newBuilder()
            .addAllConversations(store.conversations())
            .setTotalUnread((int) Math.min(store.totalUnread(), 0xffff_ffffL))
            .build();
    context.print(
        result,
        () ->
            summary(stats, since, pts)
                + context
                    .format()
                    .chats()
                    .synced(result.getConversationsList(), store.totalUnread(), arrived));
  }

  static String summary(SyncStats stats, Long since, long pts) {
    String how =
        stats.rebuilt()
            ? "rebuilt from the conversation list at pts " + pts
            : "caught up from pts " + since + " to pts " + pts;
    return how
        + ": "
        + stats.updates()
        + " updates, "
        + stats.requests()
        + " requests (get_state "
        + stats.getState()
        + ", get_conversations "
        + stats.getConversations()
        + ", get_difference "
        + stats.getDifference()
        + ", sync_groups "
        + stats.syncGroups()
        + ", get_history "
        + stats.getHistory()
        + ")\n";
  }

  private static SyncStats await(
      CompletableFuture<SyncStats> synced,
      CliContext context,
      Connection connection,
      Messenger messenger) {
    try {
      return synced.get(context.timeout().toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException | ExecutionException e) {
      if (connection.state() == Connection.State.LOGGED_OUT) {
        throw context.loggedOut(connection);
      }
      throw new CliException(
          "TIMEOUT",
          "no catch-up within " + context.timeout().toSeconds() + " s: " + messenger,
          ExitCodes.FAILED,
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException("INTERRUPTED", "interrupted while catching up", ExitCodes.FAILED, e);
    }
  }
}
