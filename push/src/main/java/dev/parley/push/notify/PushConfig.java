package dev.parley.push.notify;

import dev.parley.push.provider.PushProvidersConfig;
import java.time.Duration;

/**
 * The configuration section {@code push} (docs/operations.md, "Push notifications").
 *
 * @param localQueue jobs the single node's in-memory queue holds; past that the oldest is dropped
 * @param coalesceWindow at most one alert per (session, conversation) per window; what arrives
 *     inside it is merged into one push when it closes
 * @param ttl how long an alert stays worth sending (counted from the event's commit)
 * @param silentTtl the same for silent updates (badge, clearing)
 * @param maxPending pushes waiting for a retry; past that, new retries are dropped and counted
 * @param retryBase the first retry's back-off ceiling (full jitter, doubling per attempt)
 * @param retryMax the back-off's ceiling
 * @param lookupConcurrency jobs whose targets, settings and names are looked up at once: the
 *     lookups read the database the send path needs, so a burst of pushes must not take every
 *     connection of the pool
 * @param providers the providers' endpoints and credentials; a provider not enabled is skipped
 */
public record PushConfig(
    int localQueue,
    Duration coalesceWindow,
    Duration ttl,
    Duration silentTtl,
    int maxPending,
    Duration retryBase,
    Duration retryMax,
    int lookupConcurrency,
    PushProvidersConfig providers) {

  public PushConfig {
    if (lookupConcurrency < 1)
      throw new IllegalArgumentException("push.lookup-concurrency must be at least 1");
  }
}
