package dev.parley.msg.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.msg.core.content.Content;
import dev.parley.msg.core.content.Extras;
import dev.parley.proto.store.StoredContent;
import dev.parley.proto.store.StoredImage;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the server fills into an image message survives storage; older rows still decode. */
class ContentCodecTest {

  @Test
  void anImageKeepsItsPreviewThumbnailsNoteAndAnimationFlag() {
    Content.Image image =
        new Content.Image(
            "7320114455667789",
            1280,
            960,
            482_113,
            "image/jpeg",
            "the view",
            new byte[] {(byte) 0xFF, (byte) 0xD8, 1, 2, 3},
            List.of(
                new Content.Thumbnail("320", 320, 240, 14_000),
                new Content.Thumbnail("1280", 1280, 960, 160_000)),
            "",
            true);

    Content.Image back = (Content.Image) ContentCodec.decode(ContentCodec.encode(image));

    assertThat(back.fileId()).isEqualTo("7320114455667789");
    assertThat(back.width()).isEqualTo(1280);
    assertThat(back.height()).isEqualTo(960);
    assertThat(back.size()).isEqualTo(482_113);
    assertThat(back.mimeType()).isEqualTo("image/jpeg");
    assertThat(back.caption()).isEqualTo("the view");
    assertThat(back.preview()).containsExactly(0xFF, 0xD8, 1, 2, 3);
    assertThat(back.thumbnails()).isEqualTo(image.thumbnails());
    assertThat(back.animated()).isTrue();
  }

  @Test
  void aForwardedCopyKeepsItsOrigin_andAHiddenSenderStaysHidden() {
    Extras.Forward origin = new Extras.Forward(41, 7319004400112233L, Instant.ofEpochMilli(1234));
    for (Extras.Forward f : List.of(origin, origin.hidden())) {
      ContentCodec.Decoded back =
          ContentCodec.decodeAll(
              ContentCodec.encode(new Content.Text("hi"), Extras.of(null, List.of(), f)));
      assertThat(back.extras().forward()).isEqualTo(f);
      assertThat(back.extras().quote()).isNull();
    }
    assertThat(origin.hidden().senderId()).isEqualTo(Extras.Forward.HIDDEN);
    // A message that is no forward decodes with none.
    assertThat(ContentCodec.decodeAll(ContentCodec.encode(new Content.Text("x"))).extras())
        .isEqualTo(Extras.NONE);
  }

  @Test
  void anImageStoredBeforeTheFilledInFieldsDecodesWithoutThem() {
    byte[] old =
        StoredContent.newBuilder()
            .setImage(
                StoredImage.newBuilder()
                    .setFileId("f1")
                    .setWidth(10)
                    .setHeight(20)
                    .setMimeType("image/png")
                    .setCaption("old"))
            .build()
            .toByteArray();

    Content.Image back = (Content.Image) ContentCodec.decode(old);

    assertThat(back.width()).isEqualTo(10);
    assertThat(back.caption()).isEqualTo("old");
    assertThat(back.preview()).isEmpty();
    assertThat(back.thumbnails()).isEmpty();
    assertThat(back.mediaNote()).isEmpty();
    assertThat(back.animated()).isFalse();
  }
}
