package dev.parley.file.upload;

import static dev.parley.file.upload.FileHarness.MIB;
import static dev.parley.file.upload.FileHarness.newUser;
import static dev.parley.file.upload.FileHarness.upload;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.common.id.Snowflake;
import dev.parley.file.db.Blobs;
import dev.parley.file.db.FileRow;
import dev.parley.file.db.Files;
import dev.parley.file.db.UploadRow;
import dev.parley.file.db.Uploads;
import dev.parley.proto.client.CreateUploadResponse;
import dev.parley.proto.client.PartUrl;
import dev.parley.testkit.PostgresExtension;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * design.md 11.4: a completion that reads a large object for longer than its lease keeps the lease
 * (it renews it while reading), so the janitor does not take the upload over from a live process.
 * The read is made slow on the test's clock: every MiB read moves the clock by one minute, so 7 MiB
 * take 7 minutes against a 5-minute lease; nothing else is simulated.
 */
class CompletionLeaseIT {
  @RegisterExtension static final PostgresExtension postgres = new PostgresExtension();
  static FileHarness files;

  @BeforeAll
  static void start() {
    files = new FileHarness(postgres.database());
  }

  @AfterAll
  static void stop() throws Exception {
    files.close();
  }

  @Test
  void aCompletionReadingLongerThanItsLeaseKeepsIt() {
    long alice = newUser();
    byte[] content = FileHarness.random((int) (7 * MIB));
    CreateUploadResponse plan =
        files
            .as(alice)
            .createUpload(upload(content, "application/octet-stream", "slow.bin").build());
    for (PartUrl p : files.as(alice).getUploadParts(FileHarness.parts(plan)).getMissingList())
      UploadIT.sendPartWith(files, p, content, plan.getMultipart().getPartSize());
    long uploadId = Long.parseLong(plan.getUploadId());
    Duration lease = Duration.ofMinutes(5);

    Instant started = files.clock.instant();
    List<Optional<UploadRow>> takeovers = new ArrayList<>();
    Completer slow =
        new Completer(
            postgres.database().jdbi(),
            new Uploads(),
            new Blobs(),
            new Files(),
            new SlowReads(
                files.store,
                () -> {
                  // Past the first lease's end: what a janitor pass would try now.
                  if (files.clock.instant().isAfter(started.plus(lease).plusSeconds(30))
                      && takeovers.isEmpty()) takeovers.add(files.completer().takeLease(uploadId));
                }),
            null,
            new Snowflake(3, Clock.systemUTC()),
            files.clock,
            lease,
            Duration.ofHours(24),
            new FileMetrics(new SimpleMeterRegistry()));

    FileRow file = slow.complete(slow.takeLease(uploadId).orElseThrow());

    assertThat(files.clock.instant()).isAfter(started.plus(lease).plus(Duration.ofMinutes(1)));
    assertThat(takeovers).as("a takeover was tried after the first lease ended").hasSize(1);
    assertThat(takeovers.get(0)).as("the live completion kept its lease").isEmpty();
    assertThat(file.blob().size()).isEqualTo(content.length);
  }

  /** Reads move the test clock by one minute per MiB, then run a check. */
  private static final class SlowReads extends DelegatingStore {
    private final Runnable afterEachMib;

    SlowReads(dev.parley.file.store.ObjectStore store, Runnable afterEachMib) {
      super(store);
      this.afterEachMib = afterEachMib;
    }

    @Override
    public InputStream get(String key) {
      return new FilterInputStream(super.get(key)) {
        private long read;

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
          int n = super.read(b, off, len);
          if (n > 0) {
            long before = read / MIB;
            read += n;
            for (long m = before; m < read / MIB; m++) {
              files.clock.advance(Duration.ofMinutes(1));
              afterEachMib.run();
            }
          }
          return n;
        }
      };
    }
  }
}
