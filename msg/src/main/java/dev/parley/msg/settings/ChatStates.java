package dev.parley.msg.settings;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jspecify.annotations.Nullable;

/**
 * Table access for {@code msg.chat_state} and {@code msg.notify_settings}. A missing row means the
 * defaults. Changes lock the row first ({@link #lock}, {@link #lockSettings}) and keep it locked to
 * commit: two devices changing the same state at once commit one after the other, each reading what
 * the other wrote, and their feed updates take positions in that order, so the last update of the
 * feed is the stored state.
 */
public final class ChatStates {

  public ChatState find(Handle h, long userId, long conversationId) {
    return select(h, userId, conversationId, "").orElse(ChatState.DEFAULT);
  }

  private static Optional<ChatState> select(
      Handle h, long userId, long conversationId, String lock) {
    return h.createQuery(
            "SELECT muted_until, muted_forever, previews FROM msg.chat_state"
                + " WHERE user_id = :u AND conversation_id = :c"
                + lock)
        .bind("u", userId)
        .bind("c", conversationId)
        .map(ChatStates::chatState)
        .findOne();
  }

  /** Stores the state of a row {@link #lock} locked. */
  public void put(Handle h, long userId, long conversationId, ChatState state, Instant now) {
    h.createUpdate(
            "UPDATE msg.chat_state SET muted_until = :until, muted_forever = :forever,"
                + " previews = :previews, updated_at = :now"
                + " WHERE user_id = :u AND conversation_id = :c")
        .bind("u", userId)
        .bind("c", conversationId)
        .bind("until", ts(state.mutedUntil()))
        .bind("forever", state.mutedForever())
        .bind("previews", (short) state.previews().code)
        .bind("now", ts(now))
        .execute();
  }

  /** The user's state, locked (FOR UPDATE) until commit, so a read-modify-write is not lost. */
  public ChatState lock(Handle h, long userId, long conversationId, Instant now) {
    h.createUpdate(
            "INSERT INTO msg.chat_state (user_id, conversation_id, updated_at)"
                + " VALUES (:u, :c, :now) ON CONFLICT DO NOTHING")
        .bind("u", userId)
        .bind("c", conversationId)
        .bind("now", ts(now))
        .execute();
    return select(h, userId, conversationId, " FOR UPDATE").orElseThrow();
  }

  /** The user's global settings, locked until commit (a row with the defaults is created). */
  public NotifySettings lockSettings(Handle h, long userId, Instant now) {
    h.createUpdate(
            "INSERT INTO msg.notify_settings (user_id, show_previews, notify_mentions_in_muted,"
                + " updated_at) VALUES (:u, true, true, :now) ON CONFLICT DO NOTHING")
        .bind("u", userId)
        .bind("now", ts(now))
        .execute();
    return h.createQuery(
            "SELECT show_previews, notify_mentions_in_muted FROM msg.notify_settings"
                + " WHERE user_id = :u FOR UPDATE")
        .bind("u", userId)
        .map((rs, ctx) -> new NotifySettings(rs.getBoolean(1), rs.getBoolean(2)))
        .one();
  }

  public NotifySettings settings(Handle h, long userId) {
    return h.createQuery(
            "SELECT show_previews, notify_mentions_in_muted FROM msg.notify_settings"
                + " WHERE user_id = :u")
        .bind("u", userId)
        .map((rs, ctx) -> new NotifySettings(rs.getBoolean(1), rs.getBoolean(2)))
        .findOne()
        .orElse(NotifySettings.DEFAULT);
  }

  public void putSettings(Handle h, long userId, NotifySettings s, Instant now) {
    h.createUpdate(
            "UPDATE msg.notify_settings SET show_previews = :previews,"
                + " notify_mentions_in_muted = :mentions, updated_at = :now WHERE user_id = :u")
        .bind("u", userId)
        .bind("previews", s.showPreviews())
        .bind("mentions", s.notifyMentionsInMuted())
        .bind("now", ts(now))
        .execute();
  }

  private static ChatState chatState(ResultSet rs, org.jdbi.v3.core.statement.StatementContext ctx)
      throws SQLException {
    OffsetDateTime until = rs.getObject(1, OffsetDateTime.class);
    return new ChatState(
        until == null ? null : until.toInstant(), rs.getBoolean(2), Previews.of(rs.getShort(3)));
  }

  private static @Nullable OffsetDateTime ts(@Nullable Instant i) {
    return i == null ? null : i.truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC);
  }
}
