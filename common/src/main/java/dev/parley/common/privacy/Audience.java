package dev.parley.common.privacy;

import java.util.Locale;

/** Who a privacy setting shows something to. Contacts are friends (design.md 8.7). */
public enum Audience {
  EVERYONE,
  CONTACTS,
  NOBODY;

  /** The stored spelling: {@code everyone}, {@code contacts}, {@code nobody}. */
  public String stored() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Audience fromStored(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT));
  }

  /** Whether a viewer who is (or is not) a contact of the owner is in this audience. */
  public boolean includes(boolean contact) {
    return switch (this) {
      case EVERYONE -> true;
      case CONTACTS -> contact;
      case NOBODY -> false;
    };
  }
}
