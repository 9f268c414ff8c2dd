package dev.parley.file.upload;

import static dev.parley.file.upload.FileHarness.MIB;
import static dev.parley.file.upload.FileHarness.complete;
import static dev.parley.file.upload.FileHarness.newUser;
import static dev.parley.file.upload.FileHarness.parts;
import static dev.parley.file.upload.FileHarness.random;
import static dev.parley.file.upload.FileHarness.reason;
import static dev.parley.file.upload.FileHarness.sha256;
import static dev.parley.file.upload.FileHarness.upload;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.parley.proto.client.CompleteUploadRequest;
import dev.parley.proto.client.CreateUploadResponse;
import dev.parley.proto.client.Error.Reason;
import dev.parley.proto.client.FileInfo;
import dev.parley.proto.client.GetDownloadUrlRequest;
import dev.parley.proto.client.GetDownloadUrlResponse;
import dev.parley.proto.client.GetUploadPartsRequest;
import dev.parley.proto.client.GetUploadPartsResponse;
import dev.parley.proto.client.PartUrl;
import dev.parley.testkit.PostgresExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** FILE-1, FILE-2, EXT-7: uploads end to end against a real S3 server and PostgreSQL. */
class UploadIT {
  @RegisterExtension static final PostgresExtension postgres = new PostgresExtension();
  static FileHarness files;

  static final byte[] PNG_HEAD = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
  static final byte[] JPEG_HEAD = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0};

  @BeforeAll
  static void start() {
    files = new FileHarness(postgres.database());
  }

  @AfterAll
  static void stop() throws Exception {
    files.close();
  }

  static byte[] withHead(byte[] head, int size) {
    byte[] b = random(size);
    System.arraycopy(head, 0, b, 0, head.length);
    return b;
  }

  static FileInfo uploadSmall(long user, byte[] content, String mime, String name) {
    return uploadSmallWith(files, user, content, mime, name);
  }

  /** create_upload, a presigned PUT with java.net.http, complete_upload; returns the file. */
  static FileInfo uploadSmallWith(
      FileHarness files, long user, byte[] content, String mime, String name) {
    CreateUploadResponse plan = files.as(user).createUpload(upload(content, mime, name).build());
    assertThat(plan.hasSingle()).isTrue();
    assertThat(files.send(plan.getSingle().getPut(), content)).isEqualTo(200);
    return files.as(user).completeUpload(complete(plan)).getFile();
  }

  @Test
  void smallFileGoesUpWithOnePresignedPutAndComesBackWithTheDownloadUrl() {
    long alice = newUser();
    byte[] content = "Minutes of the meeting, 2026-12-06\n".getBytes(StandardCharsets.UTF_8);

    FileInfo file = uploadSmall(alice, content, "text/plain", "minutes: 6 Dec.txt");

    assertThat(file.getSize()).isEqualTo(content.length);
    assertThat(file.getMimeType()).isEqualTo("text/plain");
    assertThat(file.getName()).isEqualTo("minutes: 6 Dec.txt");
    assertThat(file.getSha256().toByteArray()).isEqualTo(sha256(content));
    assertThat(file.getMedia()).isEqualTo(FileInfo.MediaStatus.NOT_MEDIA);
    GetDownloadUrlResponse download =
        files
            .as(alice)
            .getDownloadUrl(GetDownloadUrlRequest.newBuilder().setFileId(file.getFileId()).build());
    HttpResponse<byte[]> got = files.get(download.getGet());
    assertThat(got.statusCode()).isEqualTo(200);
    assertThat(got.body()).isEqualTo(content);
    assertThat(got.headers().firstValue("Content-Disposition").orElseThrow())
        .contains("attachment")
        .contains("filename*=UTF-8''minutes%3A%206%20Dec.txt");
  }

  @Test
  void completingTwiceReturnsTheSameFile() {
    long alice = newUser();
    byte[] content = withHead(PNG_HEAD, 2000);
    CreateUploadResponse plan =
        files.as(alice).createUpload(upload(content, "image/png", "cat.png").build());
    files.send(plan.getSingle().getPut(), content);
    CompleteUploadRequest complete = complete(plan);

    FileInfo first = files.as(alice).completeUpload(complete).getFile();
    FileInfo second = files.as(alice).completeUpload(complete).getFile();

    assertThat(second).isEqualTo(first);
    // No image processor in this service: stored as is, and the file says so.
    assertThat(first.getMedia()).isEqualTo(FileInfo.MediaStatus.UNPROCESSED);
  }

  /** 11 MiB that sniff as an MP4 (an ftyp box first). */
  static byte[] mp4(int size) {
    return withHead(new byte[] {0, 0, 0, 0x18, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm'}, size);
  }

  @Test
  void multipartUploadOfElevenMebibytesInFiveMebibyteParts() {
    long alice = newUser();
    byte[] content = mp4((int) (11 * MIB));
    CreateUploadResponse plan =
        files.as(alice).createUpload(upload(content, "video/mp4", "trip.mp4").build());
    assertThat(plan.getMultipart().getPartSize()).isEqualTo(5 * MIB);
    assertThat(plan.getMultipart().getPartCount()).isEqualTo(3);

    GetUploadPartsResponse parts = files.as(alice).getUploadParts(parts(plan));
    assertThat(parts.getMissingList()).extracting(PartUrl::getPartNumber).containsExactly(1, 2, 3);
    for (PartUrl p : parts.getMissingList()) sendPart(p, content, 5 * MIB);

    FileInfo file = files.as(alice).completeUpload(complete(plan)).getFile();
    assertThat(file.getSize()).isEqualTo(11 * MIB);
    assertThat(file.getSha256().toByteArray()).isEqualTo(sha256(content));
    assertThat(files.store.listMultipartUploads("u/"))
        .noneMatch(m -> m.key().equals("u/" + plan.getUploadId()));
  }

  @Test
  void resumeSendsOnlyTheMissingPartsAfterADroppedConnection() {
    long alice = newUser();
    byte[] content = mp4((int) (11 * MIB));
    CreateUploadResponse plan =
        files.as(alice).createUpload(upload(content, "video/mp4", "trip.mp4").build());
    GetUploadPartsRequest ask = parts(plan);
    // The connection drops after part 2 of 3.
    for (PartUrl p : files.as(alice).getUploadParts(ask).getMissingList())
      if (p.getPartNumber() <= 2) sendPart(p, content, 5 * MIB);
    CompleteUploadRequest complete = complete(plan);
    assertThat(reason(() -> files.as(alice).completeUpload(complete)))
        .isEqualTo(Reason.UPLOAD_INCOMPLETE);

    // The app restarts: it asks what is stored and sends the rest.
    GetUploadPartsResponse status = files.as(alice).getUploadParts(ask);
    assertThat(status.getStoredList())
        .extracting(p -> p.getPartNumber() + ":" + p.getSize())
        .containsExactly("1:" + 5 * MIB, "2:" + 5 * MIB);
    assertThat(status.getMissingList()).extracting(PartUrl::getPartNumber).containsExactly(3);
    sendPart(status.getMissing(0), content, 5 * MIB);

    FileInfo file = files.as(alice).completeUpload(complete).getFile();
    assertThat(file.getSize()).isEqualTo(content.length);
    HttpResponse<byte[]> got =
        files.get(
            files
                .as(alice)
                .getDownloadUrl(
                    GetDownloadUrlRequest.newBuilder().setFileId(file.getFileId()).build())
                .getGet());
    assertThat(got.body()).isEqualTo(content);
  }

  static void sendPart(PartUrl p, byte[] content, long partSize) {
    sendPartWith(files, p, content, partSize);
  }

  static void sendPartWith(FileHarness files, PartUrl p, byte[] content, long partSize) {
    int from = (int) ((p.getPartNumber() - 1) * partSize);
    int to = (int) Math.min(content.length, from + partSize);
    assertThat(files.send(p.getPut(), Arrays.copyOfRange(content, from, to))).isEqualTo(200);
  }

  @Test
  void wrongHashIsRefusedForGoodAndTheObjectDeleted() {
    long alice = newUser();
    byte[] content = random(1000);
    byte[] other = random(1000);
    CreateUploadResponse plan =
        files.as(alice).createUpload(upload(content, "application/octet-stream", "a.bin").build());
    files.send(plan.getSingle().getPut(), other);
    CompleteUploadRequest complete = complete(plan);

    assertThat(reason(() -> files.as(alice).completeUpload(complete)))
        .isEqualTo(Reason.HASH_MISMATCH);
    assertThat(reason(() -> files.as(alice).completeUpload(complete)))
        .isEqualTo(Reason.HASH_MISMATCH);
    assertThat(files.store.head("u/" + plan.getUploadId())).isEmpty();
  }

  @Test
  void wrongSizeIsRefused() {
    long alice = newUser();
    byte[] content = random(1000);
    CreateUploadResponse plan =
        files.as(alice).createUpload(upload(content, "application/octet-stream", "a.bin").build());
    files.send(plan.getSingle().getPut(), Arrays.copyOf(content, 900));

    assertThat(reason(() -> files.as(alice).completeUpload(complete(plan))))
        .isEqualTo(Reason.SIZE_MISMATCH);
  }

  @Test
  void aDeclaredTypeTheBytesContradictIsRefused() {
    long alice = newUser();
    byte[] jpeg = withHead(JPEG_HEAD, 3000);
    byte[] elf = withHead(new byte[] {0x7F, 'E', 'L', 'F'}, 3000);
    byte[] noise = random(3000);
    noise[0] = 'x';

    for (byte[] lie : new byte[][] {jpeg, elf, noise}) {
      CreateUploadResponse plan =
          files.as(alice).createUpload(upload(lie, "image/png", "cat.png").build());
      files.send(plan.getSingle().getPut(), lie);
      assertThat(reason(() -> files.as(alice).completeUpload(complete(plan))))
          .isEqualTo(Reason.TYPE_MISMATCH);
    }
    // An executable is no text file either; but application/octet-stream claims nothing.
    assertThat(reason(() -> uploadSmall(alice, elf, "text/plain", "readme.txt")))
        .isEqualTo(Reason.TYPE_MISMATCH);
    assertThat(uploadSmall(alice, elf, "application/octet-stream", "tool").getMimeType())
        .isEqualTo("application/octet-stream");
  }

  @Test
  void createUploadValidatesEverything() {
    long alice = newUser();
    byte[] content = random(100);
    dev.parley.proto.client.Error tooLarge =
        FileHarness.error(
            () ->
                files
                    .as(alice)
                    .createUpload(upload(content, "image/png", "a.png").setSize(60 * MIB).build()));
    assertThat(tooLarge.getReason()).isEqualTo(Reason.FILE_TOO_LARGE);
    assertThat(tooLarge.getCode()).isEqualTo(413);
    assertThat(
            reason(
                () ->
                    files
                        .as(alice)
                        .createUpload(
                            upload(content, "video/mp4", "a.mp4").setSize(2049 * MIB).build())))
        .isEqualTo(Reason.FILE_TOO_LARGE);
    assertThat(
            reason(
                () ->
                    files
                        .as(alice)
                        .createUpload(upload(content, "text/plain", "a").setSize(0).build())))
        .isEqualTo(Reason.INVALID_ARGUMENT);
    assertThat(
            reason(
                () -> files.as(alice).createUpload(upload(content, "image/png; x=1", "a").build())))
        .isEqualTo(Reason.INVALID_ARGUMENT);
    assertThat(
            reason(
                () ->
                    files
                        .as(alice)
                        .createUpload(
                            upload(content, "application/x-msdownload", "a.exe").build())))
        .isEqualTo(Reason.FILE_TYPE_NOT_ALLOWED);
    for (String name :
        new String[] {
          "", "../etc/passwd", "a\\b", "bell\u0007", "gpj\u202E.exe", "x".repeat(256)
        }) {
      assertThat(
              FileHarness.error(
                      () ->
                          files.as(alice).createUpload(upload(content, "text/plain", name).build()))
                  .getField())
          .as(name)
          .isEqualTo("name");
    }
    assertThat(
            FileHarness.error(
                    () ->
                        files
                            .as(alice)
                            .createUpload(
                                upload(content, "text/plain", "a")
                                    .setSha256(ByteString.copyFrom(new byte[31]))
                                    .build()))
                .getField())
        .isEqualTo("sha256");
    // The hex form works too.
    assertThat(
            files
                .as(alice)
                .createUpload(
                    upload(content, "text/plain", "a.txt")
                        .clearSha256()
                        .setSha256Hex(java.util.HexFormat.of().formatHex(sha256(content)))
                        .build())
                .getUploadId())
        .isNotEmpty();
  }

  @Test
  void someoneElsesUploadAndFileAreNotFound() {
    long alice = newUser();
    long mallory = newUser();
    byte[] content = random(500);
    CreateUploadResponse plan =
        files.as(alice).createUpload(upload(content, "application/octet-stream", "a.bin").build());
    files.send(plan.getSingle().getPut(), content);

    assertThat(reason(() -> files.as(mallory).getUploadParts(parts(plan))))
        .isEqualTo(Reason.NOT_FOUND);
    assertThat(reason(() -> files.as(mallory).completeUpload(complete(plan))))
        .isEqualTo(Reason.NOT_FOUND);
    FileInfo file = files.as(alice).completeUpload(complete(plan)).getFile();
    assertThat(
            reason(
                () ->
                    files
                        .as(mallory)
                        .getDownloadUrl(
                            GetDownloadUrlRequest.newBuilder()
                                .setFileId(file.getFileId())
                                .build())))
        .isEqualTo(Reason.NOT_FOUND);
    assertThat(
            reason(
                () ->
                    files
                        .as(mallory)
                        .getDownloadUrl(
                            GetDownloadUrlRequest.newBuilder().setFileId("123").build())))
        .isEqualTo(Reason.NOT_FOUND);
  }

  @Test
  void objectsAreEncryptedAtRestInTheEmbeddedStore() throws IOException {
    long alice = newUser();
    byte[] marker = ("PLAINTEXT-MARKER-" + System.nanoTime()).getBytes(StandardCharsets.UTF_8);
    byte[] content = new byte[4096];
    for (int i = 0; i < content.length; i += marker.length)
      System.arraycopy(marker, 0, content, i, Math.min(marker.length, content.length - i));

    uploadSmall(alice, content, "text/plain", "secret.txt");

    try (Stream<Path> all = Files.walk(files.objectsDir)) {
      assertThat(all.filter(Files::isRegularFile).toList())
          .isNotEmpty()
          .allSatisfy(p -> assertThat(contains(read(p), marker)).as(p.toString()).isFalse());
    }
  }

  private static byte[] read(Path p) {
    try {
      return Files.readAllBytes(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean contains(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) if (haystack[i + j] != needle[j]) continue outer;
      return true;
    }
    return false;
  }
}
