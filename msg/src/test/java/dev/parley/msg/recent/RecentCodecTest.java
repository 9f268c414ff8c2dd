package dev.parley.msg.recent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.msg.core.content.Content;
import dev.parley.msg.core.content.Extras;
import dev.parley.msg.crypto.ContentCipher;
import dev.parley.msg.store.Entry;
import dev.parley.msg.store.EntryKind;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecentCodecTest {
  private static final byte[] KEY_1 = filled(1);
  private static final byte[] KEY_2 = filled(2);
  private final RecentCodec codec = new RecentCodec(new ContentCipher(Map.of(1, KEY_1), 1));

  private static byte[] filled(int b) {
    byte[] key = new byte[32];
    Arrays.fill(key, (byte) b);
    return key;
  }

  private static Entry text(long conversation, long seq, String text) {
    return new Entry(
        conversation,
        seq,
        99,
        42,
        "client-1",
        EntryKind.TEXT,
        new Content.Text(text),
        0,
        Instant.parse("2025-03-04T05:06:07.123456Z"),
        null);
  }

  @Test
  void roundTripsAnEditedReplyWithMentions_andAnEditEntry() {
    Entry reply =
        text(7, 15, "@ann yes")
            .withExtras(
                Extras.of(
                    new Extras.Quote(12, 41, "hello", false),
                    List.of(new Extras.Mention(41, 0, 4))))
            .editedAt(
                new Content.Text("@ann yes!"),
                Extras.of(
                    new Extras.Quote(12, 41, "hello", false),
                    List.of(new Extras.Mention(41, 0, 4), new Extras.Mention(0, 5, 3))),
                Instant.parse("2025-03-04T05:07:00Z"));
    assertThat(codec.decode(7, codec.encode(reply, 14)).entry())
        .usingRecursiveComparison()
        .isEqualTo(reply);
    Entry edit =
        new Entry(
            7,
            16,
            102,
            42,
            null,
            EntryKind.EDIT,
            new Content.Edit(15, "@ann yes!"),
            15,
            Instant.EPOCH,
            null);
    assertThat(codec.decode(7, codec.encode(edit, 15)).entry())
        .usingRecursiveComparison()
        .isEqualTo(edit);
  }

  @Test
  void roundTripsEveryField() {
    Entry message = text(7, 12, "hello");
    RecentCodec.Decoded d = codec.decode(7, codec.encode(message, 11));
    assertThat(d.below()).isEqualTo(11);
    assertThat(d.entry()).usingRecursiveComparison().isEqualTo(message);

    Entry recalled =
        new Entry(
            7,
            13,
            100,
            43,
            null,
            EntryKind.IMAGE,
            null,
            0,
            Instant.EPOCH,
            Instant.parse("2025-03-04T05:06:08Z"));
    assertThat(codec.decode(7, codec.encode(recalled, -1)).entry())
        .usingRecursiveComparison()
        .isEqualTo(recalled);
    Entry recall =
        new Entry(
            7,
            14,
            101,
            43,
            null,
            EntryKind.RECALL,
            new Content.Recall(13),
            13,
            Instant.EPOCH,
            null);
    assertThat(codec.decode(7, codec.encode(recall, 13)).entry())
        .usingRecursiveComparison()
        .isEqualTo(recall);
  }

  @Test
  void holdsNoPlaintextAndTheSeqInClear() {
    byte[] element = codec.encode(text(7, 12, "the password is swordfish"), 11);
    assertThat(new String(element, StandardCharsets.ISO_8859_1))
        .doesNotContain("swordfish")
        .doesNotContain("client-1");
    assertThat(RecentCodec.seq(element)).isEqualTo(12);
  }

  @Test
  void decryptsOnlyAsTheEntryItWasWrittenFor() {
    byte[] element = codec.encode(text(7, 12, "hi"), 11);
    assertThatThrownBy(() -> codec.decode(8, element))
        .as("another conversation")
        .isInstanceOf(IllegalArgumentException.class);
    byte[] otherSeq = element.clone();
    otherSeq[8]++;
    assertThatThrownBy(() -> codec.decode(7, otherSeq))
        .as("moved to another seq")
        .isInstanceOf(IllegalArgumentException.class);
    byte[] flipped = element.clone();
    flipped[flipped.length - 1] ^= 1;
    assertThatThrownBy(() -> codec.decode(7, flipped)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> codec.decode(7, new byte[] {2, 0, 0}))
        .isInstanceOf(IllegalArgumentException.class);
    RecentCodec otherKeys = new RecentCodec(new ContentCipher(Map.of(2, KEY_2), 2));
    assertThatThrownBy(() -> otherKeys.decode(7, element))
        .as("a key this instance lacks")
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void belowCanBeChangedWithoutReencrypting() {
    byte[] element = codec.encode(text(7, 12, "hi"), 11);
    RecentCodec.Decoded d = codec.decode(7, RecentCodec.withBelow(element, RecentSnapshot.UNKNOWN));
    assertThat(d.below()).isEqualTo(RecentSnapshot.UNKNOWN);
    assertThat(d.entry().seq()).isEqualTo(12);
    assertThat(codec.decode(7, element).below()).as("the original is unchanged").isEqualTo(11);
  }

  @Test
  void aCachedElementIsNoTableRow() {
    ContentCipher cipher = new ContentCipher(Map.of(1, KEY_1), 1);
    byte[] element = codec.encode(text(7, 12, "hi"), 11);
    byte[] sealed = Arrays.copyOfRange(element, 19, element.length);
    assertThatThrownBy(() -> cipher.decrypt(1, sealed, 7, 12))
        .isInstanceOf(IllegalStateException.class);
  }
}
