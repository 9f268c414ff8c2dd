package dev.parley.file.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The embedded store answers browsers: the web client PUTs a file's bytes to a presigned URL from
 * its own page (another origin than the store's), which a browser only does after a CORS preflight
 * the store accepts, and whose answer it only reads when the store allows the origin.
 */
class EmbeddedS3CorsIT {
  private static final String PAGE = "http://127.0.0.1:8080";
  private static final HttpClient http = HttpClient.newHttpClient();
  private static EmbeddedS3 anyOrigin;
  private static EmbeddedS3 oneOrigin;
  private static EmbeddedS3 noCors;

  @BeforeAll
  static void start() throws Exception {
    anyOrigin = start(List.of("*"));
    oneOrigin = start(List.of("https://chat.example.com"));
    noCors = start(List.of());
  }

  private static EmbeddedS3 start(List<String> origins) throws Exception {
    Path dir = Files.createTempDirectory("parley-cors-test");
    return EmbeddedS3.start(
        dir.resolve("objects"), dir.resolve("keys"), "127.0.0.1", 0, true, origins);
  }

  @AfterAll
  static void stop() {
    for (EmbeddedS3 s3 : List.of(anyOrigin, oneOrigin, noCors)) s3.close();
  }

  @Test
  void aPageMaySendAPresignedPutAndReadTheAnswer() throws Exception {
    try (S3ObjectStore store = store(anyOrigin)) {
      store.ensureBucket();
      HttpResponse<Void> preflight = preflight(anyOrigin, PAGE);
      assertThat(preflight.statusCode()).isEqualTo(200);
      assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).contains("*");
      assertThat(preflight.headers().firstValue("Access-Control-Allow-Methods").orElse(""))
          .contains("PUT");

      PresignedUrl put = store.presignPut("u/1", "image/png", Duration.ofMinutes(5));
      HttpRequest.Builder req =
          HttpRequest.newBuilder(put.url())
              .header("Origin", PAGE)
              .PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[] {1, 2, 3}));
      put.headers().forEach(req::header);
      HttpResponse<Void> answer = http.send(req.build(), HttpResponse.BodyHandlers.discarding());
      assertThat(answer.statusCode()).isEqualTo(200);
      assertThat(answer.headers().firstValue("Access-Control-Allow-Origin")).contains("*");
      assertThat(store.head("u/1")).isPresent();
    }
  }

  @Test
  void listedOriginsOnly() throws Exception {
    try (S3ObjectStore store = store(oneOrigin)) {
      store.ensureBucket();
      HttpResponse<Void> allowed = preflight(oneOrigin, "https://chat.example.com");
      assertThat(allowed.statusCode()).isEqualTo(200);
      assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin"))
          .contains("https://chat.example.com");
      HttpResponse<Void> other = preflight(oneOrigin, "https://chat.example.com.evil.test");
      assertThat(other.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }
  }

  @Test
  void noOriginsNoCors() throws Exception {
    try (S3ObjectStore store = store(noCors)) {
      store.ensureBucket();
      assertThat(preflight(noCors, PAGE).headers().firstValue("Access-Control-Allow-Origin"))
          .isEmpty();
    }
  }

  /** What a browser asks before a PUT with a Content-Type from another origin. */
  private static HttpResponse<Void> preflight(EmbeddedS3 s3, String origin) throws Exception {
    HttpRequest req =
        HttpRequest.newBuilder(URI.create(s3.endpoint() + "/parley/u/1"))
            .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
            .header("Origin", origin)
            .header("Access-Control-Request-Method", "PUT")
            .header("Access-Control-Request-Headers", "content-type")
            .build();
    return http.send(req, HttpResponse.BodyHandlers.discarding());
  }

  private static S3ObjectStore store(EmbeddedS3 s3) {
    return new S3ObjectStore(
        new S3Settings(
            s3.endpoint(),
            s3.endpoint(),
            "us-east-1",
            "parley",
            s3.accessKey(),
            s3.secretKey(),
            true,
            false));
  }
}
