package dev.parley.user.session;

/** Why a session ended; the strings are part of the protocol (SessionRevoked.reason). */
public final class RevokeReason {
  public static final String LOGOUT = "logout";
  public static final String REVOKED = "revoked";
  public static final String REFRESH_TOKEN_REUSED = "refresh_token_reused";
  public static final String REPLACED = "replaced";
  public static final String PASSWORD_CHANGED = "password_changed";

  private RevokeReason() {}
}
