package dev.parley.cli;

import dev.parley.client.Futures;
import dev.parley.client.Operations;
import dev.parley.proto.client.Profile;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Display names for the user lists (friends, requests, blocked, group members): one {@code
 * get_profiles} per 100 users. Only the human output asks, so {@code --json} costs no extra
 * request. Users the server leaves out (deleted accounts) have no entry.
 */
final class UserNames {
  /** The most ids one {@code get_profiles} takes. */
  static final int PAGE = 100;

  private UserNames() {}

  static Map<Long, String> of(Operations connection, Collection<Long> userIds) {
    List<Long> ids = new ArrayList<>(new LinkedHashSet<>(userIds));
    Map<Long, String> names = new HashMap<>();
    for (int from = 0; from < ids.size(); from += PAGE) {
      List<Long> page = ids.subList(from, Math.min(ids.size(), from + PAGE));
      for (Profile p : Futures.await(connection.getProfiles(page)).getProfilesList()) {
        names.put(p.getUserId(), p.getDisplayName());
      }
    }
    return names;
  }
}
