package dev.parley.msg.settings;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One user's own state of one conversation: notification settings (design.md 12.1) and the list
 * state of issue 12 (design.md 13.3).
 *
 * @param mutedUntil muted until then (null: no timed mute); never set together with mutedForever
 * @param pinRank 0 when not pinned; pinned chats are listed highest rank first
 * @param archived in the archive; it stays there when new messages arrive
 * @param markedUnread marked as unread by the user; mark_read clears it
 * @param draft the unsent message, or null
 */
public record ChatState(
    @Nullable Instant mutedUntil,
    boolean mutedForever,
    Previews previews,
    int pinRank,
    boolean archived,
    boolean markedUnread,
    @Nullable Draft draft) {
  public static final ChatState DEFAULT = new ChatState(null, false, Previews.DEFAULT);

  /** Notification settings only; the rest default. */
  public ChatState(@Nullable Instant mutedUntil, boolean mutedForever, Previews previews) {
    this(mutedUntil, mutedForever, previews, 0, false, false, null);
  }

  /** Whether a notification at {@code now} is muted. */
  public boolean mutedAt(Instant now) {
    return mutedForever || (mutedUntil != null && now.isBefore(mutedUntil));
  }

  /** The same state with a timed mute that has passed shown as no mute. */
  public ChatState asOf(Instant now) {
    return mutedUntil != null && !now.isBefore(mutedUntil) ? withMute(new Mute.Off()) : this;
  }

  public boolean isDefault() {
    return equals(DEFAULT);
  }

  public boolean pinned() {
    return pinRank > 0;
  }

  public ChatState withMute(Mute mute) {
    return switch (mute) {
      case Mute.Until u -> withMuteFields(u.until(), false);
      case Mute.Forever f -> withMuteFields(null, true);
      case Mute.Off o -> withMuteFields(null, false);
    };
  }

  private ChatState withMuteFields(@Nullable Instant until, boolean forever) {
    return new ChatState(until, forever, previews, pinRank, archived, markedUnread, draft);
  }

  public ChatState withPreviews(Previews p) {
    return new ChatState(mutedUntil, mutedForever, p, pinRank, archived, markedUnread, draft);
  }

  public ChatState withPinRank(int rank) {
    return new ChatState(mutedUntil, mutedForever, previews, rank, archived, markedUnread, draft);
  }

  public ChatState withArchived(boolean a) {
    return new ChatState(mutedUntil, mutedForever, previews, pinRank, a, markedUnread, draft);
  }

  public ChatState withMarkedUnread(boolean m) {
    return new ChatState(mutedUntil, mutedForever, previews, pinRank, archived, m, draft);
  }

  public ChatState withDraft(@Nullable Draft d) {
    return new ChatState(mutedUntil, mutedForever, previews, pinRank, archived, markedUnread, d);
  }
}
