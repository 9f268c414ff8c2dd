package dev.parley.cli;

import dev.parley.client.Credentials;
import dev.parley.client.Encoding;
import dev.parley.proto.client.Account;
import dev.parley.proto.client.Event;
import dev.parley.proto.client.Identifier;
import dev.parley.proto.client.Profile;
import dev.parley.proto.client.RequestCodeResponse;
import dev.parley.proto.client.Session;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * The human-readable output of each command (the {@code --json} output is the result message itself).
 * Absent values print as "-". Times are shown in {@code zone}, to the second.
 */
final class HumanFormat {
  private final DateTimeFormatter timeFormat;

  HumanFormat(ZoneId zone) {
    this.timeFormat = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(zone);
  }

  String codeSent(Identifier identifier, RequestCodeResponse r) {
    return "sent a " + r.getCodeLength() + "-digit code to " + Identifiers.display(identifier)
        + "; it expires in " + r.getExpiresInSeconds() + " s, a new one can be requested in "
        + r.getResendAfterSeconds() + " s";
  }

  String loggedIn(Credentials c, String server, String profile) {
    return "logged in as user " + c.userId() + " (session " + c.sessionId() + ", device " + c.deviceId()
        + ") on " + server + "; credentials saved to profile '" + profile + "'";
  }

  String refreshed(Credentials c) {
    return "tokens refreshed; access token valid until " + time(c.accessTokenExpiresAt())
        + ", refresh token until " + time(c.refreshTokenExpiresAt());
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
      table.row(s.getCurrent() ? "*" : "", Long.toString(s.getSessionId()), orDash(s.getDeviceId()),
          Converters.platformName(s.getPlatform()), orDash(s.getDeviceName()), orDash(s.getIp()),
          time(s.getLastSeenAtMs()));
    }
    return table.render();
  }

  /** One line per event, starting with the event's name as in the protocol. */
  String event(Event e) {
    return switch (e.getKindCase()) {
      case SESSION_ADDED -> {
        Session s = e.getSessionAdded().getSession();
        yield "session_added: session " + s.getSessionId() + ", device " + orDash(s.getDeviceId()) + " ("
            + Converters.platformName(s.getPlatform()) + ", \"" + s.getDeviceName() + "\"), ip " + orDash(s.getIp());
      }
      case SESSION_REVOKED -> "session_revoked: session " + e.getSessionRevoked().getSessionId() + " ("
          + orDash(e.getSessionRevoked().getReason()) + ")";
      case PROFILE_UPDATED -> {
        Profile p = e.getProfileUpdated().getProfile();
        yield "profile_updated: user " + p.getUserId() + ", name \"" + p.getDisplayName() + "\", username "
            + orDash(p.getUsername()) + ", avatar " + orDash(p.getAvatarFileId());
      }
      case GO_AWAY -> "go_away: reconnect after " + e.getGoAway().getReconnectAfterMs() + " ms ("
          + orDash(e.getGoAway().getReason()) + ")";
      case KIND_NOT_SET -> "unknown event (newer than this client)";
      // Kinds without a line of their own yet: the name and the event's JSON.
      default -> e.getKindCase().name().toLowerCase(Locale.ROOT) + ": " + Encoding.toJson(e);
    };
  }

  String time(long epochMillis) {
    return epochMillis == 0 ? "-" : timeFormat.format(Instant.ofEpochMilli(epochMillis));
  }

  String time(Instant instant) {
    return time(instant.toEpochMilli());
  }

  private static String orDash(String s) {
    return s.isEmpty() ? "-" : s;
  }
}
