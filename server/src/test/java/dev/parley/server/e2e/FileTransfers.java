package dev.parley.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.parley.client.Connection;
import dev.parley.client.Futures;
import dev.parley.proto.client.CompleteUploadRequest;
import dev.parley.proto.client.CreateUploadRequest;
import dev.parley.proto.client.CreateUploadResponse;
import dev.parley.proto.client.FileInfo;
import dev.parley.proto.client.GetDownloadUrlRequest;
import dev.parley.proto.client.PresignedRequest;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import javax.imageio.ImageIO;

/**
 * Test-only file transfers through the protocol: a small upload with its presigned PUT, and a
 * download by presigned GET, as any HTTP client performs them (the SDK's full upload API is
 * separate work).
 */
final class FileTransfers {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private FileTransfers() {}

  /** Uploads {@code bytes} in one PUT and completes the upload; returns the verified file. */
  static FileInfo upload(Connection c, byte[] bytes, String mimeType, String name) {
    CreateUploadResponse plan =
        Futures.await(
            c.createUpload(
                CreateUploadRequest.newBuilder()
                    .setSize(bytes.length)
                    .setMimeType(mimeType)
                    .setSha256(ByteString.copyFrom(sha256(bytes)))
                    .setName(name)
                    .build()));
    assertThat(plan.hasSingle()).as("a small file is one PUT").isTrue();
    HttpResponse<byte[]> put = http(plan.getSingle().getPut(), bytes);
    assertThat(put.statusCode()).as("PUT to the presigned URL").isEqualTo(200);
    return Futures.await(
            c.completeUpload(
                CompleteUploadRequest.newBuilder().setUploadId(plan.getUploadId()).build()))
        .getFile();
  }

  /** Asks for a download URL (throws ClientException when refused) and fetches the bytes. */
  static byte[] download(Connection c, String fileId) {
    return download(c, fileId, "");
  }

  /** The same for a variant ("" the original, "320" a thumbnail). */
  static byte[] download(Connection c, String fileId, String variant) {
    PresignedRequest get =
        Futures.await(
                c.getDownloadUrl(
                    GetDownloadUrlRequest.newBuilder()
                        .setFileId(fileId)
                        .setVariant(variant)
                        .build()))
            .getGet();
    HttpResponse<byte[]> got = http(get, new byte[0]);
    assertThat(got.statusCode()).as("GET of the presigned URL").isEqualTo(200);
    return got.body();
  }

  /** A real PNG of the given size. */
  static byte[] png(int width, int height) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++)
      for (int x = 0; x < width; x++) image.setRGB(x, y, (x * 4) << 16 | (y * 4) << 8 | 0x80);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static HttpResponse<byte[]> http(PresignedRequest p, byte[] body) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(p.getUrl()))
            .method(
                p.getMethod(),
                body.length == 0
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
    p.getHeadersMap().forEach(b::header);
    try {
      return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
