package dev.parley.bench.load;

import dev.parley.bench.account.Account;
import dev.parley.bench.account.Sessions;
import dev.parley.bench.net.NetLoops;
import dev.parley.client.Encoding;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The devices of a run and what they share: event loops, tokens, the ledger and the run counters.
 */
public final class Fleet {
  /**
   * @param maxInFlight requests awaiting answers per connection; more wait in a local queue (the
   *     server refuses more than 64)
   * @param payloadBytes size of every message text
   * @param connectConcurrency connections being opened at once
   * @param ackInterval how often an online device acks its applied pts (0: never)
   * @param reconnect whether a device whose connection the server closed reconnects by itself
   */
  public record Settings(
      URI server,
      Encoding encoding,
      int maxInFlight,
      Duration requestTimeout,
      int payloadBytes,
      int connectConcurrency,
      Duration ackInterval,
      boolean reconnect) {}

  private final Settings settings;
  private final NetLoops net;
  private final Sessions sessions;
  private final RunCounters counters = new RunCounters();
  private final ExtraCounters extras = new ExtraCounters();
  private final Ledger ledger;
  private final Account[] byIndex;
  private final List<Device> devices = new ArrayList<>();

  public Fleet(
      Settings settings, NetLoops net, Sessions sessions, List<Account> accounts, String runId) {
    this.settings = settings;
    this.net = net;
    this.sessions = sessions;
    this.ledger = new Ledger(runId, counters);
    int max = accounts.stream().mapToInt(Account::index).max().orElse(-1);
    this.byIndex = new Account[max + 1];
    for (Account a : accounts) {
      byIndex[a.index()] = a;
      devices.add(new Device(this, a, net.next()));
    }
  }

  public Settings settings() {
    return settings;
  }

  NetLoops net() {
    return net;
  }

  Sessions sessions() {
    return sessions;
  }

  /** Edits and reactions mixed into a soak (S5). */
  public ExtraCounters extras() {
    return extras;
  }

  public RunCounters counters() {
    return counters;
  }

  public Ledger ledger() {
    return ledger;
  }

  /** The devices, in the order of the accounts given. */
  public List<Device> devices() {
    return devices;
  }

  public long userIdOf(int index) {
    Account a = index >= 0 && index < byIndex.length ? byIndex[index] : null;
    return a == null ? -1 : a.userId();
  }

  /**
   * Connects the devices, {@code connectConcurrency} at a time, and waits for all. Returns the
   * number that failed (each failure is also counted in {@link RunCounters#connectFailures}).
   */
  public int connectAll(Collection<Device> which, Duration timeout) {
    Semaphore permits = new Semaphore(settings.connectConcurrency());
    AtomicInteger failed = new AtomicInteger();
    List<CompletableFuture<?>> all = new ArrayList<>();
    for (Device d : which) {
      permits.acquireUninterruptibly();
      all.add(
          d.connect()
              .whenComplete(
                  (c, e) -> {
                    if (e != null) failed.incrementAndGet();
                    permits.release();
                  }));
    }
    await(all, timeout);
    return failed.get() + (int) all.stream().filter(f -> !f.isDone()).count();
  }

  /** Closes every device cleanly (after its outstanding requests are answered). */
  public void disconnectAll(Duration timeout) {
    List<CompletableFuture<?>> all = new ArrayList<>();
    for (Device d : devices) all.add(d.disconnect(true));
    await(all, timeout);
  }

  /**
   * Every online device runs get_difference and sync_groups once more; what it finds counts as
   * delivered via sync.
   */
  public void finalSync(Duration timeout) {
    List<CompletableFuture<?>> all = new ArrayList<>();
    for (Device d : devices) all.add(d.finalSync());
    await(all, timeout);
  }

  /**
   * Waits until every message of {@code phase} (null: of the run) is answered and delivered, or the
   * timeout passes. Returns the number still incomplete.
   */
  public int awaitComplete(@Nullable PhaseStats phase, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      int open = phase == null ? ledger.openCount() : ledger.openCount(phase);
      if (open == 0 || System.nanoTime() - deadline > 0) return open;
      sleep(50);
    }
  }

  /** Waits until no device has requests outstanding or unsent messages (or the timeout passes). */
  public void awaitAnswered(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() - deadline < 0) {
      int outstanding = 0;
      for (Device d : devices) outstanding += d.outstanding().join();
      if (outstanding == 0) return;
      sleep(50);
    }
  }

  private static void await(List<CompletableFuture<?>> all, Duration timeout) {
    try {
      CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      // Failures are counted by the callbacks; a timeout leaves the unfinished ones undone.
    }
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
