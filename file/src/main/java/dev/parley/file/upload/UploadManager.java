package dev.parley.file.upload;

import dev.parley.common.error.ParleyException;
import dev.parley.common.id.Snowflake;
import dev.parley.file.FileConfig;
import dev.parley.file.db.BlobRow;
import dev.parley.file.db.Blobs;
import dev.parley.file.db.FileRow;
import dev.parley.file.db.Files;
import dev.parley.file.db.Refs;
import dev.parley.file.db.UploadRow;
import dev.parley.file.db.UploadRow.Challenge;
import dev.parley.file.db.UploadState;
import dev.parley.file.db.Uploads;
import dev.parley.file.refs.FileAccess;
import dev.parley.file.store.ObjectStore;
import dev.parley.file.store.PresignedUrl;
import dev.parley.file.store.StoredPart;
import dev.parley.proto.client.Error.Reason;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The upload and download operations (design.md 11.4, 11.6). Callers are identified by user id; an
 * upload or file of someone else answers NOT_FOUND, exactly like one that does not exist.
 */
public final class UploadManager {
  private static final Logger log = LoggerFactory.getLogger(UploadManager.class);

  /** S3 allows at most this many parts; larger files get larger parts. */
  private static final int MAX_PARTS = 10_000;

  private final FileConfig config;
  private final Jdbi jdbi;
  private final Uploads uploads;
  private final Blobs blobs;
  private final Files files;
  private final ObjectStore store;
  private final Completer completer;
  private final UploadRules rules;
  private final DedupProof dedup;
  private final Snowflake ids;
  private final Clock clock;
  private final FileMetrics metrics;
  private final FileAccess access;
  private final Refs refs = new Refs();

  /** Verifications read whole objects: a few at a time, the rest wait their turn. */
  private final Semaphore verifying;

  public UploadManager(
      FileConfig config,
      Jdbi jdbi,
      ObjectStore store,
      Completer completer,
      Snowflake ids,
      Clock clock,
      FileMetrics metrics,
      int concurrentVerifications,
      FileAccess access) {
    this.config = config;
    this.jdbi = jdbi;
    this.uploads = new Uploads();
    this.blobs = new Blobs();
    this.files = new Files();
    this.store = store;
    this.completer = completer;
    this.rules = new UploadRules(config);
    this.dedup = DedupProof.secure();
    this.ids = ids;
    this.clock = clock;
    this.metrics = metrics;
    this.verifying = new Semaphore(concurrentVerifications, true);
    this.access = access;
  }

  /** With the hash as given by the client in either form (bytes or hex). */
  public UploadPlan create(
      long ownerId, long size, String mimeType, byte[] sha256, String sha256Hex, String name) {
    String mime = rules.mimeType(mimeType);
    rules.size(size, mime);
    return create(
        ownerId, size, mime, UploadRules.sha256(sha256, sha256Hex), UploadRules.name(name));
  }

  private UploadPlan create(long ownerId, long size, String mime, byte[] sha256, String name) {
    Instant now = clock.instant();
    long uploadId = ids.next();
    String key = "u/" + uploadId;
    long partSize = partSize(size);
    int partCount = size <= partSize ? 1 : (int) ((size + partSize - 1) / partSize);
    @Nullable String multipartId = partCount > 1 ? store.createMultipart(key, mime) : null;
    Optional<BlobRow> known = jdbi.withHandle(h -> blobs.findLive(h, sha256, size));
    @Nullable Challenge challenge = known.map(b -> dedup.challenge(size)).orElse(null);
    UploadRow row =
        new UploadRow(
            uploadId,
            ownerId,
            ids.next(),
            name,
            mime,
            size,
            sha256,
            key,
            multipartId,
            partCount > 1 ? partSize : size,
            partCount,
            known.map(BlobRow::blobId).orElse(null),
            challenge,
            UploadState.OPEN,
            null,
            0,
            null,
            null,
            now,
            now.plus(config.uploadTtl()));
    try {
      jdbi.useTransaction(h -> uploads.insert(h, row));
    } catch (RuntimeException e) {
      if (multipartId != null) store.abortMultipart(key, multipartId);
      throw e;
    }
    @Nullable PresignedUrl single =
        multipartId == null ? store.presignPut(key, mime, urlTtl(row, now)) : null;
    return new UploadPlan(uploadId, row.expiresAt(), single, row.partSize(), partCount, challenge);
  }

  /** Parts of partSize, grown when the file would need more than S3's 10,000. */
  private long partSize(long size) {
    long part = config.partSize();
    long needed = (size + MAX_PARTS - 1) / MAX_PARTS;
    if (needed <= part) return part;
    long mib = 1024 * 1024;
    return (needed + mib - 1) / mib * mib;
  }

  /** A URL lives url-ttl, and never beyond its upload. */
  private Duration urlTtl(UploadRow u, Instant now) {
    Duration left = Duration.between(now, u.expiresAt());
    Duration ttl = left.compareTo(config.urlTtl()) < 0 ? left : config.urlTtl();
    return ttl.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : ttl;
  }

  public PartsStatus parts(long ownerId, String uploadIdText, List<Integer> wanted) {
    UploadRow u = owned(ownerId, uploadIdText);
    Instant now = clock.instant();
    switch (u.state()) {
      case DONE -> {
        return new PartsStatus(List.of(), List.of(), u.expiresAt());
      }
      case FAILED -> throw failure(u);
      case EXPIRED -> throw expired();
      case OPEN, COMPLETING -> {
        if (!now.isBefore(u.expiresAt())) throw expired();
      }
    }
    Duration ttl = urlTtl(u, now);
    if (u.multipartId() == null) {
      boolean stored = store.head(u.objectKey()).isPresent();
      List<PartsStatus.PartUrl> missing =
          stored && wanted.isEmpty()
              ? List.of()
              : List.of(
                  new PartsStatus.PartUrl(0, store.presignPut(u.objectKey(), u.mimeType(), ttl)));
      List<StoredPart> have =
          stored ? List.of(new StoredPart(0, "", u.size())) : List.<StoredPart>of();
      return new PartsStatus(have, missing, u.expiresAt());
    }
    String multipartId = Objects.requireNonNull(u.multipartId());
    List<StoredPart> stored =
        store.listParts(u.objectKey(), multipartId).orElse(List.of()).stream()
            .filter(p -> p.partNumber() >= 1 && p.partNumber() <= u.partCount())
            .toList();
    Set<Integer> have = stored.stream().map(StoredPart::partNumber).collect(Collectors.toSet());
    List<Integer> numbers = new ArrayList<>();
    if (wanted.isEmpty()) {
      for (int n = 1; n <= u.partCount(); n++) if (!have.contains(n)) numbers.add(n);
    } else {
      for (int n : wanted) {
        if (n < 1 || n > u.partCount())
          throw ParleyException.invalid("part_numbers", "parts are numbered 1 to " + u.partCount());
        numbers.add(n);
      }
    }
    List<PartsStatus.PartUrl> missing =
        numbers.stream()
            .distinct()
            .map(
                n ->
                    new PartsStatus.PartUrl(
                        n, store.presignPart(u.objectKey(), multipartId, n, ttl)))
            .toList();
    return new PartsStatus(stored, missing, u.expiresAt());
  }

  /**
   * Completes an upload: with a proof, the dedup shortcut; without, verification of the uploaded
   * bytes. Completing a done upload returns its file; a refused one, its refusal.
   */
  public FileRow complete(long ownerId, String uploadIdText, byte[] proof) {
    UploadRow u = owned(ownerId, uploadIdText);
    Optional<FileRow> settled = settled(u);
    if (settled.isPresent()) return settled.get();
    if (proof.length > 0) return completeByProof(u, proof);
    acquireVerificationSlot();
    try {
      Optional<UploadRow> leased = completer.takeLease(u.uploadId());
      if (leased.isEmpty()) {
        // Changed state since we looked: answer from the new state.
        UploadRow now = owned(ownerId, uploadIdText);
        return settled(now).orElseThrow(() -> busy());
      }
      return completer.complete(leased.get());
    } finally {
      verifying.release();
    }
  }

  /** The answer for an upload that cannot be completed now, if any; empty: go ahead. */
  private Optional<FileRow> settled(UploadRow u) {
    Instant now = clock.instant();
    return switch (u.state()) {
      case DONE -> Optional.of(file(u.fileId()));
      case FAILED -> throw failure(u);
      case EXPIRED -> throw expired();
      case OPEN -> {
        if (!now.isBefore(u.expiresAt())) throw expired();
        yield Optional.empty();
      }
      case COMPLETING -> {
        Instant leaseUntil = u.leaseUntil();
        if (leaseUntil != null && now.isBefore(leaseUntil)) throw busy();
        yield Optional.empty();
      }
    };
  }

  private FileRow completeByProof(UploadRow u, byte[] proof) {
    @Nullable Challenge challenge = u.challenge();
    Long candidate = u.dedupBlobId();
    if (challenge == null || candidate == null || u.state() != UploadState.OPEN)
      throw new ParleyException(
          Reason.DEDUP_PROOF_INVALID, "no dedup challenge is open for this upload: send the bytes");
    long blobId = candidate;
    // Spent before it is checked: one answer per challenge, right or wrong.
    jdbi.useTransaction(h -> uploads.spendChallenge(h, u.uploadId()));
    Optional<BlobRow> blob = jdbi.withHandle(h -> blobs.findLive(h, blobId));
    if (blob.isEmpty()
        || proof.length != 32
        || !DedupProof.verify(store, blob.get().objectKey(), challenge, proof))
      throw new ParleyException(
          Reason.DEDUP_PROOF_INVALID,
          "the proof does not match the stored content: send the bytes");
    Instant now = clock.instant();
    boolean done =
        jdbi.inTransaction(
            h -> {
              if (uploads
                  .lock(h, u.uploadId())
                  .map(r -> r.state() != UploadState.OPEN)
                  .orElse(true)) return false;
              if (!refs.keepForNewFile(h, blobId, now.plus(config.deleteGrace()))) return false;
              files.insert(h, u.fileId(), u.ownerId(), blobId, u.name(), u.mimeType(), now);
              return uploads.finishOpen(h, u.uploadId(), now);
            });
    if (!done) throw busy();
    String multipartId = u.multipartId();
    if (multipartId != null) store.abortMultipart(u.objectKey(), multipartId);
    metrics.deduplicated();
    return file(u.fileId());
  }

  /**
   * A GET of a file's original ({@code variant} empty: the metadata-free copy when one was made) or
   * of one of its thumbnails ({@code "320"}, {@code "1280"}).
   */
  public Download download(long callerId, String fileIdText, String variant) {
    long fileId = UploadRules.id(fileIdText, "file_id");
    Variant.check(variant);
    FileRow f =
        access
            .readable(callerId, fileId)
            .orElseThrow(() -> new ParleyException(Reason.NOT_FOUND, "no such file"));
    PresignedUrl get =
        variant.isEmpty()
            ? store.presignGet(
                f.blob().servedKey(),
                f.mimeType(),
                contentDisposition(f.name()),
                config.downloadUrlTtl())
            : Variant.presign(store, f, variant, config.downloadUrlTtl());
    return new Download(get, f);
  }

  /** RFC 6266: an ASCII fallback and the exact name in RFC 5987 encoding. */
  static String contentDisposition(String name) {
    String ascii = name.replaceAll("[^\\x20-\\x7E]|[\"\\\\]", "_");
    String encoded = URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
    return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded;
  }

  private UploadRow owned(long ownerId, String uploadIdText) {
    long uploadId = UploadRules.id(uploadIdText, "upload_id");
    return jdbi.withHandle(h -> uploads.findOwned(h, uploadId, ownerId))
        .orElseThrow(() -> new ParleyException(Reason.NOT_FOUND, "no such upload"));
  }

  private FileRow file(long fileId) {
    // A done upload whose content nobody used was deleted after its grace period.
    return jdbi.withHandle(h -> files.find(h, fileId))
        .orElseThrow(() -> new ParleyException(Reason.NOT_FOUND, "no such file"));
  }

  private void acquireVerificationSlot() {
    try {
      if (!verifying.tryAcquire(30, TimeUnit.SECONDS)) throw busy();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw busy();
    }
  }

  private static ParleyException failure(UploadRow u) {
    String reason = u.failure();
    Reason r;
    try {
      r = reason == null ? Reason.INTERNAL : Reason.valueOf(reason);
    } catch (IllegalArgumentException e) {
      log.warn("Upload {} failed with an unknown reason {}", u.uploadId(), reason);
      r = Reason.INTERNAL;
    }
    String message = u.failureMessage();
    return new ParleyException(r, message == null ? "the upload was refused" : message);
  }

  private static ParleyException expired() {
    return new ParleyException(
        Reason.UPLOAD_EXPIRED, "the upload was not completed in time: start a new one");
  }

  private static ParleyException busy() {
    return new ParleyException(
        Reason.UNAVAILABLE, "the upload is being completed: ask again", "", Duration.ofSeconds(1));
  }
}
