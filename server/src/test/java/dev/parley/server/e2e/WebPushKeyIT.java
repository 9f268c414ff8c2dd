package dev.parley.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.testkit.PostgresExtension;
import java.io.Reader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code GET /api/v1/push/web-push-key} (protocol §5.5) on a real node: the VAPID public key
 * browsers subscribe with, the one the push role signs with (here generated at first start into the
 * data directory), and a clear 404 on a node without Web Push.
 */
class WebPushKeyIT {
  @RegisterExtension static final PostgresExtension postgres = new PostgresExtension();

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static HttpResponse<String> getKey(TestNode node) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(node.baseUri() + "/api/v1/push/web-push-key")).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aNodeWithWebPushServesTheKeyItSignsWith() throws Exception {
    try (TestNode node =
        TestNode.start(
            postgres,
            Map.of(
                "push.providers.web-push.enabled", "true",
                "push.providers.web-push.subject", "mailto:ops@parley.test"))) {
      HttpResponse<String> r = getKey(node);
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
      Properties keys = new Properties();
      try (Reader in = Files.newBufferedReader(node.dataDir.resolve("keys/vapid.keys"))) {
        keys.load(in);
      }
      String publicKey = keys.getProperty("public-key");
      assertThat(publicKey).matches("[A-Za-z0-9_-]{87}"); // 65 bytes, base64url without padding
      assertThat(r.body()).isEqualTo("{\"publicKey\":\"" + publicKey + "\"}");
    }
  }

  @Test
  void aNodeWithoutWebPushAnswersNotFound() throws Exception {
    try (TestNode node = TestNode.start(postgres, Map.of())) {
      HttpResponse<String> r = getKey(node);
      assertThat(r.statusCode()).isEqualTo(404);
      assertThat(r.body())
          .contains("\"reason\":\"NOT_FOUND\"")
          .contains("Web Push is not configured on this server");
      assertThat(node.dataDir.resolve("keys/vapid.keys")).doesNotExist();
    }
  }
}
