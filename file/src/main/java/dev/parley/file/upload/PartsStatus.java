package dev.parley.file.upload;

import dev.parley.file.store.PresignedUrl;
import dev.parley.file.store.StoredPart;
import java.time.Instant;
import java.util.List;

/** The answer to get_upload_parts: what S3 holds and URLs for what it lacks. */
public record PartsStatus(List<StoredPart> stored, List<PartUrl> missing, Instant expiresAt) {
  public PartsStatus {
    stored = List.copyOf(stored);
    missing = List.copyOf(missing);
  }

  /** Part 0 is the single PUT of a small upload. */
  public record PartUrl(int partNumber, PresignedUrl put) {}
}
