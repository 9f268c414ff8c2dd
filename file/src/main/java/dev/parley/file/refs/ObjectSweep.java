package dev.parley.file.refs;

import dev.parley.file.store.ObjectPage;
import dev.parley.file.store.ObjectStore;
import dev.parley.file.upload.FileMetrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes objects that no row names (design.md 11.5): what a process leaves behind when it dies
 * between its commit and its clean-up, e.g. a dedup-race loser whose file was linked to the
 * winner's blob but whose own object and thumbnails were not deleted yet. The other janitors find
 * only what rows describe; this one starts from the store.
 *
 * <p>Every object key is {@code u/<upload id>} or that plus {@code .<kind>} (a derived object), so
 * an object belongs to the row naming its key without the suffix: a blob (live or being deleted by
 * {@link BlobJanitor}) or an upload still in progress ({@code open}, {@code completing}). Anything
 * else is an orphan once it is older than {@code minAge}, which is far longer than an upload may
 * stay open and a completion may hold its lease, so no upload that could still commit is touched;
 * and an orphan never becomes referenced later (a new blob takes its own upload's fresh key).
 *
 * <p>Bounded: each pass lists one page of {@code batch} keys after where the previous pass stopped
 * (ListObjectsV2 with start-after), wrapping around at the end, so a large bucket is covered over
 * many passes with little work each.
 */
public final class ObjectSweep {
  private static final Logger log = LoggerFactory.getLogger(ObjectSweep.class);
  static final String PREFIX = "u/";

  private final Jdbi jdbi;
  private final ObjectStore store;
  private final Clock clock;
  private final Duration minAge;
  private final int batch;
  private final FileMetrics metrics;
  private String after = "";

  public ObjectSweep(
      Jdbi jdbi, ObjectStore store, Clock clock, Duration minAge, int batch, FileMetrics metrics) {
    this.jdbi = jdbi;
    this.store = store;
    this.clock = clock;
    this.minAge = minAge;
    this.batch = batch;
    this.metrics = metrics;
  }

  /** One page; returns the number of orphans deleted. */
  public synchronized int run() {
    ObjectPage page = store.listPage(PREFIX, after, batch);
    Instant cutoff = clock.instant().minus(minAge);
    List<String> old =
        page.objects().stream()
            .filter(o -> o.lastModified().isBefore(cutoff))
            .map(ObjectPage.Listed::key)
            .toList();
    Set<String> owned = owned(old.stream().map(ObjectSweep::rowKey).distinct().toList());
    int deleted = 0;
    for (String key : old) {
      if (owned.contains(rowKey(key))) continue;
      store.delete(key);
      deleted++;
      log.info("Deleted object {}: no blob or upload in progress names it", key);
    }
    List<ObjectPage.Listed> listed = page.objects();
    after = page.truncated() && !listed.isEmpty() ? listed.getLast().key() : "";
    metrics.swept(listed.size(), deleted);
    return deleted;
  }

  /** The key of the row an object belongs to: its own, without a derived object's suffix. */
  static String rowKey(String objectKey) {
    int dot = objectKey.indexOf('.');
    return dot < 0 ? objectKey : objectKey.substring(0, dot);
  }

  /** Those of {@code keys} that a blob or an upload in progress names. */
  private Set<String> owned(List<String> keys) {
    if (keys.isEmpty()) return Set.of();
    return new HashSet<>(
        jdbi.withHandle(
            h ->
                h.createQuery(
                        "SELECT object_key FROM file.blobs WHERE object_key = ANY(:k) UNION"
                            + " SELECT object_key FROM file.uploads WHERE object_key = ANY(:k)"
                            + " AND state IN ('open', 'completing')")
                    .bindArray("k", String.class, keys.toArray())
                    .mapTo(String.class)
                    .list()));
  }
}
