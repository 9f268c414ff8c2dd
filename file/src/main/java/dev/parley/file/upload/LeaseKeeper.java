package dev.parley.file.upload;

import dev.parley.common.error.ParleyException;
import dev.parley.file.db.UploadRow;
import dev.parley.file.db.Uploads;
import dev.parley.proto.client.Error.Reason;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.jdbi.v3.core.Jdbi;

/**
 * Keeps one completion's lease alive while it reads a large object (design.md 11.4): the lease says
 * "this process is alive and working on it", so it must not run out just because the file is big.
 * Each read (and each step boundary) calls {@link #touch}; once a quarter of the lease has passed
 * since the last renewal, the lease is pushed to now + lease, in a one-row update guarded by the
 * attempt number. If that update finds the attempt no longer holds the upload (presumed dead, taken
 * over), the work stops at once: its result could not be committed anyway.
 *
 * <p>Not renewed during image processing, which runs on the image pool and is bounded by {@code
 * file.image.timeout} (30 s), far below the lease (5 min).
 */
final class LeaseKeeper {
  private final Jdbi jdbi;
  private final Uploads uploads;
  private final UploadRow upload;
  private final Clock clock;
  private final Duration lease;
  private Instant renewed;

  LeaseKeeper(Jdbi jdbi, Uploads uploads, UploadRow upload, Clock clock, Duration lease) {
    this.jdbi = jdbi;
    this.uploads = uploads;
    this.upload = upload;
    this.clock = clock;
    this.lease = lease;
    this.renewed = clock.instant();
  }

  /** Renews the lease if a quarter of it has passed; throws if this attempt lost it. */
  void touch() {
    Instant now = clock.instant();
    if (now.isBefore(renewed.plus(lease.dividedBy(4)))) return;
    boolean held =
        jdbi.inTransaction(
            h -> uploads.renewLease(h, upload.uploadId(), upload.attempt(), now.plus(lease)));
    if (!held)
      throw new ParleyException(
          Reason.UNAVAILABLE,
          "the upload is being completed elsewhere; ask again",
          "",
          Duration.ofSeconds(1));
    renewed = now;
  }

  /** The stream, touching the lease on every read. */
  InputStream reading(InputStream in) {
    return new FilterInputStream(in) {
      @Override
      public int read() throws IOException {
        touch();
        return super.read();
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        touch();
        return super.read(b, off, len);
      }
    };
  }
}
