package dev.parley.user.session;

import dev.parley.common.error.ParleyException;
import dev.parley.common.id.Snowflake;
import dev.parley.proto.client.Error.Reason;
import dev.parley.user.Throttle;
import dev.parley.user.UserConfig;
import dev.parley.user.UserEvents;
import dev.parley.user.UserMetrics;
import dev.parley.user.audit.SecurityEvent;
import dev.parley.user.audit.SecurityLog;
import dev.parley.user.auth.TokenService;
import dev.parley.user.push.PushTargets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jspecify.annotations.Nullable;

/**
 * Device sessions and their tokens: opening, refreshing, authenticating, touching and revoking.
 *
 * <p><b>Revocation</b> is one transaction: the session row gets revoked_at/reason and all its
 * refresh tokens and its push target are deleted. Access tokens are not stored; {@link
 * #authenticate} looks the session up on every call, so they stop working the moment the
 * transaction commits. Only after the commit is the SessionRevoked event published, which also
 * tells the gateways to disconnect the session.
 *
 * <p><b>Refresh rotation and races.</b> Refresh and revocation lock the session row first (FOR NO
 * KEY UPDATE), so all token changes of one session are serialized and cannot deadlock. When two
 * refreshes present the same token at once, exactly one consumes it; the other finds it used and is
 * treated as <em>reuse</em>: the session is revoked (taking the winner's fresh tokens with it) and
 * the loser gets REFRESH_TOKEN_REUSED. We chose reuse over a plain INVALID_REFRESH_TOKEN because
 * the server cannot tell a legitimate client racing itself from a thief racing the legitimate
 * client, and a refresh token seen twice has leaked or been mishandled either way: a false alarm
 * costs one new login, a missed theft costs a hijacked account.
 *
 * <p><b>The reuse window.</b> Two tabs of one web client sharing storage do refresh at the same
 * moment, and revoking them for it logged people out for nothing. So a token presented again within
 * {@code user.refresh-reuse-window} (default 5 s) of its rotation gets the <em>same</em> successor
 * back, with a fresh access token, as long as that successor has not been rotated itself; the
 * successor is recomputed from the presented token ({@link TokenService#successorRefreshToken}), so
 * no token is stored. Outside the window, or once the successor moved on, a second use is reuse as
 * above. The window is short on purpose: it only has to cover requests that were in flight
 * together.
 *
 * <p>Expiry: a token past its expiry is INVALID_REFRESH_TOKEN even if it was used; used tokens are
 * kept until expiry only to recognise reuse.
 */
public final class SessionManager {
  private final UserConfig config;
  private final Jdbi jdbi;
  private final Sessions sessions;
  private final RefreshTokens refreshTokens;
  private final PushTargets pushTargets;
  private final TokenService tokens;
  private final Snowflake ids;
  private final UserEvents events;
  private final Throttle throttle;
  private final UserMetrics metrics;
  private final SecurityLog security;
  private final Clock clock;

  public SessionManager(
      UserConfig config,
      Jdbi jdbi,
      Sessions sessions,
      RefreshTokens refreshTokens,
      PushTargets pushTargets,
      TokenService tokens,
      Snowflake ids,
      UserEvents events,
      Throttle throttle,
      UserMetrics metrics,
      SecurityLog security,
      Clock clock) {
    this.security = security;
    this.config = config;
    this.jdbi = jdbi;
    this.sessions = sessions;
    this.refreshTokens = refreshTokens;
    this.pushTargets = pushTargets;
    this.tokens = tokens;
    this.ids = ids;
    this.events = events;
    this.throttle = throttle;
    this.metrics = metrics;
    this.clock = clock;
  }

  /**
   * A session opened inside a caller's transaction; announce it with {@link #announce} after
   * commit.
   */
  public record Opened(Session session, IssuedTokens tokens, Optional<Long> replacedSessionId) {}

  /**
   * Opens a session for a user inside the caller's transaction (which also creates the account or
   * consumes the code). Serialized per user by the account row lock, so two logins on the same
   * device cannot both keep a session; an earlier active session of the same device is revoked
   * ("replaced").
   */
  public Opened open(Handle h, long userId, Device requested, String ip) {
    Instant now = clock.instant();
    Device device = requested.withIdOrGenerated();
    sessions.lockUser(h, userId);
    Optional<Long> replaced =
        sessions
            .findActiveOnDevice(h, userId, device.deviceId())
            .filter(old -> revokeLocked(h, old.sessionId(), RevokeReason.REPLACED, now))
            .map(Session::sessionId);
    String address = ip == null ? "" : ip;
    Session session =
        new Session(
            ids.next(),
            userId,
            device.deviceId(),
            device.platform(),
            device.name(),
            address,
            address,
            now,
            now,
            null,
            null);
    sessions.insert(h, session);
    return new Opened(session, issue(h, session, now, tokens.newRefreshToken()), replaced);
  }

  /** Publishes what {@link #open} did; call after the transaction committed. */
  public void announce(Opened opened) {
    opened
        .replacedSessionId()
        .ifPresent(id -> revoked(opened.session().userId(), id, RevokeReason.REPLACED));
    events.sessionAdded(opened.session());
  }

  private sealed interface RefreshOutcome {
    record Rotated(IssuedTokens tokens) implements RefreshOutcome {}

    record Invalid() implements RefreshOutcome {}

    record Repeated(IssuedTokens tokens) implements RefreshOutcome {}

    record Reused(long userId, long sessionId) implements RefreshOutcome {}
  }

  /** Rotates a refresh token: marks it used and returns a new access and refresh token pair. */
  public IssuedTokens refresh(String refreshToken) {
    byte[] hash = TokenService.refreshTokenHash(refreshToken);
    Instant now = clock.instant();
    var stored =
        jdbi.withHandle(h -> refreshTokens.find(h, hash)).filter(t -> now.isBefore(t.expiresAt()));
    if (stored.isEmpty()) {
      metrics.refresh("invalid");
      throw invalidRefreshToken();
    }
    long sessionId = stored.get().sessionId();
    try {
      throttle.acquire("refresh:session:" + sessionId, config.rateLimits().refreshPerSession());
    } catch (ParleyException e) {
      metrics.refresh("rate_limited");
      throw e;
    }
    RefreshOutcome outcome =
        jdbi.inTransaction(
            h -> {
              Optional<Session> session = sessions.lockActive(h, sessionId);
              if (session.isEmpty()) return new RefreshOutcome.Invalid();
              String successor = tokens.successorRefreshToken(refreshToken);
              if (refreshTokens.markUsed(h, hash, now)) {
                refreshTokens.purgeExpired(h, sessionId, now);
                return new RefreshOutcome.Rotated(issue(h, session.get(), now, successor));
              }
              var again = refreshTokens.find(h, hash);
              if (again.isEmpty() || !now.isBefore(again.get().expiresAt()))
                return new RefreshOutcome.Invalid();
              Optional<IssuedTokens> repeated =
                  repeatWithinWindow(h, session.get(), again.get(), successor, now);
              if (repeated.isPresent()) return new RefreshOutcome.Repeated(repeated.get());
              revokeLocked(h, sessionId, RevokeReason.REFRESH_TOKEN_REUSED, now);
              return new RefreshOutcome.Reused(session.get().userId(), sessionId);
            });
    return switch (outcome) {
      case RefreshOutcome.Rotated r -> {
        metrics.refresh("success");
        yield r.tokens();
      }
      case RefreshOutcome.Repeated r -> {
        metrics.refresh("repeated");
        yield r.tokens();
      }
      case RefreshOutcome.Invalid i -> {
        metrics.refresh("invalid");
        throw invalidRefreshToken();
      }
      case RefreshOutcome.Reused r -> {
        metrics.refresh("reused");
        security.record(SecurityEvent.REFRESH_TOKEN_REUSED, r.userId(), r.sessionId(), "", "");
        revoked(r.userId(), r.sessionId(), RevokeReason.REFRESH_TOKEN_REUSED);
        throw new ParleyException(
            Reason.REFRESH_TOKEN_REUSED,
            "This refresh token was already used; the session has been ended");
      }
    };
  }

  /**
   * The same successor again, with a new access token, if the presented token was rotated less than
   * the reuse window ago and its successor is still unused.
   */
  private Optional<IssuedTokens> repeatWithinWindow(
      Handle h,
      Session session,
      RefreshTokens.StoredToken presented,
      String successor,
      Instant now) {
    if (presented.usedAt() == null
        || !now.isBefore(presented.usedAt().plus(config.refreshReuseWindow()))) {
      return Optional.empty();
    }
    return refreshTokens
        .find(h, TokenService.refreshTokenHash(successor))
        .filter(
            t ->
                t.sessionId() == session.sessionId()
                    && t.usedAt() == null
                    && now.isBefore(t.expiresAt()))
        .map(t -> tokensFor(session, successor, t.expiresAt()));
  }

  /**
   * The principal of a valid access token whose session is still active; else UNAUTHENTICATED. A
   * connection authenticates with it, so it also records the session's activity from {@code ip} (as
   * {@link #touch} does): a connection costs one statement, not two.
   */
  public Principal authenticate(String accessToken, @Nullable String ip) {
    var claims = tokens.verifyAccess(accessToken).orElseThrow(SessionManager::unauthenticated);
    Instant now = clock.instant();
    Session s =
        jdbi.withHandle(
                h ->
                    sessions.touchActive(
                        h, claims.sessionId(), claims.userId(), ip == null ? "" : ip, now))
            .orElseThrow(SessionManager::unauthenticated);
    return new Principal(s.userId(), s.sessionId(), s.deviceId(), s.platform());
  }

  /** Throws UNAUTHENTICATED unless the session is active and belongs to the user. */
  public void requireActive(long userId, long sessionId) {
    if (jdbi.withHandle(h -> sessions.findActive(h, sessionId))
        .filter(s -> s.userId() == userId)
        .isEmpty()) {
      throw unauthenticated();
    }
  }

  /** Records activity; false when the session is unknown or revoked. */
  public boolean touch(long sessionId, String ip) {
    Instant now = clock.instant();
    return jdbi.withHandle(h -> sessions.touch(h, sessionId, ip == null ? "" : ip, now));
  }

  public List<Session> list(long userId) {
    return jdbi.withHandle(h -> sessions.listActive(h, userId));
  }

  /**
   * Ends one of the user's active sessions. Someone else's session, an unknown one and an already
   * ended one all answer NOT_FOUND, so session ids of other users cannot be probed.
   */
  public void revoke(long userId, long sessionId, String reason) {
    Instant now = clock.instant();
    boolean done =
        jdbi.inTransaction(
            h ->
                sessions.lockActive(h, sessionId).filter(s -> s.userId() == userId).isPresent()
                    && revokeLocked(h, sessionId, reason, now));
    if (!done) throw new ParleyException(Reason.NOT_FOUND, "No such session");
    revoked(userId, sessionId, reason);
  }

  /**
   * Revokes every active session of the user except {@code keepSessionId}, inside the caller's
   * transaction; publish with {@link #announceRevoked} after it commits. Takes the account row lock
   * first, like {@link #open}, so a session being opened concurrently is either seen here or opened
   * after this commit.
   *
   * @return the sessions ended
   */
  public List<Long> revokeOthersLocked(Handle h, long userId, long keepSessionId, String reason) {
    Instant now = clock.instant();
    sessions.lockUser(h, userId);
    List<Long> ended = new ArrayList<>();
    for (Session s : sessions.listActive(h, userId)) {
      if (s.sessionId() != keepSessionId && revokeLocked(h, s.sessionId(), reason, now))
        ended.add(s.sessionId());
    }
    return ended;
  }

  /** Publishes what {@link #revokeOthersLocked} did; call after the transaction committed. */
  public void announceRevoked(long userId, List<Long> sessionIds, String reason) {
    for (long id : sessionIds) revoked(userId, id, reason);
  }

  private IssuedTokens issue(Handle h, Session session, Instant now, String refresh) {
    Instant refreshExpiresAt = now.plus(config.refreshTokenTtl());
    refreshTokens.insert(
        h, TokenService.refreshTokenHash(refresh), session.sessionId(), now, refreshExpiresAt);
    return tokensFor(session, refresh, refreshExpiresAt);
  }

  /** A new access token beside the given refresh token. */
  private IssuedTokens tokensFor(Session session, String refresh, Instant refreshExpiresAt) {
    TokenService.AccessToken access = tokens.issueAccess(session.sessionId(), session.userId());
    return new IssuedTokens(
        session.userId(),
        session.sessionId(),
        session.deviceId(),
        access.token(),
        access.expiresAt(),
        refresh,
        refreshExpiresAt);
  }

  /**
   * Revokes inside a transaction in which the session row is locked (or about to be updated). Every
   * way a session ends comes here, so its refresh tokens and its push target go with it.
   */
  private boolean revokeLocked(Handle h, long sessionId, String reason, Instant now) {
    if (!sessions.revoke(h, sessionId, reason, now)) return false;
    refreshTokens.deleteForSession(h, sessionId);
    pushTargets.deleteForSession(h, sessionId);
    return true;
  }

  private void revoked(long userId, long sessionId, String reason) {
    metrics.sessionRevoked(reason);
    security.record(SecurityEvent.SESSION_REVOKED, userId, sessionId, "", reason);
    events.sessionRevoked(userId, sessionId, reason);
  }

  private static ParleyException invalidRefreshToken() {
    return new ParleyException(Reason.INVALID_REFRESH_TOKEN, "Unknown or expired refresh token");
  }

  static ParleyException unauthenticated() {
    return new ParleyException(
        Reason.UNAUTHENTICATED, "Missing, invalid, expired or revoked access token");
  }
}
