package dev.parley.file.store;

import java.time.Instant;

/** A multipart upload S3 has not completed or aborted yet. */
public record PendingMultipart(String key, String multipartId, Instant initiated) {}
