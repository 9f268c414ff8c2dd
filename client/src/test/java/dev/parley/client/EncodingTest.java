package dev.parley.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.proto.client.Error.Reason;
import dev.parley.proto.client.Event;
import dev.parley.proto.client.GetProfilesRequest;
import dev.parley.proto.client.Platform;
import dev.parley.proto.client.Request;
import dev.parley.proto.client.Response;
import dev.parley.proto.client.ServerFrame;
import dev.parley.proto.client.Session;
import dev.parley.proto.client.SessionAdded;
import dev.parley.proto.client.UpdateProfileRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class EncodingTest {

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void requestsRoundTrip(Encoding encoding) throws Exception {
    Request request =
        Request.newBuilder()
            .setRequestId(0xFFFF_FFFE) // above Integer.MAX_VALUE as an unsigned 32-bit value
            .setGetProfiles(
                GetProfilesRequest.newBuilder().addUserIds(Long.MAX_VALUE).addUserIds(1))
            .build();

    assertThat(encoding.merge(encoding.toBytes(request), Request.newBuilder()).build())
        .isEqualTo(request);
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void presentEmptyOptionalFieldsSurviveTheTrip(Encoding encoding) throws Exception {
    // "An empty username removes it": presence must not be lost in either encoding.
    Request request =
        Request.newBuilder()
            .setUpdateProfile(UpdateProfileRequest.newBuilder().setUsername(""))
            .build();

    Request decoded = encoding.merge(encoding.toBytes(request), Request.newBuilder()).build();

    assertThat(decoded.getUpdateProfile().hasUsername()).isTrue();
    assertThat(decoded.getUpdateProfile().hasDisplayName()).isFalse();
  }

  @ParameterizedTest
  @EnumSource(Encoding.class)
  void serverFramesRoundTrip(Encoding encoding) throws Exception {
    ServerFrame event =
        ServerFrame.newBuilder()
            .setEvent(
                Event.newBuilder()
                    .setSessionAdded(
                        SessionAdded.newBuilder()
                            .setSession(
                                Session.newBuilder()
                                    .setSessionId(-5)
                                    .setPlatform(Platform.PLATFORM_IOS)
                                    .setDeviceName("Ada's phone ✓"))))
            .build();
    ServerFrame error =
        ServerFrame.newBuilder()
            .setResponse(
                Response.newBuilder()
                    .setRequestId(3)
                    .setError(
                        FakeServer.error(429, Reason.RATE_LIMITED, "slow").toBuilder()
                            .setRetryAfterMs(1500)))
            .build();

    for (ServerFrame frame : new ServerFrame[] {event, error}) {
      assertThat(encoding.merge(encoding.toBytes(frame), ServerFrame.newBuilder()).build())
          .isEqualTo(frame);
    }
  }

  @Test
  void jsonIsCanonicalProto3() {
    Request request =
        Request.newBuilder()
            .setRequestId(5)
            .setGetProfiles(GetProfilesRequest.newBuilder().addUserIds(123))
            .build();

    assertThat(Encoding.toJson(request))
        .isEqualTo("{\"requestId\":5,\"getProfiles\":{\"userIds\":[\"123\"]}}");
  }

  @Test
  void jsonParsingIgnoresWhatThisClientDoesNotKnow() throws Exception {
    String json =
        "{\"response\":{\"requestId\":3,\"futureField\":{\"x\":1},"
            + "\"error\":{\"code\":418,\"reason\":\"SOME_FUTURE_REASON\"}}}";

    ServerFrame frame = Encoding.mergeJson(json, ServerFrame.newBuilder()).build();

    assertThat(frame.getResponse().getRequestId()).isEqualTo(3);
    assertThat(frame.getResponse().getError().getCode()).isEqualTo(418);
    assertThat(frame.getResponse().getError().getReason()).isEqualTo(Reason.REASON_UNSPECIFIED);
  }

  @Test
  void findsEncodingsBySubprotocolAndContentType() {
    assertThat(Encoding.forSubprotocol("parley.v2.json")).contains(Encoding.JSON);
    assertThat(Encoding.forSubprotocol("parley.v2.protobuf")).contains(Encoding.PROTOBUF);
    assertThat(Encoding.forSubprotocol("parley.v1.json"))
        .isEmpty(); // the gateway refuses version 1
    assertThat(Encoding.forSubprotocol("parley.v3.json")).isEmpty();
    assertThat(Encoding.forContentType("Application/JSON; charset=utf-8")).contains(Encoding.JSON);
    assertThat(Encoding.forContentType("application/x-protobuf")).contains(Encoding.PROTOBUF);
    assertThat(Encoding.forContentType("text/html")).isEmpty();
    assertThat(Encoding.JSON.textFrames()).isTrue();
    assertThat(Encoding.PROTOBUF.textFrames()).isFalse();
  }
}
