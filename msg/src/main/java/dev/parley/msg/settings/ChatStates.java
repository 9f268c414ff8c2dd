package dev.parley.msg.settings;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.parley.msg.crypto.ContentCipher;
import dev.parley.proto.store.StoredDraft;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.StatementContext;
import org.jspecify.annotations.Nullable;

/**
 * Table access for {@code msg.chat_state} and {@code msg.notify_settings}. A missing row means the
 * defaults. Changes lock the row first ({@link #lock}, {@link #lockSettings}) and keep it locked to
 * commit: two devices changing the same state at once commit one after the other, each reading what
 * the other wrote, and their feed updates take positions in that order, so the last update of the
 * feed is the stored state.
 *
 * <p>Drafts are encrypted like entry content (design.md 8.8) with associated data naming the draft
 * and its (user, conversation), so a sealed draft does not decrypt as an entry, a cached entry or
 * another user's draft; nothing above this class sees ciphertext.
 */
public final class ChatStates {
  private static final byte[] DRAFT_DOMAIN = "parley.draft.v1".getBytes(StandardCharsets.US_ASCII);
  private static final String COLUMNS =
      "muted_until, muted_forever, previews, pin_rank, archived, marked_unread, draft_key_id,"
          + " draft, draft_updated_at";

  private final ContentCipher cipher;

  public ChatStates(ContentCipher cipher) {
    this.cipher = cipher;
  }

  public ChatState find(Handle h, long userId, long conversationId) {
    return select(h, userId, conversationId, "").orElse(ChatState.DEFAULT);
  }

  private Optional<ChatState> select(Handle h, long userId, long conversationId, String lock) {
    return h.createQuery(
            "SELECT "
                + COLUMNS
                + " FROM msg.chat_state WHERE user_id = :u AND conversation_id = :c"
                + lock)
        .bind("u", userId)
        .bind("c", conversationId)
        .map((rs, ctx) -> chatState(rs, ctx, userId, conversationId))
        .findOne();
  }

  /** Stores the state of a row {@link #lock} locked. */
  public void put(Handle h, long userId, long conversationId, ChatState state, Instant now) {
    Draft d = state.draft();
    h.createUpdate(
            "UPDATE msg.chat_state SET muted_until = :until, muted_forever = :forever,"
                + " previews = :previews, pin_rank = :rank, archived = :archived,"
                + " marked_unread = :unread, draft_key_id = :dkey, draft = :draft,"
                + " draft_updated_at = :dat, updated_at = :now"
                + " WHERE user_id = :u AND conversation_id = :c")
        .bind("u", userId)
        .bind("c", conversationId)
        .bind("until", ts(state.mutedUntil()))
        .bind("forever", state.mutedForever())
        .bind("previews", (short) state.previews().code)
        .bind("rank", state.pinRank())
        .bind("archived", state.archived())
        .bind("unread", state.markedUnread())
        .bind("dkey", d == null ? null : (short) cipher.activeKeyId())
        .bind("draft", d == null ? null : seal(d, userId, conversationId))
        .bind("dat", d == null ? null : ts(d.updatedAt()))
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

  /**
   * Clears the user's unread mark of a conversation (reading it clears the mark: design.md 13.3),
   * keeping the row locked to commit.
   *
   * @return the new state, or empty when the mark was not set (then nothing is written or locked)
   */
  public Optional<ChatState> clearMarkedUnread(
      Handle h, long userId, long conversationId, Instant now) {
    if (!find(h, userId, conversationId).markedUnread()) return Optional.empty();
    ChatState before = lock(h, userId, conversationId, now);
    if (!before.markedUnread()) return Optional.empty();
    ChatState after = before.withMarkedUnread(false);
    put(h, userId, conversationId, after, now);
    return Optional.of(after);
  }

  /**
   * Serializes the changes of one user's pins (until commit): the limit and a reorder read the
   * whole set, which row locks of single chats do not protect. Taken before any chat_state row.
   */
  public void lockPins(Handle h, long userId) {
    h.createQuery(
            "SELECT 1 FROM pg_advisory_xact_lock(hashtext('msg.chat_state.pins'), hashint8(:u))")
        .bind("u", userId)
        .mapTo(Integer.class)
        .one();
  }

  /** The user's pinned chats: conversation id to rank. */
  public PinnedChats pinned(Handle h, long userId) {
    Map<Long, Integer> ranks = new HashMap<>();
    h.createQuery(
            "SELECT conversation_id, pin_rank FROM msg.chat_state"
                + " WHERE user_id = :u AND pin_rank > 0")
        .bind("u", userId)
        .map((rs, ctx) -> Map.entry(rs.getLong(1), rs.getInt(2)))
        .forEach(e -> ranks.put(e.getKey(), e.getValue()));
    return new PinnedChats(ranks);
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

  private ChatState chatState(ResultSet rs, StatementContext ctx, long userId, long conversationId)
      throws SQLException {
    OffsetDateTime until = rs.getObject("muted_until", OffsetDateTime.class);
    byte[] sealed = rs.getBytes("draft");
    Draft draft = null;
    if (sealed != null) {
      StoredDraft d = open(rs.getShort("draft_key_id"), sealed, userId, conversationId);
      draft =
          new Draft(
              d.getText(),
              d.getReplyToSeq(),
              rs.getObject("draft_updated_at", OffsetDateTime.class).toInstant());
    }
    return new ChatState(
        until == null ? null : until.toInstant(),
        rs.getBoolean("muted_forever"),
        Previews.of(rs.getShort("previews")),
        rs.getInt("pin_rank"),
        rs.getBoolean("archived"),
        rs.getBoolean("marked_unread"),
        draft);
  }

  private byte[] seal(Draft d, long userId, long conversationId) {
    byte[] plain =
        StoredDraft.newBuilder()
            .setText(d.text())
            .setReplyToSeq(d.replyToSeq())
            .build()
            .toByteArray();
    return cipher.encrypt(plain, draftAad(userId, conversationId));
  }

  private StoredDraft open(int keyId, byte[] sealed, long userId, long conversationId) {
    try {
      return StoredDraft.parseFrom(cipher.decrypt(keyId, sealed, draftAad(userId, conversationId)));
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("undecodable draft", e);
    }
  }

  private static byte[] draftAad(long userId, long conversationId) {
    return ByteBuffer.allocate(DRAFT_DOMAIN.length + 16)
        .put(DRAFT_DOMAIN)
        .putLong(userId)
        .putLong(conversationId)
        .array();
  }

  private static @Nullable OffsetDateTime ts(@Nullable Instant i) {
    return i == null ? null : i.truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC);
  }
}
