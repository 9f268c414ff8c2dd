package dev.parley.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;

/** A client given several gateways moves to the next one when its gateway dies. */
class FailoverTest extends FakeServerTest {

  @Test
  void reconnectsToTheNextAddressWhenTheCurrentOneDies() throws Exception {
    try (FakeServer other = new FakeServer()) {
      ParleyClient client = client(clientBuilder(Encoding.PROTOBUF).fallback(other.baseUri()));
      Credentials credentials = server.issue();
      other.validAccessTokens.add(
          credentials.accessToken()); // gateways of one cluster share the user service
      Connection connection = client.connect(credentials);
      connection.awaitState(Connection.State.READY, WAIT);
      assertThat(client.baseUri()).isEqualTo(server.baseUri());

      server.close(); // the first gateway dies
      connection.awaitState(Connection.State.READY, WAIT);
      org.awaitility.Awaitility.await().atMost(WAIT).until(() -> !other.sockets.isEmpty());
      assertThat(client.baseUri()).isEqualTo(other.baseUri());
      assertThat(Futures.await(connection.ping()).getServerTimeMs()).isPositive();
    }
  }

  @Test
  void addressesMustBeHttp() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> ParleyClient.builder(server.baseUri()).fallback(URI.create("ftp://example.com")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
