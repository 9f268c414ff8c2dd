package dev.parley.push.notify;

import dev.parley.proto.client.Update;
import dev.parley.proto.internal.NotifyFacts;
import dev.parley.proto.internal.PushJob;
import dev.parley.proto.internal.SessionPushTarget;
import dev.parley.push.provider.PushNotification;
import dev.parley.push.provider.PushOutcome;
import dev.parley.push.provider.PushTarget;
import dev.parley.push.provider.RetryBackoff;
import dev.parley.push.queue.JobTicket;
import dev.parley.push.queue.PushJobHandler;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The push worker (design 12.2): takes jobs from the queue, resolves each at send time (the user's
 * targets minus the skipped sessions, the notification facts, the sender's name), builds one {@link
 * PushNotification} per target ({@link NotificationContent}), coalesces alerts per (session,
 * conversation) ({@link Coalescer}) and sends through the providers.
 *
 * <p><b>Outcomes.</b> Delivered: the latency from commit is recorded. Retry later: the notification
 * waits in the delay queue ({@link RetryBackoff}: full jitter, {@code Retry-After} as a floor)
 * unless that would outlive its TTL (then expired) or {@code push.max-pending} are already waiting
 * (then dropped). Invalid target: the target is removed through the user service with a
 * compare-and-delete on its address. Permanent: dropped. A job's ticket is finished when all its
 * notifications have ended, so a durable queue replays only unfinished jobs.
 *
 * <p><b>Threads.</b> {@link #handle} only schedules; resolving runs on virtual threads (the lookups
 * block on gRPC), timers on one scheduler thread, outcomes on the providers' threads.
 */
public final class PushWorker implements PushJobHandler, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PushWorker.class);

  private final PushLookups lookups;
  private final PushProviders providers;
  private final PushConfig config;
  private final Clock clock;
  private final RetryBackoff backoff;
  private final PushMetrics metrics;
  private final Coalescer<Part> coalescer;
  // Jobs wait here (parked virtual threads, bounded by the queue) rather than in the database pool.
  private final Semaphore lookupSlots;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final ScheduledExecutorService timers =
      Executors.newSingleThreadScheduledExecutor(
          r -> Thread.ofPlatform().name("push-timers").daemon().unstarted(r));

  public PushWorker(
      PushLookups lookups,
      PushProviders providers,
      PushConfig config,
      MeterRegistry registry,
      Clock clock) {
    this.lookups = lookups;
    this.providers = providers;
    this.config = config;
    this.clock = clock;
    this.backoff =
        new RetryBackoff(config.retryBase(), config.retryMax(), RandomGenerator.getDefault());
    this.metrics = new PushMetrics(registry);
    this.coalescer = new Coalescer<>(config.coalesceWindow());
    this.lookupSlots = new Semaphore(config.lookupConcurrency());
  }

  @Override
  public void handle(PushJob job, JobTicket ticket) {
    submit(() -> resolve(job, ticket, 1));
  }

  /** A job's notifications still under way; the ticket is finished when the last one ends. */
  private static final class Run {
    private final JobTicket ticket;
    private final AtomicInteger open;

    Run(JobTicket ticket, int parts) {
      this.ticket = ticket;
      this.open = new AtomicInteger(parts);
    }

    void partDone() {
      if (open.decrementAndGet() == 0) ticket.finish();
    }
  }

  /** One notification of a job: to one target. */
  private record Part(
      Run run,
      long sessionId,
      PushTarget target,
      PushKind kind,
      Update update,
      NotifyFacts facts,
      String senderName,
      boolean muted,
      long committedAtMs,
      Instant expiresAt) {}

  private void resolve(PushJob job, JobTicket ticket, int attempt) {
    Update update = job.getUpdate();
    PushKind kind = PushKind.of(update, job.getUserId());
    if (attempt == 1) metrics.job(kind == null ? "none" : kind.tag());
    if (kind == null) {
      ticket.finish();
      return;
    }
    Instant now = clock.instant();
    Instant expiresAt =
        Instant.ofEpochMilli(job.getCommittedAtMs())
            .plus(kind.silent() ? config.silentTtl() : config.ttl());
    if (!now.isBefore(expiresAt)) {
      metrics.notification("none", "expired");
      ticket.finish();
      return;
    }
    List<Part> parts;
    lookupSlots.acquireUninterruptibly();
    try {
      parts = parts(job, kind, ticket, now, expiresAt);
    } catch (RuntimeException e) {
      metrics.lookupFailures.increment();
      Duration delay = backoff.delay(attempt, null);
      if (!now.plus(delay).isBefore(expiresAt)) {
        log.warn("Push job for user {} dropped: lookups kept failing", job.getUserId(), e);
        ticket.finish();
      } else {
        log.debug("Push lookups failed; job retried in {}", delay, e);
        later(delay, () -> submit(() -> resolve(job, ticket, attempt + 1)));
      }
      return;
    } finally {
      lookupSlots.release();
    }
    if (parts.isEmpty()) {
      ticket.finish();
      return;
    }
    for (Part p : parts) {
      if (p.kind() == PushKind.READ) {
        long read = p.update().getReadMarker().getReadSeq();
        Part stale =
            coalescer.discard(
                alertKey(p.sessionId(), p.update()),
                held -> held.update().getMessage().getSeq() <= read);
        if (stale != null) stale.run().partDone();
      }
      if (p.kind().silent() || p.muted()) {
        send(p, 1, 1);
        continue;
      }
      Object key =
          p.kind() == PushKind.MESSAGE
              ? alertKey(p.sessionId(), p.update())
              : List.of(p.sessionId(), NotificationContent.collapseKey(p.kind(), p.update()));
      switch (coalescer.offer(key, p, now)) {
        case Coalescer.SendNow<Part> n -> send(p, 1, 1);
        case Coalescer.Held<Part> held -> {
          if (held.replaced() != null) {
            metrics.coalesced.increment();
            held.replaced().run().partDone();
          }
          Duration in = held.flushIn();
          if (in != null) later(in, () -> flush(key));
        }
      }
    }
  }

  /**
   * Whether a target is notified of a job: not the session that caused the event; a connected
   * session (it got the event live) only if its target asks to be notified while connected (an app
   * whose connection stays open in the background, where the OS shows nothing of a live event).
   */
  static boolean due(SessionPushTarget t, Set<Long> connected, long originSessionId) {
    if (t.getSessionId() == originSessionId) return false;
    return !connected.contains(t.getSessionId()) || t.getTarget().getNotifyWhileConnected();
  }

  /** Where message alerts of one session and conversation are coalesced. */
  private static Object alertKey(long sessionId, Update update) {
    return List.of(sessionId, PushKind.conversationOf(update));
  }

  /** The job's notifications, one per target that is not skipped; empty when none is due. */
  private List<Part> parts(
      PushJob job, PushKind kind, JobTicket ticket, Instant now, Instant expiresAt) {
    Set<Long> connected = new HashSet<>(job.getSkipSessionIdsList());
    List<SessionPushTarget> targets = new ArrayList<>();
    for (SessionPushTarget t : lookups.targets(job.getUserId())) {
      if (due(t, connected, job.getOriginSessionId())) targets.add(t);
    }
    if (targets.isEmpty()) return List.of();
    Update update = job.getUpdate();
    long conversation = PushKind.conversationOf(update);
    NotifyFacts facts = lookups.facts(job.getUserId(), conversation);
    if (conversation != 0 && !facts.getMember()) return List.of();
    if (kind == PushKind.RECALL
        && update.getMessage().getRecall().getTargetSeq() <= facts.getReadSeq()) {
      return List.of(); // the recalled entry was read: no notification of it is shown
    }
    boolean mutedNow =
        facts.getMutedForever()
            || (facts.getMutedUntilMs() != 0 && now.toEpochMilli() < facts.getMutedUntilMs());
    // A mention of the user alerts even in a muted chat, unless they turned that off.
    boolean muted =
        mutedNow
            && !(kind == PushKind.MESSAGE
                && facts.getNotifyMentionsInMuted()
                && PushKind.mentions(update, job.getUserId()));
    String sender = "";
    if (!kind.silent() && !muted && facts.getShowPreviews()) {
      sender = lookups.displayName(NotificationContent.senderId(kind, update));
    }
    List<Part> parts = new ArrayList<>();
    Run run = new Run(ticket, targets.size());
    for (SessionPushTarget t : targets) {
      PushTarget target = PushProviders.target(t);
      if (target == null) {
        run.partDone();
        continue;
      }
      parts.add(
          new Part(
              run,
              t.getSessionId(),
              target,
              kind,
              update,
              facts,
              sender,
              muted,
              job.getCommittedAtMs(),
              expiresAt));
    }
    return parts;
  }

  private void flush(Object key) {
    Coalescer.Flushed<Part> f = coalescer.flush(key, clock.instant());
    if (f != null) send(f.latest(), f.count(), 1);
  }

  private void send(Part p, int count, int attempt) {
    String provider = p.target().provider();
    Duration left = Duration.between(clock.instant(), p.expiresAt());
    if (left.isNegative() || left.isZero()) {
      end(p, provider, "expired");
      return;
    }
    PushNotification n =
        NotificationContent.of(
            p.kind(), p.update(), p.facts(), p.senderName(), count, left, p.muted());
    CompletableFuture<PushOutcome> sent = providers.send(p.target(), n);
    if (sent == null) {
      end(p, provider, "unconfigured");
      return;
    }
    sent.whenComplete(
        (outcome, failure) -> {
          if (failure != null) {
            outcome = new PushOutcome.RetryLater(null, "failed");
          }
          outcome(p, count, attempt, outcome);
        });
  }

  private void outcome(Part p, int count, int attempt, PushOutcome outcome) {
    String provider = p.target().provider();
    switch (outcome) {
      case PushOutcome.Delivered d -> {
        metrics.accepted(
            provider, Duration.between(Instant.ofEpochMilli(p.committedAtMs()), clock.instant()));
        end(p, provider, "delivered");
      }
      case PushOutcome.RetryLater r -> retry(p, count, attempt, r);
      case PushOutcome.InvalidTarget i -> {
        submit(() -> removeTarget(p));
        end(p, provider, "invalid");
      }
      case PushOutcome.PermanentFailure f -> {
        log.info("Push to {} refused for good: {}", p.target(), f.reason());
        end(p, provider, "permanent");
      }
    }
  }

  private void retry(Part p, int count, int attempt, PushOutcome.RetryLater r) {
    String provider = p.target().provider();
    Duration delay = backoff.delay(attempt, r.retryAfter());
    if (!clock.instant().plus(delay).isBefore(p.expiresAt())) {
      end(p, provider, "expired");
      return;
    }
    if (metrics.pending.incrementAndGet() > config.maxPending()) {
      metrics.pending.decrementAndGet();
      end(p, provider, "dropped");
      return;
    }
    later(
        delay,
        () -> {
          metrics.pending.decrementAndGet();
          send(p, count, attempt + 1);
        });
  }

  private void removeTarget(Part p) {
    String address = PushProviders.address(p.target());
    try {
      boolean removed = lookups.removeTarget(p.sessionId(), address);
      log.info(
          "Push target of session {} refused by {}: {}",
          p.sessionId(),
          p.target().provider(),
          removed ? "removed" : "already replaced");
    } catch (RuntimeException e) {
      log.warn("Removing the refused push target of session {} failed", p.sessionId(), e);
    }
  }

  private void end(Part p, String provider, String result) {
    metrics.notification(provider, result);
    p.run().partDone();
  }

  private void later(Duration delay, Runnable task) {
    try {
      timers.schedule(task, Math.max(0, delay.toMillis()), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      log.debug("Push worker closed; delayed task dropped");
    }
  }

  private void submit(Runnable task) {
    try {
      executor.execute(
          () -> {
            try {
              task.run();
            } catch (RuntimeException e) {
              log.warn("Push work failed", e);
            }
          });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      log.debug("Push worker closed; work dropped");
    }
  }

  /** Stops taking work; pushes waiting for a retry or a window are dropped (the feed has them). */
  @Override
  public void close() {
    timers.shutdownNow();
    executor.shutdown();
    try {
      if (!executor.awaitTermination(5, TimeUnit.SECONDS)) executor.shutdownNow();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** For tests: notifications waiting for a retry. */
  int pending() {
    return metrics.pending.get();
  }
}
