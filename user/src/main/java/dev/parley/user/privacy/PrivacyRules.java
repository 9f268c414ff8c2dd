package dev.parley.user.privacy;

import dev.parley.common.error.ParleyException;
import dev.parley.common.privacy.PrivacySettings;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Validation of {@code set_privacy}: every failure is INVALID_ARGUMENT naming the field. */
public final class PrivacyRules {
  private PrivacyRules() {}

  /**
   * An exception list as given, without repeats (first occurrence kept): positive ids, at most
   * {@link PrivacySettings#MAX_LIST}, not the owner (whose own last seen is never hidden from
   * them).
   */
  public static List<Long> exceptions(List<Long> ids, long ownerId, String field) {
    Set<Long> distinct = new LinkedHashSet<>();
    for (long id : ids) {
      if (id <= 0) throw ParleyException.invalid(field, "User ids must be positive");
      if (id == ownerId) throw ParleyException.invalid(field, "A list cannot name its owner");
      distinct.add(id);
    }
    if (distinct.size() > PrivacySettings.MAX_LIST)
      throw ParleyException.invalid(
          field, "At most " + PrivacySettings.MAX_LIST + " users per exception list");
    return List.copyOf(distinct);
  }

  /**
   * The settings a change leads to must not put a user on both lists; the field named is the list
   * the change gave (the always-allow list when it gave both).
   */
  public static void noOverlap(PrivacySettings merged, PrivacyChange change) {
    Set<Long> always = new HashSet<>(merged.lastSeenAlways());
    for (long id : merged.lastSeenNever()) {
      if (always.contains(id))
        throw ParleyException.invalid(
            change.lastSeenAlways().isPresent() ? "last_seen_always" : "last_seen_never",
            "User " + id + " is on both the always-allow and the never-allow list");
    }
  }
}
