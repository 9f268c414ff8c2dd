package dev.parley.file.upload;

import dev.parley.proto.client.Error.Reason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * What operators watch of uploads: {@code parley_file_uploads_total{outcome}} (completed,
 * deduplicated, or the refusal's reason) and {@code parley_file_verification_seconds}, the time to
 * read and check one upload; {@code parley_file_swept_objects_total{outcome}}: objects the object
 * sweep looked at ({@code listed}) and deleted as belonging to no row ({@code deleted}).
 */
public final class FileMetrics {
  private final MeterRegistry registry;
  private final Counter completed;
  private final Counter deduplicated;
  private final Timer verification;

  public FileMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.completed = outcome("completed");
    this.deduplicated = outcome("deduplicated");
    this.verification =
        Timer.builder("parley.file.verification")
            .description("Time to complete and verify one upload")
            .register(registry);
  }

  private Counter outcome(String outcome) {
    return Counter.builder("parley.file.uploads")
        .description("Completed uploads by outcome")
        .tag("outcome", outcome)
        .register(registry);
  }

  void completed(Duration took) {
    completed.increment();
    verification.record(took);
  }

  /** One object-sweep pass listed {@code listed} objects and deleted {@code deleted} orphans. */
  public void swept(int listed, int deleted) {
    sweep("listed").increment(listed);
    sweep("deleted").increment(deleted);
  }

  private Counter sweep(String outcome) {
    return Counter.builder("parley.file.swept.objects")
        .description("Objects the object sweep listed and deleted")
        .tag("outcome", outcome)
        .register(registry);
  }

  void deduplicated() {
    deduplicated.increment();
  }

  void refused(Reason reason) {
    outcome(reason.name().toLowerCase(java.util.Locale.ROOT)).increment();
  }
}
