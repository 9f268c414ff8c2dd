package dev.parley.file.upload;

import static dev.parley.file.upload.FileHarness.newUser;
import static dev.parley.file.upload.FileHarness.random;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.file.refs.ObjectSweep;
import dev.parley.proto.client.FileInfo;
import dev.parley.testkit.PostgresExtension;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * design.md 11.5 / 11.8: objects no row names (a dedup-race loser that died right after its commit
 * leaves its object and derived objects behind) are deleted by the object sweep once old enough,
 * page by page; a blob's objects and young objects stay. Against the real embedded s3proxy.
 */
class ObjectSweepIT {
  @RegisterExtension static final PostgresExtension postgres = new PostgresExtension();
  static FileHarness files;
  static final Duration MIN_AGE = Duration.ofHours(72);

  @BeforeAll
  static void start() {
    files = new FileHarness(postgres.database());
  }

  @AfterAll
  static void stop() throws Exception {
    files.close();
  }

  @Test
  void orphanObjectsOlderThanTheMinimumAgeAreDeletedAndOwnedOnesStay() {
    FileInfo live =
        UploadIT.uploadSmallWith(
            files, newUser(), random(3000), "application/octet-stream", "kept.bin");
    String liveKey =
        postgres
            .database()
            .jdbi()
            .withHandle(
                h ->
                    h.createQuery(
                            "SELECT b.object_key FROM file.files f JOIN file.blobs b USING"
                                + " (blob_id) WHERE f.file_id = :id")
                        .bind("id", Long.parseLong(live.getFileId()))
                        .mapTo(String.class)
                        .one());
    // What a dedup-race loser leaves when it dies after its commit: its own original and derived
    // objects, named by no blob (its upload is done, its file points at the winner's blob).
    String loser = "u/" + (Long.MAX_VALUE - 7);
    List<String> orphans = List.of(loser, loser + ".320", loser + ".1280", loser + ".stripped");
    for (String key : orphans) files.store.put(key, "image/jpeg", random(100));

    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    ObjectSweep sweep =
        new ObjectSweep(
            postgres.database().jdbi(),
            files.store,
            files.clock,
            MIN_AGE,
            2,
            new FileMetrics(registry));

    // Young objects are left alone, whoever owns them.
    for (int i = 0; i < 5; i++) assertThat(sweep.run()).isZero();
    assertThat(files.store.list("u/")).containsAll(orphans).contains(liveKey);

    // Once old enough the orphans go, two keys listed per pass; the blob's object stays.
    files.clock.advance(MIN_AGE.plusHours(1));
    int deleted = 0;
    for (int pass = 0; pass < 10; pass++) deleted += sweep.run();
    assertThat(deleted).isEqualTo(orphans.size());
    assertThat(files.store.list("u/")).doesNotContainAnyElementsOf(orphans).contains(liveKey);
    assertThat(files.store.head(liveKey)).isPresent();
    assertThat(
            registry.get("parley.file.swept.objects").tag("outcome", "deleted").counter().count())
        .isEqualTo(orphans.size());
    assertThat(registry.get("parley.file.swept.objects").tag("outcome", "listed").counter().count())
        .isLessThanOrEqualTo(2.0 * 15);
  }
}
