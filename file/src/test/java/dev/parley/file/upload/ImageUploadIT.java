package dev.parley.file.upload;

import static dev.parley.file.upload.FileHarness.complete;
import static dev.parley.file.upload.FileHarness.error;
import static dev.parley.file.upload.FileHarness.newUser;
import static dev.parley.file.upload.FileHarness.parts;
import static dev.parley.file.upload.FileHarness.reason;
import static dev.parley.file.upload.FileHarness.upload;
import static org.assertj.core.api.Assertions.assertThat;

import com.drew.imaging.ImageMetadataReader;
import com.drew.metadata.Metadata;
import com.drew.metadata.exif.ExifIFD0Directory;
import com.drew.metadata.exif.GpsDirectory;
import dev.parley.file.image.ImageConfig;
import dev.parley.file.image.ImageMediaProcessor;
import dev.parley.file.image.TestImages;
import dev.parley.proto.client.CompleteUploadRequest;
import dev.parley.proto.client.CreateUploadResponse;
import dev.parley.proto.client.Error.Reason;
import dev.parley.proto.client.FileInfo;
import dev.parley.proto.client.GetDownloadUrlRequest;
import dev.parley.proto.client.GetUploadPartsResponse;
import dev.parley.proto.client.PartUrl;
import dev.parley.proto.client.Thumbnail;
import dev.parley.testkit.PostgresExtension;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The image pipeline wired into upload completion (design.md 11.9), against a real S3 server and
 * PostgreSQL: thumbnails and the stripped original stored and recorded with the blob, served as
 * get_download_url variants, bombs refused with their objects deleted, no object left that belongs
 * to no blob.
 */
class ImageUploadIT {
  @RegisterExtension static final PostgresExtension postgres = new PostgresExtension();
  static ImageMediaProcessor images;
  static FileHarness files;

  @BeforeAll
  static void start() throws IOException {
    images =
        ImageMediaProcessor.start(
            ImageConfig.defaults(),
            Files.createTempDirectory("parley-image-test"),
            Clock.systemUTC());
    files = new FileHarness(postgres.database(), images);
  }

  @AfterAll
  static void stop() throws Exception {
    files.close();
    images.close();
  }

  /** create_upload, one PUT or every part, complete_upload. */
  static FileInfo uploadImage(long user, byte[] content, String mime, String name) {
    CreateUploadResponse plan = files.as(user).createUpload(upload(content, mime, name).build());
    send(user, plan, content);
    return files.as(user).completeUpload(complete(plan)).getFile();
  }

  static void send(long user, CreateUploadResponse plan, byte[] content) {
    if (plan.hasSingle()) {
      assertThat(files.send(plan.getSingle().getPut(), content)).isEqualTo(200);
      return;
    }
    GetUploadPartsResponse missing = files.as(user).getUploadParts(parts(plan));
    for (PartUrl p : missing.getMissingList())
      UploadIT.sendPartWith(files, p, content, plan.getMultipart().getPartSize());
  }

  static HttpResponse<byte[]> download(long user, FileInfo file, String variant) {
    return files.get(
        files
            .as(user)
            .getDownloadUrl(
                GetDownloadUrlRequest.newBuilder()
                    .setFileId(file.getFileId())
                    .setVariant(variant)
                    .build())
            .getGet());
  }

  static Metadata metadata(byte[] image) throws Exception {
    return ImageMetadataReader.readMetadata(new ByteArrayInputStream(image));
  }

  @Test
  void aPhotoGetsUprightThumbnailsAPreviewAndAnOriginalWithoutGps() throws Exception {
    long alice = newUser();
    // 2000 x 1000, left red, right blue, EXIF orientation 6 (turn clockwise) and a GPS latitude.
    byte[] photo =
        TestImages.withExif(
            TestImages.jpeg(TestImages.halves(2000, 1000, Color.RED, Color.BLUE)), 6);
    assertThat(metadata(photo).getFirstDirectoryOfType(GpsDirectory.class)).isNotNull();

    FileInfo file = uploadImage(alice, photo, "image/jpeg", "beach.jpg");

    assertThat(file.getMedia()).isEqualTo(FileInfo.MediaStatus.PROCESSED);
    assertThat(file.getWidth()).isEqualTo(1000);
    assertThat(file.getHeight()).isEqualTo(2000);
    assertThat(file.getAnimated()).isFalse();
    assertThat(file.getMediaNote()).isEmpty();
    assertThat(file.getPreview().size()).isBetween(100, 600);
    assertThat(file.getThumbnailsList())
        .extracting(Thumbnail::getVariant, Thumbnail::getWidth, Thumbnail::getHeight)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("320", 160, 320),
            org.assertj.core.groups.Tuple.tuple("1280", 640, 1280));

    HttpResponse<byte[]> small = download(alice, file, "320");
    assertThat(small.statusCode()).isEqualTo(200);
    assertThat(small.headers().firstValue("Content-Type")).hasValue("image/jpeg");
    assertThat(small.headers().firstValue("Content-Disposition")).hasValue("inline");
    assertThat(small.body()).hasSize((int) file.getThumbnails(0).getSize());
    BufferedImage thumb = ImageIO.read(new ByteArrayInputStream(small.body()));
    assertThat(thumb.getWidth()).isEqualTo(160);
    assertThat(thumb.getHeight()).isEqualTo(320);
    // Turned clockwise: the left (red) half is now on top.
    assertThat(new Color(thumb.getRGB(80, 40)).getRed()).isGreaterThan(200);
    assertThat(new Color(thumb.getRGB(80, 280)).getBlue()).isGreaterThan(200);
    assertThat(metadata(small.body()).getFirstDirectoryOfType(GpsDirectory.class)).isNull();
    assertThat(
            metadata(download(alice, file, "1280").body()).getDirectoriesOfType(GpsDirectory.class))
        .isEmpty();

    // The original served is the lossless copy without GPS; it keeps its orientation so that it
    // still displays upright.
    byte[] original = download(alice, file, "").body();
    Metadata served = metadata(original);
    assertThat(served.getFirstDirectoryOfType(GpsDirectory.class)).isNull();
    assertThat(served.getFirstDirectoryOfType(ExifIFD0Directory.class).getInt(0x0112)).isEqualTo(6);
    assertThat(original.length).isLessThan(photo.length);
    assertNoOrphanObjects();
  }

  @Test
  void variantsThatAreNoSlotAreInvalidAndSlotsTheFileLacksAreNotFound() {
    long alice = newUser();
    byte[] small = TestImages.jpeg(TestImages.halves(300, 200, Color.RED, Color.BLUE));
    FileInfo file = uploadImage(alice, small, "image/jpeg", "small.jpg");
    // A 300 x 200 picture fits slot 320 whole: no larger slot.
    assertThat(file.getThumbnailsList()).extracting(Thumbnail::getVariant).containsExactly("320");

    for (String invalid : List.of("abc", "0320", "original", "99999", "../u/1")) {
      var e =
          error(
              () ->
                  files
                      .as(alice)
                      .getDownloadUrl(
                          GetDownloadUrlRequest.newBuilder()
                              .setFileId(file.getFileId())
                              .setVariant(invalid)
                              .build()));
      assertThat(e.getReason()).as(invalid).isEqualTo(Reason.INVALID_ARGUMENT);
      assertThat(e.getField()).isEqualTo("variant");
    }
    assertThat(reason(() -> download(alice, file, "1280"))).isEqualTo(Reason.NOT_FOUND);
    assertThat(reason(() -> download(alice, file, "640"))).isEqualTo(Reason.NOT_FOUND);
    // Not the uploader: NOT_FOUND whatever the variant.
    assertThat(reason(() -> download(newUser(), file, "320"))).isEqualTo(Reason.NOT_FOUND);
  }

  @Test
  void aDecompressionBombIsRefusedAtCompletionAndItsObjectDeleted() {
    long alice = newUser();
    // 100,000 x 100,000 pixels claimed by 45 bytes.
    byte[] bomb = TestImages.pngHeaderOnly(100_000, 100_000);
    CreateUploadResponse plan =
        files.as(alice).createUpload(upload(bomb, "image/png", "bomb.png").build());
    send(alice, plan, bomb);
    CompleteUploadRequest complete = complete(plan);

    var refused = error(() -> files.as(alice).completeUpload(complete));
    assertThat(refused.getReason()).isEqualTo(Reason.IMAGE_REJECTED);
    assertThat(refused.getMessage()).startsWith("image_too_many_pixels");
    // Remembered: completing again answers the same.
    assertThat(reason(() -> files.as(alice).completeUpload(complete)))
        .isEqualTo(Reason.IMAGE_REJECTED);
    assertThat(files.store.list("u/" + plan.getUploadId())).isEmpty();
    assertNoOrphanObjects();
  }

  @Test
  void aLyingMimeTypeIsStillRefusedBeforeAnyImageWork() {
    long alice = newUser();
    byte[] jpeg = TestImages.jpeg(TestImages.halves(64, 64, Color.RED, Color.BLUE));
    CreateUploadResponse plan =
        files.as(alice).createUpload(upload(jpeg, "image/png", "not-a.png").build());
    send(alice, plan, jpeg);

    assertThat(reason(() -> files.as(alice).completeUpload(complete(plan))))
        .isEqualTo(Reason.TYPE_MISMATCH);
    assertThat(files.store.list("u/" + plan.getUploadId())).isEmpty();
  }

  @Test
  void aMultipartImageOfSeveralMebibytesIsProcessed() {
    long alice = newUser();
    // Noise does not compress: 1,600 x 1,600 RGB is a PNG of about 7.3 MiB, two 5 MiB parts.
    BufferedImage noise = new BufferedImage(1600, 1600, BufferedImage.TYPE_INT_RGB);
    Random random = new Random(7);
    for (int y = 0; y < 1600; y++)
      for (int x = 0; x < 1600; x++) noise.setRGB(x, y, random.nextInt(1 << 24));
    byte[] png = TestImages.encode(noise, "png");
    CreateUploadResponse plan =
        files.as(alice).createUpload(upload(png, "image/png", "noise.png").build());
    assertThat(plan.getMultipart().getPartCount()).isEqualTo(2);
    send(alice, plan, png);

    FileInfo file = files.as(alice).completeUpload(complete(plan)).getFile();

    assertThat(file.getSize()).isEqualTo(png.length);
    assertThat(file.getMedia()).isEqualTo(FileInfo.MediaStatus.PROCESSED);
    assertThat(file.getWidth()).isEqualTo(1600);
    assertThat(file.getThumbnailsList())
        .extracting(Thumbnail::getVariant)
        .containsExactly("320", "1280");
    // A PNG without metadata has no stripped copy: the original served is the upload itself.
    assertThat(download(alice, file, "").body()).isEqualTo(png);
    assertNoOrphanObjects();
  }

  @Test
  void twoUploadsOfOneNewImageCompletingTogetherLeaveOneSetOfThumbnails() throws Exception {
    long alice = newUser();
    long bob = newUser();
    byte[] photo =
        TestImages.withExif(
            TestImages.jpeg(TestImages.halves(900, 600, Color.GREEN, Color.BLUE)), 1);
    CreateUploadResponse a =
        files.as(alice).createUpload(upload(photo, "image/jpeg", "a.jpg").build());
    CreateUploadResponse b =
        files.as(bob).createUpload(upload(photo, "image/jpeg", "b.jpg").build());
    send(alice, a, photo);
    send(bob, b, photo);

    CountDownLatch go = new CountDownLatch(1);
    CompletableFuture<FileInfo> fa =
        CompletableFuture.supplyAsync(
            () -> {
              await(go);
              return files.as(alice).completeUpload(complete(a)).getFile();
            });
    CompletableFuture<FileInfo> fb =
        CompletableFuture.supplyAsync(
            () -> {
              await(go);
              return files.as(bob).completeUpload(complete(b)).getFile();
            });
    go.countDown();
    FileInfo fileA = fa.get();
    FileInfo fileB = fb.get();

    // Whichever won, both files show the winner's thumbnails, and the loser's are gone.
    assertThat(fileB.getThumbnailsList()).isEqualTo(fileA.getThumbnailsList());
    assertThat(fileA.getThumbnailsList()).isNotEmpty();
    List<String> left = new ArrayList<>(files.store.list("u/" + a.getUploadId()));
    left.addAll(files.store.list("u/" + b.getUploadId()));
    // One original, its stripped copy, two thumbnails.
    assertThat(left).hasSize(4);
    assertNoOrphanObjects();
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Every object in the store is a blob's, a blob's derived object, or belongs to an upload still
   * in progress (its object and, while it completes, objects under its key's prefix).
   */
  static void assertNoOrphanObjects() {
    OrphanCheck.assertNone(files.store, postgres.database().jdbi());
  }
}
