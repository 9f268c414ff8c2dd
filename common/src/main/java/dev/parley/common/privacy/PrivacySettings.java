package dev.parley.common.privacy;

import java.util.List;

/**
 * One user's privacy settings, always whole.
 *
 * @param forwards who sees the user named on copies of their messages that others forward
 * @param lastSeen who sees the user's exact last seen and online status
 * @param lastSeenAlways users who see it whatever {@code lastSeen} says
 * @param lastSeenNever users who never see it; never-allow beats contacts, always-allow beats
 *     nobody, and no user is on both lists
 */
public record PrivacySettings(
    Audience forwards, Audience lastSeen, List<Long> lastSeenAlways, List<Long> lastSeenNever) {
  public static final int MAX_LIST = 100;

  /** What a user who never changed anything has. */
  public static final PrivacySettings DEFAULTS =
      new PrivacySettings(Audience.EVERYONE, Audience.EVERYONE, List.of(), List.of());

  public PrivacySettings {
    lastSeenAlways = List.copyOf(lastSeenAlways);
    lastSeenNever = List.copyOf(lastSeenNever);
  }

  /** Whether {@code viewer}, a contact of the owner or not, may see the exact last seen. */
  public boolean showsLastSeenTo(long viewer, boolean contact) {
    if (lastSeenNever.contains(viewer)) return false;
    if (lastSeenAlways.contains(viewer)) return true;
    return lastSeen.includes(contact);
  }

  /** Whether the forwarder, a contact of the original's sender or not, may see who sent it. */
  public boolean showsSenderOnForwardsTo(boolean contact) {
    return forwards.includes(contact);
  }
}
