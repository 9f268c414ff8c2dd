package dev.parley.msg.search;

import dev.parley.msg.core.UserDirectory.Profile;
import java.util.Comparator;
import org.jspecify.annotations.Nullable;

/**
 * A title or name that matched a {@link NameQuery}, and whose it is.
 *
 * @param userId the user whose name it is; 0 for a group's title
 * @param text the title or name as written
 * @param own the chat's own name (a group's title, the peer of a one-to-one chat, a contact), not
 *     the name of a group's member
 */
public record NameHit(Field field, long userId, String text, NameQuery.Match match, boolean own) {

  public enum Field {
    TITLE,
    DISPLAY_NAME,
    USERNAME
  }

  /**
   * Best first: how well it matched, then the chat's own name before a member's, then a display
   * name before a username.
   */
  public static final Comparator<NameHit> BEST =
      Comparator.comparing((NameHit h) -> h.match().tier())
          .thenComparing(h -> !h.own())
          .thenComparing(h -> h.field() == Field.USERNAME);

  /** The same match as the chat's own name (a member's name that is also the peer's). */
  NameHit asOwn() {
    return new NameHit(field, userId, text, match, true);
  }

  /** The title, when it matches. */
  static @Nullable NameHit title(NameQuery q, @Nullable String title) {
    NameQuery.Match m = title == null ? null : q.match(title);
    return m == null || title == null ? null : new NameHit(Field.TITLE, 0, title, m, true);
  }

  /** The better of the user's display name and username, when either matches. */
  static @Nullable NameHit person(NameQuery q, Profile p, boolean own) {
    NameQuery.Match name = q.match(p.displayName());
    NameQuery.Match username = p.username().isEmpty() ? null : q.match(p.username());
    NameHit byName =
        name == null
            ? null
            : new NameHit(Field.DISPLAY_NAME, p.userId(), p.displayName(), name, own);
    NameHit byUsername =
        username == null
            ? null
            : new NameHit(Field.USERNAME, p.userId(), p.username(), username, own);
    return better(byName, byUsername);
  }

  static @Nullable NameHit better(@Nullable NameHit a, @Nullable NameHit b) {
    if (a == null) return b;
    if (b == null) return a;
    return BEST.compare(b, a) < 0 ? b : a;
  }
}
