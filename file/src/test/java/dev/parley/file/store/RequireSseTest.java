package dev.parley.file.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code file.s3.require-sse}: every write asks the store for server-side encryption (SSE-S3). The
 * embedded s3proxy refuses the header, so this checks the S3 requests themselves, as an S3 store
 * would receive them: a local HTTP server records what the service sends, and the presigned PUT a
 * client gets must sign the header, so that a client cannot upload without it.
 */
class RequireSseTest {
  private static final String SSE = "x-amz-server-side-encryption";

  /** Method, path and the SSE header of each request received. */
  record Received(String method, String path, String sse) {}

  private final List<Received> received = new CopyOnWriteArrayList<>();
  private HttpServer s3;

  @BeforeEach
  void start() throws IOException {
    s3 = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    s3.createContext(
        "/",
        exchange -> {
          try (exchange) {
            exchange.getRequestBody().readAllBytes();
            String sse = exchange.getRequestHeaders().getFirst(SSE);
            received.add(
                new Received(
                    exchange.getRequestMethod(),
                    exchange.getRequestURI().getPath(),
                    sse == null ? "" : sse));
            byte[] body =
                exchange.getRequestMethod().equals("POST")
                    ? ("<InitiateMultipartUploadResult><Bucket>media</Bucket><Key>u/big</Key>"
                            + "<UploadId>upload-1</UploadId></InitiateMultipartUploadResult>")
                        .getBytes(StandardCharsets.UTF_8)
                    : new byte[0];
            exchange.getResponseHeaders().set("ETag", "\"0123456789abcdef\"");
            exchange.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
            if (body.length > 0) exchange.getResponseBody().write(body);
          }
        });
    s3.start();
  }

  @AfterEach
  void stop() {
    s3.stop(0);
  }

  private S3ObjectStore store(boolean requireSse) {
    URI endpoint = URI.create("http://127.0.0.1:" + s3.getAddress().getPort());
    return new S3ObjectStore(
        new S3Settings(
            endpoint, endpoint, "us-east-1", "media", "access", "secret", true, requireSse));
  }

  @Test
  void withRequireSseEveryWriteAsksForAes256AndPresignedPutsSignTheHeader() {
    S3ObjectStore store = store(true);
    store.put("u/thumb.320", "image/jpeg", new byte[] {1, 2, 3});
    assertThat(store.createMultipart("u/big", "video/mp4")).isEqualTo("upload-1");
    assertThat(received)
        .containsExactly(
            new Received("PUT", "/media/u/thumb.320", "AES256"),
            new Received("POST", "/media/u/big", "AES256"));

    PresignedUrl put = store.presignPut("u/photo", "image/jpeg", Duration.ofMinutes(5));
    assertThat(put.headers()).containsEntry(SSE, "AES256");
    assertThat(signedHeaders(put)).contains(SSE);
  }

  @Test
  void withoutItNoWriteAsksForEncryption() {
    S3ObjectStore store = store(false);
    store.put("u/thumb.320", "image/jpeg", new byte[] {1, 2, 3});
    PresignedUrl put = store.presignPut("u/photo", "image/jpeg", Duration.ofMinutes(5));
    assertThat(received).extracting(Received::sse).containsOnly("");
    assertThat(put.headers()).doesNotContainKey(SSE);
  }

  /** The X-Amz-SignedHeaders of a presigned URL, lowercased. */
  private static List<String> signedHeaders(PresignedUrl url) {
    for (String pair : url.url().getRawQuery().split("&")) {
      String[] kv = pair.split("=", 2);
      if (kv[0].equals("X-Amz-SignedHeaders")) {
        return List.of(
            java.net.URLDecoder.decode(kv[1], StandardCharsets.UTF_8)
                .toLowerCase(Locale.ROOT)
                .split(";"));
      }
    }
    return List.of();
  }
}
