package dev.parley.file.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Several msg instances start at once against one S3 store (scripts/cluster-local.sh starts two):
 * each finds the bucket missing and creates it, and all but the first are told that they already
 * own it. That must not stop an instance from starting.
 */
class EnsureBucketIT {
  private static final int INSTANCES = 8;
  private static final int ROUNDS = 5;
  private static EmbeddedS3 s3;

  @BeforeAll
  static void start() throws Exception {
    Path dir = Files.createTempDirectory("parley-bucket-test");
    s3 =
        EmbeddedS3.start(
            dir.resolve("objects"), dir.resolve("keys"), "127.0.0.1", 0, true, List.of());
  }

  @AfterAll
  static void stop() {
    s3.close();
  }

  @Test
  void instancesCreatingTheSameBucketAtOnceAllStart() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(INSTANCES);
    try {
      for (int round = 0; round < ROUNDS; round++) {
        String bucket = "race-" + round;
        List<S3ObjectStore> stores = new ArrayList<>();
        for (int i = 0; i < INSTANCES; i++) stores.add(store(bucket));
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> starts = new ArrayList<>();
        for (S3ObjectStore store : stores) {
          starts.add(
              pool.submit(
                  () -> {
                    go.await();
                    store.ensureBucket();
                    return null;
                  }));
        }
        go.countDown();
        for (Future<?> start : starts) start.get(); // throws if an instance failed to start
        stores.get(0).put("probe", "text/plain", new byte[] {1});
        assertThat(stores.get(1).head("probe")).isPresent();
        stores.forEach(S3ObjectStore::close);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void anExistingBucketIsUsedAsItIs() {
    try (S3ObjectStore first = store("existing");
        S3ObjectStore second = store("existing")) {
      first.ensureBucket();
      first.put("kept", "text/plain", new byte[] {7});
      second.ensureBucket();
      assertThat(second.head("kept")).isPresent();
    }
  }

  private static S3ObjectStore store(String bucket) {
    return new S3ObjectStore(
        new S3Settings(
            s3.endpoint(),
            s3.endpoint(),
            "us-east-1",
            bucket,
            s3.accessKey(),
            s3.secretKey(),
            true,
            false));
  }
}
