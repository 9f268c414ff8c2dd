package dev.parley.cli;

import dev.parley.client.Credentials;
import dev.parley.client.Encoding;
import dev.parley.proto.client.Account;
import dev.parley.proto.client.Event;
import dev.parley.proto.client.Identifier;
import dev.parley.proto.client.Profile;
import dev.parley.proto.client.RequestCodeResponse;
import dev.parley.proto.client.Session;
import dev.parley.proto.client.Typing;
import dev.parley.proto.client.UserPresence;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * The human-readable output of each command (the {@code --json} output is the result message
 * itself). Absent values print as "-". Times are shown in {@code zone}, to the second. The output
 * of the messaging commands is in {@link #entries()}, {@link #chats()} and {@link #relations()}.
 *
 * <p>Strings other users chose (texts, names, titles, notes) go through {@link #clean} before they
 * reach the terminal, so a message cannot carry escape sequences that move the cursor, rewrite
 * earlier lines or reverse the direction of what follows.
 */
final class HumanFormat {
  private final DateTimeFormatter timeFormat;
  private final EntryFormat entries;
  private final ChatFormat chats;
  private final RelationFormat relations;

  HumanFormat(ZoneId zone) {
    this.timeFormat = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(zone);
    this.entries = new EntryFormat(this::time);
    this.chats = new ChatFormat(this::time, entries);
    this.relations = new RelationFormat(this::time);
  }

  /** Conversation entries and feed updates. */
  EntryFormat entries() {
    return entries;
  }

  /** Conversations, history, groups, read state, send results. */
  ChatFormat chats() {
    return chats;
  }

  /** Friends, friend requests, the blocklist. */
  RelationFormat relations() {
    return relations;
  }

  String codeSent(Identifier identifier, RequestCodeResponse r) {
    return "sent a "
        + r.getCodeLength()
        + "-digit code to "
        + Identifiers.display(identifier)
        + "; it expires in "
        + r.getExpiresInSeconds()
        + " s, a new one can be requested in "
        + r.getResendAfterSeconds()
        + " s";
  }

  String loggedIn(Credentials c, String server, String profile) {
    return "logged in as user "
        + c.userId()
        + " (session "
        + c.sessionId()
        + ", device "
        + c.deviceId()
        + ") on "
        + server
        + "; credentials saved to profile '"
        + profile
        + "'";
  }

  String refreshed(Credentials c) {
    return "tokens refreshed; access token valid until "
        + time(c.accessTokenExpiresAt())
        + ", refresh token until "
        + time(c.refreshTokenExpiresAt());
  }

  String account(Account a, long sessionId) {
    Profile p = a.getProfile();
    return new Table()
        .row("user", Long.toString(p.getUserId()))
        .row("name", orDash(p.getDisplayName()))
        .row("username", orDash(p.getUsername()))
        .row("avatar", orDash(p.getAvatarFileId()))
        .row("e-mail", orDash(a.getEmail()))
        .row("phone", orDash(a.getPhone()))
        .row("password", a.getHasPassword() ? "yes" : "no")
        .row("created", time(a.getCreatedAtMs()))
        .row("session", sessionId == 0 ? "-" : Long.toString(sessionId))
        .render();
  }

  String profile(Profile p) {
    return new Table()
        .row("user", Long.toString(p.getUserId()))
        .row("name", orDash(p.getDisplayName()))
        .row("username", orDash(p.getUsername()))
        .row("avatar", orDash(p.getAvatarFileId()))
        .render();
  }

  /** One row per session; the session the request was made on is marked with '*'. */
  String sessions(List<Session> sessions) {
    Table table = new Table().row("", "ID", "DEVICE", "PLATFORM", "NAME", "IP", "LAST SEEN");
    for (Session s : sessions) {
      table.row(
          s.getCurrent() ? "*" : "",
          Long.toString(s.getSessionId()),
          orDash(s.getDeviceId()),
          Converters.platformName(s.getPlatform()),
          orDash(s.getDeviceName()),
          orDash(s.getIp()),
          time(s.getLastSeenAtMs()));
    }
    return table.render();
  }

  /** One line per event, starting with the event's name as in the protocol. */
  String event(Event e) {
    return switch (e.getKindCase()) {
      case SESSION_ADDED -> {
        Session s = e.getSessionAdded().getSession();
        yield "session_added: session "
            + s.getSessionId()
            + ", device "
            + orDash(s.getDeviceId())
            + " ("
            + Converters.platformName(s.getPlatform())
            + ", \""
            + s.getDeviceName()
            + "\"), ip "
            + orDash(s.getIp());
      }
      case SESSION_REVOKED ->
          "session_revoked: session "
              + e.getSessionRevoked().getSessionId()
              + " ("
              + orDash(e.getSessionRevoked().getReason())
              + ")";
      case PROFILE_UPDATED -> {
        Profile p = e.getProfileUpdated().getProfile();
        yield "profile_updated: user "
            + p.getUserId()
            + ", name \""
            + p.getDisplayName()
            + "\", username "
            + orDash(p.getUsername())
            + ", avatar "
            + orDash(p.getAvatarFileId());
      }
      case GO_AWAY ->
          "go_away: reconnect after "
              + e.getGoAway().getReconnectAfterMs()
              + " ms ("
              + orDash(e.getGoAway().getReason())
              + ")";
      case UPDATE -> entries.update(e.getUpdate());
      case TYPING -> typing(e.getTyping());
      case PRESENCE_CHANGED -> presence(e.getPresenceChanged());
      case KIND_NOT_SET -> "unknown event (newer than this client)";
      // Kinds added to the protocol after this client: the name and the event's JSON.
      default -> e.getKindCase().name().toLowerCase(Locale.ROOT) + ": " + Encoding.toJson(e);
    };
  }

  /** e.g. {@code typing: user 42 in conversation 7: TYPING (6 s)}, or {@code ...: CANCEL}. */
  static String typing(Typing t) {
    String line =
        "typing: user "
            + t.getUserId()
            + " in conversation "
            + t.getConversationId()
            + ": "
            + t.getAction().name();
    return t.getExpiresInMs() == 0 ? line : line + " (" + t.getExpiresInMs() / 1000.0 + " s)";
  }

  /** e.g. {@code presence: user 42 online}, or {@code ...: last seen 2025-11-26 20:40:00}. */
  String presence(UserPresence p) {
    return "presence: user "
        + p.getUserId()
        + " "
        + (p.hasLastSeenMs()
            ? "last seen " + time(p.getLastSeenMs())
            : PrivacyCommands.Presence.describe(p));
  }

  String time(long epochMillis) {
    return epochMillis == 0 ? "-" : timeFormat.format(Instant.ofEpochMilli(epochMillis));
  }

  String time(Instant instant) {
    return time(instant.toEpochMilli());
  }

  static String orDash(String s) {
    return s.isEmpty() ? "-" : s;
  }

  /**
   * The string with every control character (C0, DEL, C1) and every bidirectional override or
   * isolate written as an escape: {@code \n}, {@code \t}, {@code \r}, else {@code \u001b} and the
   * like. Multi-line texts are cleaned line by line, see {@link EntryFormat}.
   */
  static String clean(String s) {
    StringBuilder out = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!unsafe(c)) {
        if (out != null) {
          out.append(c);
        }
        continue;
      }
      if (out == null) {
        out = new StringBuilder(s.length() + 8).append(s, 0, i);
      }
      switch (c) {
        case '\n' -> out.append("\\n");
        case '\t' -> out.append("\\t");
        case '\r' -> out.append("\\r");
        default -> out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
      }
    }
    return out == null ? s : out.toString();
  }

  private static boolean unsafe(char c) {
    return Character.isISOControl(c)
        || (c >= '\u202a' && c <= '\u202e') // embeddings and overrides
        || (c >= '\u2066' && c <= '\u2069'); // isolates
  }
}
