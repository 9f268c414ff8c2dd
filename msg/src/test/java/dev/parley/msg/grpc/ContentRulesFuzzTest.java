package dev.parley.msg.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.parley.common.error.ParleyException;
import dev.parley.msg.core.content.Content;
import dev.parley.proto.client.Error.Reason;
import dev.parley.proto.client.SendMessageRequest;
import dev.parley.proto.client.TextContent;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Supplier;

/**
 * Coverage-guided fuzzing of what clients may put into messages, group titles and friend-request
 * notes ({@link ContentRules}, {@link TextRules}).
 *
 * <p>Input layout (so that corpus files can be written by hand): byte 0 picks the target, the rest
 * is its input: 0 a serialized {@link SendMessageRequest} (protobuf drives the structure: text,
 * image or file content with all their fields), 1 the text of a text message, 2 a group title, 3 a
 * friend-request note, 4 a client_msg_id. Strings are the rest decoded as UTF-8 (malformed bytes
 * become U+FFFD, as protobuf does for string fields).
 *
 * <p>Properties: each call either accepts, and what it accepted obeys the documented rule, or
 * rejects with INVALID_ARGUMENT naming the field; no other exception ever escapes.
 */
class ContentRulesFuzzTest {
  private static final int MAX_TEXT = 4000;
  private final ContentRules rules = new ContentRules(MAX_TEXT);

  @FuzzTest(maxDuration = "20s")
  void validation(byte[] input) {
    if (input.length == 0) return;
    byte[] rest = Arrays.copyOfRange(input, 1, input.length);
    String s = new String(rest, StandardCharsets.UTF_8);
    switch (input[0] & 7) {
      case 0 -> request(rest);
      case 1 -> {
        SendMessageRequest r =
            SendMessageRequest.newBuilder().setText(TextContent.newBuilder().setText(s)).build();
        Content c = acceptedOrInvalid("text.text", () -> rules.content(r));
        if (c != null) assertThat(((Content.Text) c).text()).isEqualTo(s);
      }
      case 2 -> {
        String title = acceptedOrInvalid("title", () -> TextRules.title(s, "title"));
        if (title != null) {
          assertThat(title).isEqualTo(s.strip()).isNotEmpty();
          assertThat(title.codePointCount(0, title.length()))
              .isLessThanOrEqualTo(TextRules.MAX_TITLE);
          assertThat(title.codePoints().noneMatch(Character::isISOControl)).isTrue();
        }
      }
      case 3 -> {
        String note = acceptedOrInvalid("note", () -> TextRules.note(s, "note"));
        if (note != null) {
          assertThat(note).isEqualTo(s.strip());
          assertThat(note.codePointCount(0, note.length())).isLessThanOrEqualTo(TextRules.MAX_NOTE);
          assertThat(note.codePoints().noneMatch(c -> c != '\n' && Character.isISOControl(c)))
              .isTrue();
        }
      }
      case 4 -> {
        String id = acceptedOrInvalid("client_msg_id", () -> ContentRules.clientMsgId(s));
        if (id != null) assertThat(id).matches("[A-Za-z0-9._:-]{1,64}");
      }
      default -> {}
    }
  }

  private void request(byte[] bytes) {
    SendMessageRequest r;
    try {
      r = SendMessageRequest.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      return; // the gateway's decoder answers these (FrameCodecFuzzTest)
    }
    Content c = acceptedOrInvalid(null, () -> rules.content(r));
    if (c instanceof Content.Text t) {
      assertThat(t.text()).isNotBlank().doesNotContain("\0");
      assertThat(t.text().codePointCount(0, t.text().length())).isLessThanOrEqualTo(MAX_TEXT);
    } else if (c instanceof Content.Image i) {
      assertThat(i.fileId()).matches("[A-Za-z0-9_-]{1,128}");
      // What the client claims about the image is dropped: the server fills it in from the file.
      assertThat(i.width()).isZero();
      assertThat(i.mimeType()).isEmpty();
      assertThat(i.caption()).doesNotContain("\0");
    } else if (c instanceof Content.File f) {
      assertThat(f.fileId()).matches("[A-Za-z0-9_-]{1,128}");
      // Empty: the uploaded name, filled in by the server.
      if (!f.name().isEmpty()) assertThat(f.name()).isNotBlank().doesNotContain("/", "\\", "\0");
      assertThat(f.size()).isZero();
    }
  }

  /**
   * The value the rule accepted, or null when it rejected with INVALID_ARGUMENT for {@code field}
   * (any field when null). Any other outcome fails the test.
   */
  private static <T> T acceptedOrInvalid(String field, Supplier<T> rule) {
    try {
      return rule.get();
    } catch (ParleyException e) {
      assertThat(e.reason()).isEqualTo(Reason.INVALID_ARGUMENT);
      String named = e.toError().getField();
      if (field != null) assertThat(named).isEqualTo(field);
      else assertThat(named).isNotEmpty();
      return null;
    }
  }
}
