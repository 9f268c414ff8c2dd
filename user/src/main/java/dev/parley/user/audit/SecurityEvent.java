package dev.parley.user.audit;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Something that matters to an account's security, as recorded.
 *
 * @param userId null when the event names no account
 * @param sessionId null when no session is concerned
 * @param ip "" when unknown
 * @param detail short, kind-specific (a login method, a revocation reason, a masked identifier)
 */
public record SecurityEvent(
    long eventId,
    @Nullable Long userId,
    String kind,
    @Nullable Long sessionId,
    String ip,
    String detail,
    Instant at) {
  public static final String LOGIN = "login";
  public static final String LOGIN_FAILED = "login_failed";
  public static final String REGISTERED = "registered";
  public static final String CODE_REQUESTED = "code_requested";
  public static final String PASSWORD_CHANGED = "password_changed";
  public static final String PASSWORD_CHANGE_FAILED = "password_change_failed";
  public static final String SESSION_REVOKED = "session_revoked";
  public static final String REFRESH_TOKEN_REUSED = "refresh_token_reused";

  /**
   * A group role of the user changed (reported by the message service after its commit); the detail
   * names the group, the new role and who changed it.
   */
  public static final String ROLE_CHANGED = "role_changed";
}
