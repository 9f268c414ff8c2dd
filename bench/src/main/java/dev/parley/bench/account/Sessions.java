package dev.parley.bench.account;

import dev.parley.proto.client.AuthTokens;
import dev.parley.proto.client.Error.Reason;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Keeps the accounts' access tokens usable. An authenticated connection stays valid after its
 * access token expires, so tokens matter only when a connection is opened: at the start of a run
 * and when a device reconnects. A token about to expire is refreshed ({@code POST
 * /api/v1/auth/refresh}); when the refresh token no longer works (revoked, reused, expired) and the
 * server's data directory is known, the account logs in again by code.
 *
 * <p>Refresh tokens are single use, so two refreshes of one session must never overlap (the loser's
 * token counts as reused and the session is revoked): {@link #freshAsync} is single-flight per
 * account, and the accounts file is saved after every batch so it always holds the newest refresh
 * token.
 */
public final class Sessions implements AutoCloseable {
  private final AccountsFile file;
  private final AuthHttp http;
  private final @Nullable DevCodeTail codes; // null: no code login fallback
  private final Clock clock;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final Map<Integer, CompletableFuture<Void>> inFlight = new ConcurrentHashMap<>();
  private volatile boolean dirty;

  public Sessions(AccountsFile file, AuthHttp http, @Nullable DevCodeTail codes, Clock clock) {
    this.file = file;
    this.http = http;
    this.codes = codes;
    this.clock = clock;
  }

  /**
   * Refreshes every account whose access token is not valid for {@code validity} more, {@code
   * concurrency} at a time, then saves the file. Fails if any account cannot get a token. Returns
   * how many were refreshed.
   */
  public int ensureFresh(List<Account> accounts, Duration validity, int concurrency) {
    Semaphore permits = new Semaphore(concurrency);
    List<CompletableFuture<Void>> all = new ArrayList<>();
    long atMs = clock.millis() + validity.toMillis();
    for (Account a : accounts) {
      if (a.accessTokenValidAt(atMs)) continue;
      permits.acquireUninterruptibly();
      all.add(freshAsync(a, validity).whenComplete((v, e) -> permits.release()));
    }
    try {
      CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(10, TimeUnit.MINUTES);
    } catch (ExecutionException e) {
      throw new IllegalStateException("Cannot get tokens: " + e.getMessage(), e.getCause());
    } catch (Exception e) {
      throw new IllegalStateException("Cannot get tokens: " + e, e);
    } finally {
      saveIfChanged();
    }
    return all.size();
  }

  /**
   * Makes sure the account's access token is valid for {@code validity} more; single-flight per
   * account.
   */
  public CompletableFuture<Void> freshAsync(Account account, Duration validity) {
    if (account.accessTokenValidAt(clock.millis() + validity.toMillis())) {
      return CompletableFuture.completedFuture(null);
    }
    return inFlight.computeIfAbsent(
        account.index(),
        i ->
            CompletableFuture.runAsync(
                () -> {
                  try {
                    renew(account);
                  } finally {
                    inFlight.remove(account.index());
                  }
                },
                executor));
  }

  private void renew(Account account) {
    if (account.hasRefreshToken(clock.millis())) {
      try {
        account.update(http.refresh(account.refreshToken()));
        dirty = true;
        return;
      } catch (AuthHttp.AuthException e) {
        Reason r = e.error().getReason();
        boolean dead = r == Reason.INVALID_REFRESH_TOKEN || r == Reason.REFRESH_TOKEN_REUSED;
        if (!dead || codes == null) throw e;
      }
    }
    if (codes == null) {
      throw new IllegalStateException(
          "account "
              + account.email()
              + " has no usable refresh token; "
              + "pass --data-dir to log in again by code");
    }
    account.update(loginByCode(account));
    dirty = true;
  }

  private AuthTokens loginByCode(Account account) {
    // Only called with a code tail: the caller checked codes != null (and explained --data-dir).
    CompletableFuture<String> code =
        java.util.Objects.requireNonNull(codes).expect(account.email());
    http.requestCode(account.email());
    try {
      return http.loginByCode(account.email(), code.get(15, TimeUnit.SECONDS), account.deviceId());
    } catch (Exception e) {
      if (e instanceof RuntimeException r) throw r;
      throw new IllegalStateException(
          "no code for " + account.email() + " in the dev code file", e);
    }
  }

  /** Writes the accounts file when a token changed since the last save. */
  public void saveIfChanged() {
    if (dirty) {
      dirty = false;
      file.save();
    }
  }

  @Override
  public void close() {
    executor.shutdown();
    saveIfChanged();
  }
}
