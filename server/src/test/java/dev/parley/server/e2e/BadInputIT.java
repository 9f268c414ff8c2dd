package dev.parley.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.parley.client.Credentials;
import dev.parley.client.Encoding;
import dev.parley.client.ParleyClient;
import dev.parley.proto.client.AuthenticateRequest;
import dev.parley.proto.client.Error.Reason;
import dev.parley.proto.client.GetAccountRequest;
import dev.parley.proto.client.LookupUserRequest;
import dev.parley.proto.client.PingRequest;
import dev.parley.proto.client.Request;
import dev.parley.proto.client.Response;
import dev.parley.proto.client.RevokeSessionRequest;
import dev.parley.proto.client.UpdateProfileRequest;
import dev.parley.testkit.PostgresExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every kind of bad input through a raw WebSocket: each gets an error frame or a clean close,
 * nothing else is affected, and the server stays healthy for every other connection.
 */
class BadInputIT {
  @RegisterExtension static final PostgresExtension postgres = new PostgresExtension();

  @RegisterExtension
  static final GreenMailExtension mail =
      new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort())
          .withConfiguration(GreenMailConfiguration.aConfig().withDisabledAuthentication())
          .withPerMethodLifecycle(false);

  private static TestNode node;
  private static Credentials alice;

  @BeforeAll
  static void start() {
    node =
        TestNode.start(
            postgres,
            Map.of(
                "gateway.auth-timeout", "1s",
                "user.mail.mode", "smtp",
                "user.mail.smtp.host", "127.0.0.1",
                "user.mail.smtp.port", Integer.toString(mail.getSmtp().getPort()),
                "user.mail.smtp.security", "none"));
    ParleyClient client = node.client(Encoding.JSON);
    alice = Users.register(client, new MailCodes(mail), "alice@example.com", "Alice", "laptop");
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  private static RawSocket authenticated(String subprotocol) {
    RawSocket s = RawSocket.open(node.port(), subprotocol);
    s.send(
        Request.newBuilder()
            .setRequestId(1)
            .setAuthenticate(AuthenticateRequest.newBuilder().setAccessToken(alice.accessToken()))
            .build());
    Response r = s.nextResponse();
    assertThat(r.hasAuthenticate()).as("authenticated: %s", r).isTrue();
    return s;
  }

  private static void assertStillServes(RawSocket s) {
    s.send(
        Request.newBuilder().setRequestId(999).setPing(PingRequest.getDefaultInstance()).build());
    Response r = s.nextResponse();
    assertThat(r.getRequestId()).isEqualTo(999);
    assertThat(r.hasPing()).isTrue();
  }

  @Test
  void requestsBeforeAuthenticationAreRefusedButPingWorks() {
    try (RawSocket s = RawSocket.open(node.port(), RawSocket.JSON)) {
      s.send(
          Request.newBuilder()
              .setRequestId(3)
              .setGetAccount(GetAccountRequest.getDefaultInstance())
              .build());
      Response r = s.nextResponse();
      assertThat(r.getRequestId()).isEqualTo(3);
      assertThat(r.getError().getReason()).isEqualTo(Reason.UNAUTHENTICATED);
      assertStillServes(s);
    }
  }

  @Test
  void noAuthenticationInTimeClosesWith4001() {
    try (RawSocket s = RawSocket.open(node.port(), RawSocket.PROTOBUF)) {
      assertThat(s.awaitClose()).isEqualTo(4001);
    }
  }

  @Test
  void aBadTokenGetsAnErrorThenA4001Close() {
    try (RawSocket s = RawSocket.open(node.port(), RawSocket.JSON)) {
      s.sendText("{\"requestId\":1,\"authenticate\":{\"accessToken\":\"forged.token\"}}");
      assertThat(s.nextResponse().getError().getReason()).isEqualTo(Reason.UNAUTHENTICATED);
      assertThat(s.awaitClose()).isEqualTo(4001);
    }
  }

  @Test
  void garbageBytesInvalidJsonAndWrongFrameTypesGetBadRequest() {
    try (RawSocket s = authenticated(RawSocket.PROTOBUF)) {
      byte[] garbage = new byte[200];
      new Random(42).nextBytes(garbage);
      s.sendBinary(garbage);
      assertThat(s.nextResponse().getError().getReason()).isEqualTo(Reason.BAD_REQUEST);
      s.sendText("{\"requestId\":2,\"ping\":{}}"); // text on a protobuf connection
      assertThat(s.nextResponse().getError().getReason()).isEqualTo(Reason.BAD_REQUEST);
      // A protobuf string field holding invalid UTF-8: field 32 (update_profile) > field 1
      // (display_name).
      byte[] badUtf8 = {0x08, 0x07, (byte) 0x82, 0x02, 0x04, 0x0a, 0x02, (byte) 0xc3, (byte) 0x28};
      s.sendBinary(badUtf8);
      assertThat(s.nextResponse().getError().getReason()).isEqualTo(Reason.BAD_REQUEST);
      assertStillServes(s);
    }
    try (RawSocket s = authenticated(RawSocket.JSON)) {
      s.sendText("{\"requestId\": 2, \"ping\": ");
      assertThat(s.nextResponse().getError().getReason()).isEqualTo(Reason.BAD_REQUEST);
      s.sendText("[1,2,3]");
      assertThat(s.nextResponse().getError().getReason()).isEqualTo(Reason.BAD_REQUEST);
      s.sendText("{\"requestId\": \"not a number\"}");
      assertThat(s.nextResponse().getError().getReason()).isEqualTo(Reason.BAD_REQUEST);
      s.sendBinary(new byte[] {1, 2, 3}); // binary on a JSON connection
      assertThat(s.nextResponse().getError().getReason()).isEqualTo(Reason.BAD_REQUEST);
      assertStillServes(s);
    }
  }

  @Test
  void unknownOperationsAndMissingOrInvalidFieldsGetClearErrors() {
    try (RawSocket s = authenticated(RawSocket.JSON)) {
      s.sendText("{\"requestId\": 7, \"launchRockets\": {}}");
      Response unknown = s.nextResponse();
      assertThat(unknown.getRequestId()).isEqualTo(7);
      assertThat(unknown.getError().getReason()).isEqualTo(Reason.UNKNOWN_OPERATION);

      s.send(
          Request.newBuilder()
              .setRequestId(8)
              .setLookupUser(LookupUserRequest.getDefaultInstance())
              .build());
      assertThat(s.nextResponse().getError().getReason()).isEqualTo(Reason.INVALID_ARGUMENT);

      s.send(
          Request.newBuilder()
              .setRequestId(9)
              .setUpdateProfile(UpdateProfileRequest.newBuilder().setDisplayName("   "))
              .build());
      Response blank = s.nextResponse();
      assertThat(blank.getError().getReason()).isEqualTo(Reason.INVALID_ARGUMENT);
      assertThat(blank.getError().getField()).isEqualTo("display_name");

      s.send(
          Request.newBuilder()
              .setRequestId(10)
              .setUpdateProfile(UpdateProfileRequest.newBuilder().setDisplayName("x".repeat(65)))
              .build());
      assertThat(s.nextResponse().getError().getReason()).isEqualTo(Reason.INVALID_ARGUMENT);

      s.send(
          Request.newBuilder()
              .setRequestId(11)
              .setRevokeSession(RevokeSessionRequest.newBuilder().setSessionId(-5))
              .build());
      assertThat(s.nextResponse().getError().getReason())
          .isIn(Reason.NOT_FOUND, Reason.INVALID_ARGUMENT);
      assertStillServes(s);
    }
  }

  @Test
  void oversizeFramesCloseOnlyThatConnection() throws Exception {
    try (RawSocket bystander = authenticated(RawSocket.PROTOBUF);
        RawSocket s = authenticated(RawSocket.JSON)) {
      char[] big = new char[70_000];
      Arrays.fill(big, 'a');
      s.sendText("{\"requestId\":5,\"lookupUser\":{\"username\":\"" + new String(big) + "\"}}");
      assertThat(s.awaitClose()).isEqualTo(1009);
      assertStillServes(bystander);
    }
    HttpResponse<String> health =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + "/healthz"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(health.statusCode()).isEqualTo(200);
  }

  @Test
  void aStreamOfBadFramesEndsWith4004() {
    try (RawSocket s = authenticated(RawSocket.JSON)) {
      for (int i = 0; i < 10; i++) s.sendText("not json " + i);
      assertThat(s.awaitClose()).isEqualTo(4004);
    }
  }
}
