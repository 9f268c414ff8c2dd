package dev.parley.cli;

import dev.parley.proto.client.ChatState;
import dev.parley.proto.client.ChatStateUpdate;
import dev.parley.proto.client.NotifySettings;
import dev.parley.proto.client.PreviewMode;
import java.time.Instant;

/** Human lines for notification settings (protocol section 18). */
final class NotifyFormat {
  private NotifyFormat() {}

  /**
   * {@code chat 42: muted until 2026-12-06T18:00:00Z, previews hidden}, then what of the list state
   * (protocol section 19) is set: {@code , pinned (rank 3), archived, marked unread, draft "see
   * you" replying to 41}.
   */
  static String chatState(long conversationId, ChatState state) {
    StringBuilder line =
        new StringBuilder("chat ")
            .append(conversationId)
            .append(": ")
            .append(mute(state))
            .append(", ")
            .append(previews(state.getPreviews()));
    if (state.getPinRank() > 0)
      line.append(", pinned (rank ").append(state.getPinRank()).append(')');
    if (state.getArchived()) line.append(", archived");
    if (state.getMarkedUnread()) line.append(", marked unread");
    if (state.hasDraft()) {
      line.append(", draft \"").append(state.getDraft().getText()).append('"');
      if (state.getDraft().getReplyToSeq() > 0) {
        line.append(" replying to ").append(state.getDraft().getReplyToSeq());
      }
    }
    return line.toString();
  }

  static String chatState(ChatStateUpdate update) {
    return chatState(update.getConversationId(), update.getState());
  }

  /** {@code previews on, mentions in muted chats on}. */
  static String settings(NotifySettings s) {
    return "previews "
        + onOff(s.getShowPreviews())
        + ", mentions in muted chats "
        + onOff(s.getNotifyMentionsInMuted());
  }

  static String mute(ChatState state) {
    if (state.getMutedForever()) return "muted forever";
    if (state.getMutedUntilMs() > 0) {
      return "muted until " + Instant.ofEpochMilli(state.getMutedUntilMs());
    }
    return "not muted";
  }

  static String previews(PreviewMode mode) {
    return switch (mode) {
      case PREVIEW_MODE_SHOW -> "previews shown";
      case PREVIEW_MODE_HIDE -> "previews hidden";
      default -> "previews as the global setting";
    };
  }

  private static String onOff(boolean on) {
    return on ? "on" : "off";
  }
}
