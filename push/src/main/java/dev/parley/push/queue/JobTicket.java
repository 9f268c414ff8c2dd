package dev.parley.push.queue;

/** A handed-out job's receipt: finishing it lets a durable queue forget the job. */
public interface JobTicket {
  /**
   * The job is done with: sent, dropped as permanent, dropped as expired or as not deserving a
   * push. Until then a durable queue keeps it (and everything after it in its partition) for a
   * replay. Idempotent; safe to call from any thread.
   */
  void finish();
}
