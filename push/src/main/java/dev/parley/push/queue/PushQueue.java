package dev.parley.push.queue;

import dev.parley.proto.internal.PushJob;

/**
 * Carries push jobs from the dispatcher's hand-off to the push workers. Implementations: a bounded
 * in-memory queue (single node: a crash loses pushes in flight, never a message, since the feed is
 * the source of truth) and Kafka topic {@code parley.push} (cluster: a job is replayed until its
 * ticket is finished).
 */
public interface PushQueue extends AutoCloseable {
  /**
   * Queues a job. Never blocks for long and never throws for a full queue: it is called on the
   * dispatcher's thread, which carries every live event, so a slow provider must not reach it. A
   * queue that must shed load drops (and counts) jobs instead.
   */
  void offer(PushJob job);

  /** Starts handing queued jobs to the handler, on the queue's own threads. Called once. */
  void start(PushJobHandler handler);

  /** Stops handing out jobs; unfinished jobs of a durable queue are handed out again later. */
  @Override
  void close();
}
