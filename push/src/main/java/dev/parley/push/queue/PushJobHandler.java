package dev.parley.push.queue;

import dev.parley.proto.internal.PushJob;

/** Receives jobs from a {@link PushQueue}: the push worker. */
@FunctionalInterface
public interface PushJobHandler {
  /**
   * Takes a job. Must return quickly (schedule the work, do not do it here); the job counts as
   * unfinished until {@code ticket.finish()} is called, possibly much later and on another thread.
   */
  void handle(PushJob job, JobTicket ticket);
}
