package dev.parley.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.ByteString;
import dev.parley.client.ClientException;
import dev.parley.client.Connection;
import dev.parley.client.Futures;
import dev.parley.file.store.EmbeddedS3;
import dev.parley.proto.client.CompleteUploadRequest;
import dev.parley.proto.client.CreateUploadRequest;
import dev.parley.proto.client.CreateUploadResponse;
import dev.parley.proto.client.Error.Reason;
import dev.parley.proto.client.FileInfo;
import dev.parley.proto.client.GetDownloadUrlRequest;
import dev.parley.proto.client.PresignedRequest;
import dev.parley.proto.client.Thumbnail;
import dev.parley.proto.client.UpdateProfileRequest;
import dev.parley.testkit.KafkaExtension;
import dev.parley.testkit.PostgresExtension;
import dev.parley.testkit.RedisExtension;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 10 item 11: files in cluster mode. The msg role hosts the file service against an
 * S3-compatible store of its own (s3proxy, as scripts/cluster-local.sh runs it through S3Main); a
 * client on gateway-1 uploads a photo with presigned URLs and completes it, msg verifies it and
 * makes thumbnails, and the same user on gateway-2 downloads the original and a thumbnail. The
 * photo then becomes an avatar, which the user role checks and references through msg's file
 * service, and another user downloads it.
 */
class ClusterFilesIT {
  @RegisterExtension static final PostgresExtension postgres = new PostgresExtension();
  @RegisterExtension static final RedisExtension redis = new RedisExtension();
  @RegisterExtension static final KafkaExtension kafka = new KafkaExtension();
  static EmbeddedS3 s3;
  static ClusterHarness cluster;
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void startCluster() throws IOException {
    Path dir = Files.createTempDirectory("parley-cluster-s3");
    s3 =
        EmbeddedS3.start(
            dir.resolve("objects"), dir.resolve("keys"), "127.0.0.1", 0, true, List.of());
    cluster =
        ClusterHarness.start(
            "ClusterFilesIT",
            postgres,
            redis,
            kafka.broker(),
            Map.of(
                "PARLEY_FILE_S3_ENDPOINT", s3.endpoint().toString(),
                "PARLEY_FILE_S3_ACCESS_KEY", s3.accessKey(),
                "PARLEY_FILE_S3_SECRET_KEY", s3.secretKey()));
  }

  @AfterAll
  static void stop() {
    if (cluster != null) cluster.close();
    if (s3 != null) s3.close();
  }

  @Test
  void aPhotoUploadedThroughOneGatewayIsDownloadedWithItsThumbnailThroughTheOther()
      throws Exception {
    byte[] photo = photo(1600, 1200);
    try (Cast cast = new Cast(cluster, "files")) {
      Connection up = cast.device("a1").connection; // gateway-1
      Connection down = cast.device("a2").connection; // gateway-2

      CreateUploadResponse plan =
          Futures.await(
              up.createUpload(
                  CreateUploadRequest.newBuilder()
                      .setSize(photo.length)
                      .setMimeType("image/jpeg")
                      .setSha256(ByteString.copyFrom(sha256(photo)))
                      .setName("harbour.jpg")
                      .build()));
      assertThat(send(plan.getSingle().getPut(), photo).statusCode()).isEqualTo(200);
      FileInfo file =
          Futures.await(
                  up.completeUpload(
                      CompleteUploadRequest.newBuilder().setUploadId(plan.getUploadId()).build()))
              .getFile();

      assertThat(file.getMedia()).isEqualTo(FileInfo.MediaStatus.PROCESSED);
      assertThat(file.getWidth()).isEqualTo(1600);
      assertThat(file.getHeight()).isEqualTo(1200);
      assertThat(file.getPreview().size()).isPositive();
      assertThat(file.getThumbnailsList())
          .extracting(Thumbnail::getVariant)
          .containsExactly("320", "1280");

      HttpResponse<byte[]> original = get(downloadUrl(down, file, ""));
      assertThat(original.statusCode()).isEqualTo(200);
      assertThat(original.body()).isEqualTo(photo);
      HttpResponse<byte[]> thumb = get(downloadUrl(down, file, "320"));
      assertThat(thumb.statusCode()).isEqualTo(200);
      BufferedImage small = ImageIO.read(new ByteArrayInputStream(thumb.body()));
      assertThat(small.getWidth()).isEqualTo(320);
      assertThat(small.getHeight()).isEqualTo(240);

      // The photo becomes a's avatar: the user role asks msg's file service over gRPC to check
      // and reference it (TakeAvatar, ReleaseAvatars), and b, who sees a's profile, may fetch it.
      Connection other = cast.device("b2").connection;
      long a = cast.device("a1").userId();
      assertThat(
              Futures.await(
                      down.updateProfile(
                          UpdateProfileRequest.newBuilder()
                              .setAvatarFileId(file.getFileId())
                              .build()))
                  .getProfile()
                  .getAvatarFileId())
          .isEqualTo(file.getFileId());
      assertThat(Futures.await(other.getProfiles(List.of(a))).getProfiles(0).getAvatarFileId())
          .isEqualTo(file.getFileId());
      assertThat(get(downloadUrl(other, file, "320")).body()).isEqualTo(thumb.body());
      assertThat(avatarRefs(a)).isEqualTo(1);
      // A file that is not an image is refused by the file service, and the refusal reaches the
      // client unchanged through the user role.
      FileInfo text = uploadText(up);
      ClientException refused =
          assertThrows(
              ClientException.class,
              () ->
                  Futures.await(
                      down.updateProfile(
                          UpdateProfileRequest.newBuilder()
                              .setAvatarFileId(text.getFileId())
                              .build())));
      assertThat(refused.reason()).isEqualTo(Reason.INVALID_ARGUMENT);
      assertThat(refused.error().getField()).isEqualTo("avatar_file_id");
      // Clearing releases the reference.
      Futures.await(
          down.updateProfile(UpdateProfileRequest.newBuilder().setAvatarFileId("").build()));
      assertThat(avatarRefs(a)).isZero();
    }
  }

  private FileInfo uploadText(Connection c) throws Exception {
    byte[] bytes = "not a picture\n".getBytes(StandardCharsets.UTF_8);
    CreateUploadResponse plan =
        Futures.await(
            c.createUpload(
                CreateUploadRequest.newBuilder()
                    .setSize(bytes.length)
                    .setMimeType("text/plain")
                    .setSha256(ByteString.copyFrom(sha256(bytes)))
                    .setName("note.txt")
                    .build()));
    assertThat(send(plan.getSingle().getPut(), bytes).statusCode()).isEqualTo(200);
    return Futures.await(
            c.completeUpload(
                CompleteUploadRequest.newBuilder().setUploadId(plan.getUploadId()).build()))
        .getFile();
  }

  private static int avatarRefs(long userId) {
    return postgres
        .database()
        .jdbi()
        .withHandle(
            h ->
                h.createQuery("SELECT count(*) FROM file.refs WHERE avatar_user_id = :u")
                    .bind("u", userId)
                    .mapTo(Integer.class)
                    .one());
  }

  private static PresignedRequest downloadUrl(Connection c, FileInfo file, String variant) {
    return Futures.await(
            c.getDownloadUrl(
                GetDownloadUrlRequest.newBuilder()
                    .setFileId(file.getFileId())
                    .setVariant(variant)
                    .build()))
        .getGet();
  }

  private HttpResponse<byte[]> get(PresignedRequest p) throws Exception {
    return send(p, HttpRequest.BodyPublishers.noBody());
  }

  private HttpResponse<byte[]> send(PresignedRequest p, byte[] body) throws Exception {
    return send(p, HttpRequest.BodyPublishers.ofByteArray(body));
  }

  private HttpResponse<byte[]> send(PresignedRequest p, HttpRequest.BodyPublisher body)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(p.getUrl())).method(p.getMethod(), body);
    p.getHeadersMap().forEach(b::header);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  /** A JPEG without metadata: its download is the upload itself. */
  private static byte[] photo(int width, int height) throws IOException {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setColor(Color.CYAN);
    g.fillRect(0, 0, width, height);
    g.setColor(Color.DARK_GRAY);
    g.fillOval(width / 4, height / 4, width / 2, height / 2);
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "jpg", out);
    return out.toByteArray();
  }

  private static byte[] sha256(byte[] content) throws Exception {
    return MessageDigest.getInstance("SHA-256").digest(content);
  }
}
