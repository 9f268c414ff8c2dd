package dev.parley.file.upload;

import dev.parley.common.error.ParleyException;
import dev.parley.common.id.Snowflake;
import dev.parley.file.db.BlobRow;
import dev.parley.file.db.Blobs;
import dev.parley.file.db.FileRow;
import dev.parley.file.db.Files;
import dev.parley.file.db.MediaOutcome;
import dev.parley.file.db.Refs;
import dev.parley.file.db.ThumbnailRow;
import dev.parley.file.db.UploadRow;
import dev.parley.file.db.UploadState;
import dev.parley.file.db.Uploads;
import dev.parley.file.media.MediaBusyException;
import dev.parley.file.media.MediaProcessor;
import dev.parley.file.media.MediaRejectedException;
import dev.parley.file.media.MediaResult;
import dev.parley.file.media.MediaSource;
import dev.parley.file.store.ObjectHead;
import dev.parley.file.store.ObjectStore;
import dev.parley.file.store.StoredPart;
import dev.parley.proto.client.Error.Reason;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Completes an upload that holds the completion lease (design.md 11.4): completes the multipart
 * upload, checks the size, hashes the bytes, sniffs the type, lets the media processor look at
 * images, and only then, in one transaction, creates the blob (or finds the one with the same
 * content) and the file and marks the upload done.
 *
 * <p>Every step can run again after a crash: a multipart upload that S3 already completed is found
 * by HEAD; hashing and sniffing read the object again; the final transaction commits only for the
 * attempt that holds the lease ({@code uploads.attempt}), so a completer presumed dead that wakes
 * up cannot commit over its successor. A refusal deletes the object and stores the reason, which
 * every later completion of that upload answers again.
 */
public final class Completer {
  private static final Logger log = LoggerFactory.getLogger(Completer.class);

  private final Jdbi jdbi;
  private final Uploads uploads;
  private final Blobs blobs;
  private final Files files;
  private final ObjectStore store;
  private final @Nullable MediaProcessor media;
  private final Snowflake ids;
  private final Clock clock;
  private final Duration lease;
  private final Duration deleteGrace;
  private final FileMetrics metrics;
  private final Refs refs = new Refs();

  /** The note of an image whose processing failed (the file is usable, without thumbnails). */
  static final String FAILED_NOTE = "no thumbnail: processing failed";

  public Completer(
      Jdbi jdbi,
      Uploads uploads,
      Blobs blobs,
      Files files,
      ObjectStore store,
      @Nullable MediaProcessor media,
      Snowflake ids,
      Clock clock,
      Duration lease,
      Duration deleteGrace,
      FileMetrics metrics) {
    this.jdbi = jdbi;
    this.uploads = uploads;
    this.blobs = blobs;
    this.files = files;
    this.store = store;
    this.media = media;
    this.ids = ids;
    this.clock = clock;
    this.lease = lease;
    this.deleteGrace = deleteGrace;
    this.metrics = metrics;
  }

  /**
   * Takes the lease on an OPEN upload, or on a COMPLETING one whose lease ran out, and returns the
   * row as leased (attempt counted up); empty when the upload is in no state to be completed now.
   */
  Optional<UploadRow> takeLease(long uploadId) {
    return jdbi.inTransaction(
        h -> {
          Optional<UploadRow> locked = uploads.lock(h, uploadId);
          if (locked.isEmpty()) return Optional.<UploadRow>empty();
          UploadRow u = locked.get();
          Instant now = clock.instant();
          boolean open = u.state() == UploadState.OPEN && now.isBefore(u.expiresAt());
          Instant leaseUntil = u.leaseUntil();
          boolean stale =
              u.state() == UploadState.COMPLETING
                  && leaseUntil != null
                  && !now.isBefore(leaseUntil);
          if (!open && !stale) return Optional.<UploadRow>empty();
          uploads.lease(h, uploadId, now.plus(lease));
          return uploads.lock(h, uploadId);
        });
  }

  /** Runs the completion of a leased upload; returns the file or throws the refusal. */
  FileRow complete(UploadRow u) {
    long started = System.nanoTime();
    FileRow file;
    try {
      file = verifyAndCommit(u);
    } catch (ParleyException e) {
      throw e;
    } catch (RuntimeException e) {
      // The store or the database failed: nothing is decided, so the client may ask again at once
      // rather than wait for the lease to run out. Every step is safe to repeat.
      release(u);
      throw e;
    }
    metrics.completed(Duration.ofNanos(System.nanoTime() - started));
    return file;
  }

  private FileRow verifyAndCommit(UploadRow u) {
    String key = u.objectKey();
    String multipartId = u.multipartId();
    if (multipartId != null) completeMultipart(u, multipartId);

    Optional<ObjectHead> head = store.head(key);
    if (head.isEmpty()) {
      release(u);
      throw new ParleyException(
          Reason.UPLOAD_INCOMPLETE, "nothing was uploaded yet: PUT the content, then complete");
    }
    if (head.get().size() != u.size())
      throw fail(
          u,
          Reason.SIZE_MISMATCH,
          "declared " + u.size() + " bytes, uploaded " + head.get().size());

    LeaseKeeper keeper = new LeaseKeeper(jdbi, uploads, u, clock, lease);
    Verification read = Verification.read(store, key, keeper);
    if (read.length() != u.size())
      throw fail(u, Reason.SIZE_MISMATCH, "declared " + u.size() + " bytes, read " + read.length());
    if (!MessageDigest.isEqual(read.sha256(), u.sha256()))
      throw fail(u, Reason.HASH_MISMATCH, "the content's SHA-256 is not the declared one");
    Optional<String> sniffed = TypeSniffer.sniff(read.head());
    Optional<String> problem = TypeCheck.problem(u.mimeType(), sniffed);
    if (problem.isPresent()) throw fail(u, Reason.TYPE_MISMATCH, problem.get());
    String contentType = sniffed.orElse(u.mimeType());

    MediaOutcome outcome = media(u, contentType, read.sha256(), keeper);
    return commit(u, read.sha256(), contentType, outcome);
  }

  /** Completes the S3 multipart upload unless an earlier attempt already did. */
  private void completeMultipart(UploadRow u, String multipartId) {
    // Only CompleteMultipartUpload creates the object of a multipart upload (no single-PUT URL is
    // ever given for it): if it exists, an earlier attempt got this far. Asking S3 about the
    // multipart upload instead does not tell: AWS answers NoSuchUpload, s3proxy an empty part list.
    if (store.head(u.objectKey()).isPresent()) return;
    Optional<List<StoredPart>> listed = store.listParts(u.objectKey(), multipartId);
    if (listed.isEmpty())
      throw fail(u, Reason.UPLOAD_INCOMPLETE, "the multipart upload no longer exists");
    Map<Integer, StoredPart> byNumber =
        listed.get().stream()
            .collect(Collectors.toMap(StoredPart::partNumber, Function.identity(), (a, b) -> b));
    List<Integer> missing =
        java.util.stream.IntStream.rangeClosed(1, u.partCount())
            .filter(n -> !byNumber.containsKey(n))
            .boxed()
            .toList();
    if (!missing.isEmpty()) {
      release(u);
      throw new ParleyException(
          Reason.UPLOAD_INCOMPLETE,
          missing.size()
              + " of "
              + u.partCount()
              + " parts are missing, e.g. part "
              + missing.get(0));
    }
    List<StoredPart> parts =
        byNumber.values().stream()
            .filter(p -> p.partNumber() <= u.partCount())
            .sorted(Comparator.comparingInt(StoredPart::partNumber))
            .toList();
    for (StoredPart p : parts) {
      long expected =
          p.partNumber() < u.partCount()
              ? u.partSize()
              : u.size() - (long) (u.partCount() - 1) * u.partSize();
      if (p.size() != expected)
        throw fail(
            u,
            Reason.SIZE_MISMATCH,
            "part " + p.partNumber() + " has " + p.size() + " bytes, not " + expected);
    }
    store.completeMultipart(u.objectKey(), multipartId, parts);
  }

  private MediaOutcome media(UploadRow u, String contentType, byte[] sha256, LeaseKeeper keeper) {
    MediaProcessor processor = media;
    if (processor == null || !processor.handles(contentType)) {
      return contentType.startsWith("image/") ? MediaOutcome.UNPROCESSED : MediaOutcome.NOT_MEDIA;
    }
    if (jdbi.withHandle(h -> blobs.findLive(h, sha256, u.size())).isPresent()) {
      // Stored and processed before: the commit links the file to that blob and its thumbnails,
      // so making them again would only make objects to delete.
      return MediaOutcome.UNPROCESSED;
    }
    MediaResult result;
    try {
      result =
          processor.process(
              new MediaSource(
                  u.objectKey(),
                  contentType,
                  u.size(),
                  () -> keeper.reading(store.get(u.objectKey()))));
    } catch (MediaRejectedException e) {
      throw fail(
          u,
          Reason.IMAGE_REJECTED,
          Objects.requireNonNullElse(e.getMessage(), "not a valid image"));
    } catch (ParleyException e) {
      throw e; // this attempt lost its lease while reading (LeaseKeeper)
    } catch (MediaBusyException e) {
      release(u);
      throw new ParleyException(
          Reason.UNAVAILABLE,
          "the server is busy processing images; complete the upload again",
          "",
          e.retryAfter());
    } catch (RuntimeException e) {
      log.warn(
          "Media processing of upload {} failed; the file is stored without it", u.uploadId(), e);
      return MediaOutcome.without("FAILED", FAILED_NOTE);
    }
    return storeDerived(u, contentType, result);
  }

  /**
   * Stores the thumbnails and the stripped original under keys derived from the upload's key
   * ({@code u/<id>.320}, {@code u/<id>.stripped}): a completion that runs again writes the same
   * keys, and a refusal finds them by prefix.
   */
  private MediaOutcome storeDerived(UploadRow u, String contentType, MediaResult result) {
    Path stripped = result.strippedOriginal();
    try {
      List<ThumbnailRow> derived = new ArrayList<>();
      for (MediaResult.Thumbnail t : result.thumbnails()) {
        String key = derivedKey(u.objectKey(), t.variant());
        store.put(key, t.mimeType(), t.content());
        derived.add(
            new ThumbnailRow(
                t.variant(), key, t.mimeType(), t.width(), t.height(), t.content().length));
      }
      if (stripped != null) {
        String key = derivedKey(u.objectKey(), ThumbnailRow.STRIPPED_ORIGINAL);
        store.put(key, contentType, stripped);
        derived.add(
            new ThumbnailRow(
                ThumbnailRow.STRIPPED_ORIGINAL,
                key,
                contentType,
                result.width(),
                result.height(),
                sizeOf(stripped)));
      }
      return new MediaOutcome(
          result.thumbnails().isEmpty() ? "UNPROCESSED" : "PROCESSED",
          result.width() > 0 ? result.width() : null,
          result.height() > 0 ? result.height() : null,
          result.animated(),
          result.preview(),
          result.note(),
          derived);
    } finally {
      if (stripped != null) deleteTemporary(stripped);
    }
  }

  /** The key of an object derived from the one under {@code objectKey}. */
  static String derivedKey(String objectKey, String kind) {
    return objectKey + "." + kind;
  }

  private static long sizeOf(Path file) {
    try {
      return java.nio.file.Files.size(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteTemporary(Path file) {
    try {
      java.nio.file.Files.deleteIfExists(file);
    } catch (IOException e) {
      log.warn("Could not delete the temporary file {}", file, e);
    }
  }

  private FileRow commit(UploadRow u, byte[] sha256, String contentType, MediaOutcome outcome) {
    Instant now = clock.instant();
    BlobRow candidate =
        new BlobRow(
            ids.next(),
            sha256,
            u.size(),
            u.objectKey(),
            contentType,
            outcome.status(),
            outcome.width(),
            outcome.height(),
            now,
            outcome.animated(),
            outcome.note(),
            outcome.preview(),
            outcome.derived());
    Optional<BlobRow> committed =
        jdbi.inTransaction(
            h -> {
              Optional<UploadRow> current = uploads.lock(h, u.uploadId());
              if (current.isEmpty()
                  || current.get().state() != UploadState.COMPLETING
                  || current.get().attempt() != u.attempt()) return Optional.<BlobRow>empty();
              BlobRow blob = blobs.insertOrGet(h, candidate, outcome);
              // The same content stored before may be on its way out: then try again once the
              // janitor is done with it (the lease runs out and the janitor completes again).
              if (!refs.keepForNewFile(h, blob.blobId(), now.plus(deleteGrace)))
                return Optional.<BlobRow>empty();
              files.insert(h, u.fileId(), u.ownerId(), blob.blobId(), u.name(), u.mimeType(), now);
              uploads.finish(h, u.uploadId(), u.attempt(), UploadState.DONE, null, null, now);
              return Optional.of(blob);
            });
    if (committed.isEmpty()) {
      // Another attempt took over while this one ran; its outcome is the upload's.
      throw new ParleyException(
          Reason.UNAVAILABLE,
          "the upload is being completed elsewhere; ask again",
          "",
          Duration.ofSeconds(1));
    }
    if (!committed.get().objectKey().equals(u.objectKey())) {
      // Lost a dedup race: the same content was stored by another upload a moment earlier. Its
      // derived objects were not recorded either (Blobs.insertOrGet).
      deleteQuietly(u.objectKey());
    }
    return jdbi.withHandle(h -> files.find(h, u.fileId())).orElseThrow();
  }

  /** Not a refusal: the client may still send what is missing. */
  private void release(UploadRow u) {
    jdbi.useTransaction(h -> uploads.release(h, u.uploadId(), u.attempt()));
  }

  /**
   * Refuses the upload for good: the object goes first (so a crash in between leaves nothing behind
   * that a row does not explain), then the upload records why.
   */
  ParleyException fail(UploadRow u, Reason reason, String message) {
    String multipartId = u.multipartId();
    if (multipartId != null) store.abortMultipart(u.objectKey(), multipartId);
    deleteDerived(u.objectKey());
    store.delete(u.objectKey());
    jdbi.useTransaction(
        h ->
            uploads.finish(
                h,
                u.uploadId(),
                u.attempt(),
                UploadState.FAILED,
                reason.name(),
                message,
                clock.instant()));
    metrics.refused(reason);
    return new ParleyException(reason, message);
  }

  /** Deletes the objects derived from the one under {@code objectKey}, found by their prefix. */
  private void deleteDerived(String objectKey) {
    for (String key : store.list(derivedKey(objectKey, ""))) store.delete(key);
  }

  private void deleteQuietly(String key) {
    try {
      deleteDerived(key);
      store.delete(key);
    } catch (RuntimeException e) {
      log.warn("Deleting {} (a duplicate of stored content) failed", key, e);
    }
  }
}
