package dev.parley.cli;

import static dev.parley.cli.HumanFormat.clean;
import static dev.parley.cli.HumanFormat.orDash;

import dev.parley.proto.client.Friend;
import dev.parley.proto.client.FriendRequest;
import dev.parley.proto.client.ListFriendRequestsResponse;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * The human output of the friend and block commands; {@code names} are display names by user id.
 */
final class RelationFormat {
  private final LongFunction<String> time;

  RelationFormat(LongFunction<String> time) {
    this.time = time;
  }

  String friends(List<Friend> friends, Map<Long, String> names) {
    if (friends.isEmpty()) {
      return "no friends\n";
    }
    Table table = new Table().row("USER", "NAME", "SINCE");
    for (Friend f : friends) {
      table.row(
          Long.toString(f.getUserId()), name(names, f.getUserId()), time.apply(f.getSinceMs()));
    }
    return table.render();
  }

  /** Pending requests, incoming ({@code from}) before outgoing ({@code to}). */
  String requests(ListFriendRequestsResponse r, Map<Long, String> names) {
    if (r.getIncomingCount() == 0 && r.getOutgoingCount() == 0) {
      return "no pending friend requests\n";
    }
    Table table = new Table().row("", "USER", "NAME", "NOTE", "SENT");
    for (FriendRequest in : r.getIncomingList()) {
      table.row(
          "from",
          Long.toString(in.getFromUserId()),
          name(names, in.getFromUserId()),
          orDash(clean(in.getNote())),
          time.apply(in.getCreatedAtMs()));
    }
    for (FriendRequest out : r.getOutgoingList()) {
      table.row(
          "to",
          Long.toString(out.getToUserId()),
          name(names, out.getToUserId()),
          orDash(clean(out.getNote())),
          time.apply(out.getCreatedAtMs()));
    }
    return table.render();
  }

  static String blocked(List<Long> userIds, Map<Long, String> names) {
    if (userIds.isEmpty()) {
      return "nobody is blocked\n";
    }
    Table table = new Table().row("USER", "NAME");
    for (long id : userIds) {
      table.row(Long.toString(id), name(names, id));
    }
    return table.render();
  }

  private static String name(Map<Long, String> names, long userId) {
    return orDash(clean(names.getOrDefault(userId, "")));
  }
}
