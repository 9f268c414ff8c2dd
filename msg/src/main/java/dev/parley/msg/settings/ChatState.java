package dev.parley.msg.settings;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One user's own state of one conversation. The start of a general per-user chat state: pins,
 * archive and drafts (issue 12) belong here too.
 *
 * @param mutedUntil muted until then (null: no timed mute); never set together with mutedForever
 */
public record ChatState(@Nullable Instant mutedUntil, boolean mutedForever, Previews previews) {
  public static final ChatState DEFAULT = new ChatState(null, false, Previews.DEFAULT);

  /** Whether a notification at {@code now} is muted. */
  public boolean mutedAt(Instant now) {
    return mutedForever || (mutedUntil != null && now.isBefore(mutedUntil));
  }

  /** The same state with a timed mute that has passed shown as no mute. */
  public ChatState asOf(Instant now) {
    return mutedUntil != null && !now.isBefore(mutedUntil)
        ? new ChatState(null, mutedForever, previews)
        : this;
  }

  public boolean isDefault() {
    return mutedUntil == null && !mutedForever && previews == Previews.DEFAULT;
  }

  public ChatState withMute(Mute mute) {
    return switch (mute) {
      case Mute.Until u -> new ChatState(u.until(), false, previews);
      case Mute.Forever f -> new ChatState(null, true, previews);
      case Mute.Off o -> new ChatState(null, false, previews);
    };
  }

  public ChatState withPreviews(Previews p) {
    return new ChatState(mutedUntil, mutedForever, p);
  }
}
