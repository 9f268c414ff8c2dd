package dev.parley.user.privacy;

import dev.parley.common.privacy.Audience;
import dev.parley.common.privacy.PrivacySettings;
import java.util.List;
import java.util.Optional;

/** What {@code set_privacy} changes: each part is kept as it is when empty. */
public record PrivacyChange(
    Optional<Audience> forwards,
    Optional<Audience> lastSeen,
    Optional<List<Long>> lastSeenAlways,
    Optional<List<Long>> lastSeenNever) {

  /** The settings after this change. */
  public PrivacySettings applyTo(PrivacySettings current) {
    return new PrivacySettings(
        forwards.orElse(current.forwards()),
        lastSeen.orElse(current.lastSeen()),
        lastSeenAlways.orElse(current.lastSeenAlways()),
        lastSeenNever.orElse(current.lastSeenNever()));
  }
}
