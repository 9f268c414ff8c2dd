package dev.parley.msg.presence;

import dev.parley.common.presence.PresenceStatus.Status;
import dev.parley.common.privacy.Audience;
import dev.parley.common.privacy.PrivacySettings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The rule of {@code get_presence} (design.md 13.2), a pure function of its inputs and the clock.
 *
 * <ul>
 *   <li>Everyone sees themselves exactly.
 *   <li>A user who blocked the viewer shows {@code LONG_AGO}, whatever their settings (as Telegram
 *       does: a block must not leak through presence).
 *   <li>Otherwise the target's {@code last_seen} setting decides, with its exceptions: never-allow
 *       beats contacts and everyone, always-allow beats nobody and contacts.
 *   <li>Reciprocity: a viewer whose own {@code last_seen} is {@code nobody} sees only coarse values
 *       of everyone else, whatever their settings say (their own exception lists do not lift it).
 *   <li>Shown exactly: online, or the last seen moment (never seen: {@code LONG_AGO}). Hidden:
 *       online and up to 3 days are {@code RECENTLY}, then up to 7 days {@code WITHIN_WEEK}, up to
 *       30 days {@code WITHIN_MONTH}, else (or never seen) {@code LONG_AGO}.
 * </ul>
 */
public final class PresenceRule {
  static final Duration RECENTLY = Duration.ofDays(3);
  static final Duration WEEK = Duration.ofDays(7);
  static final Duration MONTH = Duration.ofDays(30);

  private final Clock clock;

  public PresenceRule(Clock clock) {
    this.clock = clock;
  }

  /** What the viewer may know of the target; their friendship decides "contacts". */
  public record Question(
      long viewerId,
      PrivacySettings viewerSettings,
      long targetId,
      PrivacySettings targetSettings,
      boolean contacts,
      boolean blockedByTarget,
      Status status) {}

  public Seen decide(Question q) {
    if (q.viewerId() == q.targetId()) return exact(q.status());
    if (q.blockedByTarget()) return new Seen.Coarse(Seen.Range.LONG_AGO);
    boolean shown =
        q.viewerSettings().lastSeen() != Audience.NOBODY
            && q.targetSettings().showsLastSeenTo(q.viewerId(), q.contacts());
    return shown ? exact(q.status()) : new Seen.Coarse(coarse(q.status(), clock.instant()));
  }

  private static Seen exact(Status status) {
    if (status.online()) return new Seen.Online();
    Instant at = status.lastSeen();
    return at == null ? new Seen.Coarse(Seen.Range.LONG_AGO) : new Seen.LastSeen(at);
  }

  static Seen.Range coarse(Status status, Instant now) {
    if (status.online()) return Seen.Range.RECENTLY;
    Instant at = status.lastSeen();
    if (at == null) return Seen.Range.LONG_AGO;
    Duration ago = Duration.between(at, now);
    if (ago.compareTo(RECENTLY) <= 0) return Seen.Range.RECENTLY;
    if (ago.compareTo(WEEK) <= 0) return Seen.Range.WITHIN_WEEK;
    if (ago.compareTo(MONTH) <= 0) return Seen.Range.WITHIN_MONTH;
    return Seen.Range.LONG_AGO;
  }
}
