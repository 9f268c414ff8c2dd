package dev.parley.bench.account;

import dev.parley.proto.client.AuthTokens;
import dev.parley.proto.client.Error.Reason;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Creates bench users without passwords (no Argon2 cost): request a code, read it from the server's
 * development code file, register with it. An identifier that already has an account (a second
 * provisioning against the same server) logs in with the same code instead, so provisioning is
 * idempotent. Users are {@code <prefix>-<i>@example.com} with device id {@code <prefix>-<i>}.
 */
public final class Provisioner {
  private final AuthHttp http;
  private final DevCodeTail codes;
  private final PrintStream progress;

  public Provisioner(AuthHttp http, DevCodeTail codes, PrintStream progress) {
    this.http = http;
    this.codes = codes;
    this.progress = progress;
  }

  public static String email(String prefix, int index) {
    return prefix + "-" + index + "@example.com";
  }

  /** Provisions users {@code from .. to-1}, {@code concurrency} at a time. */
  public List<Account> provision(String prefix, int from, int to, int concurrency) {
    Semaphore permits = new Semaphore(concurrency);
    AtomicInteger done = new AtomicInteger();
    long started = System.nanoTime();
    List<Future<Account>> futures = new ArrayList<>();
    try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = from; i < to; i++) {
        int index = i;
        permits.acquireUninterruptibly();
        futures.add(
            ex.submit(
                () -> {
                  try {
                    Account a = provisionOne(prefix, index);
                    int n = done.incrementAndGet();
                    if (n % 500 == 0) progress.printf("  %d/%d users%n", n, to - from);
                    return a;
                  } finally {
                    permits.release();
                  }
                }));
      }
    }
    List<Account> accounts = new ArrayList<>();
    for (Future<Account> f : futures) {
      try {
        accounts.add(f.get());
      } catch (Exception e) {
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        throw new IllegalStateException("Provisioning failed: " + cause.getMessage(), cause);
      }
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    progress.printf(
        "  %d users in %.1f s (%.0f/s)%n",
        accounts.size(), seconds, accounts.size() / Math.max(seconds, 1e-3));
    return accounts;
  }

  private Account provisionOne(String prefix, int index) throws Exception {
    String email = email(prefix, index);
    String deviceId = prefix + "-" + index;
    Account account = new Account(index, email, deviceId);
    for (int attempt = 0; ; attempt++) {
      CompletableFuture<String> code = codes.expect(email);
      try {
        http.requestCode(email);
      } catch (AuthHttp.AuthException e) {
        Reason r = e.error().getReason();
        if (r == Reason.CODE_COOLDOWN && attempt < 3) {
          Thread.sleep(Math.max(100, e.error().getRetryAfterMs()));
          continue;
        }
        if (r == Reason.RATE_LIMITED || r == Reason.CODE_COOLDOWN) {
          throw new IllegalStateException(
              e.getMessage()
                  + " -- run the server with bench/bench-server.yaml "
                  + "(relaxed rate limits, no code cool-down)",
              e);
        }
        throw e;
      }
      String c;
      try {
        c = code.get(15, TimeUnit.SECONDS);
      } catch (java.util.concurrent.TimeoutException e) {
        throw new IllegalStateException(
            "No code for "
                + email
                + " appeared in the dev code file within 15 s; "
                + "is --data-dir the server's data directory, with user.mail.mode=log and user.dev-code-file set?");
      }
      AuthTokens tokens;
      try {
        tokens = http.register(email, c, "Bench " + index, deviceId);
      } catch (AuthHttp.AuthException e) {
        if (e.error().getReason() != Reason.ACCOUNT_EXISTS) throw e;
        tokens = http.loginByCode(email, c, deviceId);
      }
      account.update(tokens);
      return account;
    }
  }
}
