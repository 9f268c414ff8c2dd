package dev.parley.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.parley.client.Credentials;
import dev.parley.client.Encoding;
import dev.parley.client.ParleyClient;
import dev.parley.proto.client.AuthenticateRequest;
import dev.parley.proto.client.CompleteUploadRequest;
import dev.parley.proto.client.CreateUploadRequest;
import dev.parley.proto.client.CreateUploadResponse;
import dev.parley.proto.client.FileInfo;
import dev.parley.proto.client.GetDownloadUrlRequest;
import dev.parley.proto.client.PresignedRequest;
import dev.parley.proto.client.Request;
import dev.parley.proto.client.Response;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Files through the single node's production wiring: the gateway routes the file operations to the
 * file service, the bytes go to the embedded (encrypted) S3 server, and survive a restart.
 */
class FilesIT {
  @RegisterExtension
  static final dev.parley.testkit.PostgresExtension postgres =
      new dev.parley.testkit.PostgresExtension();

  static TestNode node;
  static Credentials alice;
  static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    node = TestNode.start(postgres, Map.of());
    ParleyClient client = node.client(Encoding.JSON);
    alice =
        new DevCodes(node.dataDir).register(client, DevCodes.uniqueEmail("alice"), "Alice", "a");
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  private static RawSocket socket() {
    RawSocket s = RawSocket.open(node.port(), RawSocket.JSON);
    s.send(
        Request.newBuilder()
            .setRequestId(1)
            .setAuthenticate(AuthenticateRequest.newBuilder().setAccessToken(alice.accessToken()))
            .build());
    assertThat(s.nextResponse().hasAuthenticate()).isTrue();
    return s;
  }

  private static Response call(RawSocket s, Request.Builder r) {
    s.send(r.setRequestId(7).build());
    Response response = s.nextResponse();
    assertThat(response.hasError()).as(response.toString()).isFalse();
    return response;
  }

  @Test
  void uploadThroughTheGatewayAndDownloadAfterARestart() throws Exception {
    byte[] content = "%PDF-1.7\n% a tiny pdf\n".getBytes(StandardCharsets.US_ASCII);
    FileInfo file;
    try (RawSocket s = socket()) {
      CreateUploadResponse plan =
          call(
                  s,
                  Request.newBuilder()
                      .setCreateUpload(
                          CreateUploadRequest.newBuilder()
                              .setSize(content.length)
                              .setMimeType("application/pdf")
                              .setSha256(
                                  ByteString.copyFrom(
                                      MessageDigest.getInstance("SHA-256").digest(content)))
                              .setName("report.pdf")))
              .getCreateUpload();
      assertThat(send(plan.getSingle().getPut(), content).statusCode()).isEqualTo(200);
      file =
          call(
                  s,
                  Request.newBuilder()
                      .setCompleteUpload(
                          CompleteUploadRequest.newBuilder().setUploadId(plan.getUploadId())))
              .getCompleteUpload()
              .getFile();
      assertThat(file.getMimeType()).isEqualTo("application/pdf");
    }

    node.restart();

    try (RawSocket s = socket()) {
      PresignedRequest get =
          call(
                  s,
                  Request.newBuilder()
                      .setGetDownloadUrl(
                          GetDownloadUrlRequest.newBuilder().setFileId(file.getFileId())))
              .getGetDownloadUrl()
              .getGet();
      HttpResponse<byte[]> got = send(get, new byte[0]);
      assertThat(got.statusCode()).isEqualTo(200);
      assertThat(got.body()).isEqualTo(content);
    }
  }

  private static HttpResponse<byte[]> send(PresignedRequest p, byte[] body)
      throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(p.getUrl()))
            .method(
                p.getMethod(),
                body.length == 0
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
    p.getHeadersMap().forEach(b::header);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }
}
