package dev.parley.msg.search;

import dev.parley.msg.core.UserDirectory;
import dev.parley.msg.core.UserDirectory.Profile;
import dev.parley.msg.store.FriendRow;
import dev.parley.msg.store.Relations;
import dev.parley.msg.store.Tx;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * search_contacts (design.md 14.5): the caller's friends whose display name or username matches, at
 * query time. Only friends are looked at, so no stranger is ever returned and nothing can be
 * enumerated; a block in either direction ends the friendship (design 8.7), so neither side finds
 * the other. Public lookup of anyone else stays exact (lookup_user). At most {@value #MAX_CONTACTS}
 * friends, the longest-standing, are considered.
 */
public final class ContactSearch {
  static final int MAX_CONTACTS = 5_000;

  private final Tx tx;
  private final Relations relations;
  private final UserDirectory users;

  public ContactSearch(Tx tx, Relations relations, UserDirectory users) {
    this.tx = tx;
    this.relations = relations;
    this.users = users;
  }

  /** A found contact: their profile and the best match in it. */
  public record Found(Profile profile, NameHit hit) {}

  /** Best first ({@link NameHit#BEST}), then by display name. */
  static final Comparator<Found> ORDER =
      Comparator.comparing(Found::hit, NameHit.BEST)
          .thenComparing(f -> f.profile().displayName().toLowerCase(Locale.ROOT))
          .thenComparingLong(f -> f.profile().userId());

  public List<Found> search(long userId, String query, int limit) {
    NameQuery q = NameQuery.require(query);
    List<Long> friends =
        tx.read(
            h ->
                relations.friends(h, userId).stream()
                    .limit(MAX_CONTACTS)
                    .map(FriendRow::friendId)
                    .toList());
    Map<Long, Profile> profiles = friends.isEmpty() ? Map.of() : users.profiles(friends);
    List<Found> found = new ArrayList<>();
    for (long id : friends) {
      Profile p = profiles.get(id);
      NameHit hit = p == null ? null : NameHit.person(q, p, true);
      if (p != null && hit != null) found.add(new Found(p, hit));
    }
    found.sort(ORDER);
    return List.copyOf(found.subList(0, Math.min(limit, found.size())));
  }
}
