package dev.parley.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.bench.load.Payload;
import org.junit.jupiter.api.Test;

class PayloadTest {
  @Test
  void textIsPaddedToTheSizeAndParsesBack() {
    String text = Payload.text("run1", 7, 42, -123456789L, 128);
    assertThat(text).hasSize(128);
    assertThat(Payload.parse(text)).isEqualTo(new Payload.Tag("run1", 7, 42, -123456789L));
  }

  @Test
  void largePayloadAndShortOne() {
    assertThat(Payload.text("r", 1, 2, 3, 1024)).hasSize(1024);
    String small = Payload.text("r", 1, 2, 3, 4);
    assertThat(Payload.parse(small)).isEqualTo(new Payload.Tag("r", 1, 2, 3));
  }

  @Test
  void otherTextsAreNotOurs() {
    assertThat(Payload.parse("hello")).isNull();
    assertThat(Payload.parse("pb1 r x 2 3 ")).isNull();
  }

  @Test
  void clientMsgIdIsValidForTheServer() {
    assertThat(Payload.clientMsgId("abc123", 12, 345))
        .isEqualTo("abc123:12:345")
        .matches("[A-Za-z0-9._:-]{1,64}");
  }
}
