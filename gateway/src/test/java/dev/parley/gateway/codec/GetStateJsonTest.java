package dev.parley.gateway.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.proto.client.GetStateResponse;
import dev.parley.proto.client.Response;
import dev.parley.proto.client.ServerFrame;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * A new account's feed is at pts 0. Proto3 JSON omits default values, so without field presence a
 * client written from the docs read "no pts" and could not tell an empty feed from a missing
 * answer.
 */
class GetStateJsonTest {
  @Test
  void ptsZeroIsPrintedInJson() {
    ServerFrame frame =
        ServerFrame.newBuilder()
            .setResponse(
                Response.newBuilder()
                    .setRequestId(1)
                    .setGetState(GetStateResponse.newBuilder().setPts(0).setServerTimeMs(5)))
            .build();
    String json = new String(Encoding.JSON.toBytes(frame), StandardCharsets.UTF_8);
    assertThat(json).contains("\"pts\":\"0\"");
  }

  @Test
  void ptsSurvivesBothEncodingsWithItsPresence() throws Exception {
    GetStateResponse zero = GetStateResponse.newBuilder().setPts(0).build();
    assertThat(GetStateResponse.parseFrom(zero.toByteArray()).hasPts()).isTrue();
    assertThat(GetStateResponse.parseFrom(zero.toByteArray()).getPts()).isZero();
  }
}
