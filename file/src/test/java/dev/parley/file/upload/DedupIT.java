package dev.parley.file.upload;

import static dev.parley.file.upload.FileHarness.newUser;
import static dev.parley.file.upload.FileHarness.random;
import static dev.parley.file.upload.FileHarness.reason;
import static dev.parley.file.upload.FileHarness.upload;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.parley.file.db.UploadRow.Challenge;
import dev.parley.proto.client.CompleteUploadRequest;
import dev.parley.proto.client.CreateUploadResponse;
import dev.parley.proto.client.DedupChallenge;
import dev.parley.proto.client.Error.Reason;
import dev.parley.proto.client.FileInfo;
import dev.parley.proto.client.GetUploadPartsResponse;
import dev.parley.testkit.PostgresExtension;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** EXT-7: identical content is stored once, and only those who hold it may claim it. */
class DedupIT {
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

  static byte[] proof(DedupChallenge c, byte[] content) {
    return DedupProof.answer(
        new Challenge(c.getNonce().toByteArray(), c.getOffset(), c.getLength()), content);
  }

  private static CompleteUploadRequest complete(CreateUploadResponse plan, byte[] proof) {
    return CompleteUploadRequest.newBuilder()
        .setUploadId(plan.getUploadId())
        .setProof(ByteString.copyFrom(proof))
        .build();
  }

  private static int blobCount() {
    return postgres
        .database()
        .jdbi()
        .withHandle(
            h -> h.createQuery("SELECT count(*) FROM file.blobs").mapTo(Integer.class).one());
  }

  @Test
  void knownContentCompletesWithAProofAndWithoutSendingBytes() {
    long alice = newUser();
    long bob = newUser();
    byte[] content = random(200_000);
    FileInfo original =
        UploadIT.uploadSmallWith(files, alice, content, "application/octet-stream", "original.bin");
    int blobs = blobCount();

    CreateUploadResponse plan =
        files.as(bob).createUpload(upload(content, "application/octet-stream", "copy.bin").build());
    assertThat(plan.hasDedup()).isTrue();
    assertThat(plan.getDedup().getLength()).isEqualTo(DedupProof.RANGE);
    FileInfo copy =
        files.as(bob).completeUpload(complete(plan, proof(plan.getDedup(), content))).getFile();

    assertThat(copy.getFileId()).isNotEqualTo(original.getFileId());
    assertThat(copy.getSha256()).isEqualTo(original.getSha256());
    assertThat(copy.getName()).isEqualTo("copy.bin");
    assertThat(blobCount()).isEqualTo(blobs);
    assertThat(files.store.head("u/" + plan.getUploadId())).isEmpty();
  }

  @Test
  void aWrongProofIsRefusedOnceAndTheUploadGoesOnAsANormalOne() {
    long alice = newUser();
    long mallory = newUser();
    byte[] content = random(100_000);
    UploadIT.uploadSmallWith(files, alice, content, "application/octet-stream", "original.bin");

    // Mallory knows the hash and size, not the bytes.
    CreateUploadResponse plan =
        files.as(mallory).createUpload(upload(content, "application/octet-stream", "x").build());
    byte[] guess = proof(plan.getDedup(), random(content.length));
    assertThat(reason(() -> files.as(mallory).completeUpload(complete(plan, guess))))
        .isEqualTo(Reason.DEDUP_PROOF_INVALID);
    // The challenge is spent: not even the right answer works now.
    byte[] right = proof(plan.getDedup(), content);
    assertThat(reason(() -> files.as(mallory).completeUpload(complete(plan, right))))
        .isEqualTo(Reason.DEDUP_PROOF_INVALID);

    // A client that holds the bytes can still send them.
    GetUploadPartsResponse parts = files.as(mallory).getUploadParts(FileHarness.parts(plan));
    assertThat(files.send(parts.getMissing(0).getPut(), content)).isEqualTo(200);
    FileInfo file = files.as(mallory).completeUpload(complete(plan, new byte[0])).getFile();
    assertThat(file.getSize()).isEqualTo(content.length);
  }

  @Test
  void twoUploadsOfNewContentCompletingAtOnceLeaveOneBlob() throws Exception {
    long alice = newUser();
    long bob = newUser();
    byte[] content = random(300_000);
    CreateUploadResponse a =
        files.as(alice).createUpload(upload(content, "application/octet-stream", "a").build());
    CreateUploadResponse b =
        files.as(bob).createUpload(upload(content, "application/octet-stream", "b").build());
    assertThat(a.hasDedup() || b.hasDedup()).isFalse();
    files.send(a.getSingle().getPut(), content);
    files.send(b.getSingle().getPut(), content);
    int blobs = blobCount();

    CyclicBarrier together = new CyclicBarrier(2);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Callable<FileInfo>> both =
          List.of(
              () -> {
                together.await();
                return files.as(alice).completeUpload(complete(a, new byte[0])).getFile();
              },
              () -> {
                together.await();
                return files.as(bob).completeUpload(complete(b, new byte[0])).getFile();
              });
      List<Future<FileInfo>> done = pool.invokeAll(both);
      assertThat(done.get(0).get().getSha256()).isEqualTo(done.get(1).get().getSha256());
    } finally {
      pool.shutdownNow();
    }
    assertThat(blobCount()).isEqualTo(blobs + 1);
    // The loser's object is gone; the winner's holds the content.
    boolean aKept = files.store.head("u/" + a.getUploadId()).isPresent();
    boolean bKept = files.store.head("u/" + b.getUploadId()).isPresent();
    assertThat(aKept ^ bKept).isTrue();
  }
}
