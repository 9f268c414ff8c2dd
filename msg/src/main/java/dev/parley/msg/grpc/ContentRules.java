package dev.parley.msg.grpc;

import dev.parley.common.error.ParleyException;
import dev.parley.msg.core.content.Content;
import dev.parley.msg.core.content.Editable;
import dev.parley.msg.core.content.Extras;
import dev.parley.proto.client.FileContent;
import dev.parley.proto.client.ImageContent;
import dev.parley.proto.client.Mention;
import dev.parley.proto.client.SendMessageRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Validates what a client may put into a message and turns it into domain content. Text: 1..max
 * code points, not blank, no NUL. Files and images: a file id of [A-Za-z0-9_-], bounded names and
 * captions; what the file is (type, size, dimensions) is the server's to fill in, not checked here.
 */
final class ContentRules {
  static final Pattern CLIENT_MSG_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
  private static final Pattern FILE_ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");
  private static final int MAX_CAPTION = Editable.MAX_CAPTION;
  static final int MAX_MENTIONS = 50;

  private final int maxTextLength;

  ContentRules(int maxTextLength) {
    this.maxTextLength = maxTextLength;
  }

  static String clientMsgId(String id) {
    if (!CLIENT_MSG_ID.matcher(id).matches()) {
      throw ParleyException.invalid(
          "client_msg_id", "client_msg_id must be 1..64 characters of [A-Za-z0-9._:-]");
    }
    return id;
  }

  Content content(SendMessageRequest r) {
    switch (r.getContentCase()) {
      case TEXT -> {
        text(r.getText().getText(), "text.text", maxTextLength, false);
        return new Content.Text(r.getText().getText());
      }
      case IMAGE -> {
        // Only the file and the caption are read: the server fills in the rest from the verified
        // file (MessageManager), whatever the client sent for it.
        ImageContent i = r.getImage();
        fileId(i.getFileId(), "image.file_id");
        text(i.getCaption(), "image.caption", MAX_CAPTION, true);
        return Content.Image.of(i.getFileId(), i.getCaption());
      }
      case FILE -> {
        // file_id, name (empty: the uploaded name) and caption; size and type come from the file.
        FileContent f = r.getFile();
        fileId(f.getFileId(), "file.file_id");
        if (!f.getName().isEmpty()) {
          text(f.getName(), "file.name", 255, false);
          if (f.getName().contains("/") || f.getName().contains("\\")) {
            throw ParleyException.invalid(
                "file.name", "file.name must not contain path separators");
          }
        }
        text(f.getCaption(), "file.caption", MAX_CAPTION, true);
        return new Content.File(f.getFileId(), f.getName(), 0, "", f.getCaption());
      }
      default ->
          throw ParleyException.invalid("content", "A message needs content: text, image or file");
    }
  }

  /**
   * The text of an edit, as far as it can be checked without its target: not blank unless empty (a
   * caption may be removed), no longer than a text, no NUL.
   */
  String editedText(String text) {
    text(text, "text", maxTextLength, true);
    return text;
  }

  /** A draft's text (design.md 13.3): as an edit's, empty meaning none. */
  String draftText(String text) {
    text(text, "text", maxTextLength, true);
    return text;
  }

  /**
   * Mentions of a text: at most {@link #MAX_MENTIONS}, each a non-empty range of UTF-16 code units
   * inside the text, in text order without overlaps; user ids valid (0 is @all). Who may be
   * mentioned is the log writer's to decide, under the conversation's lock.
   */
  static List<Extras.Mention> mentions(List<Mention> given, String text, String field) {
    if (given.isEmpty()) return List.of();
    if (given.size() > MAX_MENTIONS)
      throw ParleyException.invalid(field, "At most " + MAX_MENTIONS + " mentions");
    List<Extras.Mention> out = new ArrayList<>(given.size());
    long end = 0;
    for (Mention m : given) {
      if (m.getUserId() < 0) throw ParleyException.invalid(field, "Bad user id in a mention");
      long from = Integer.toUnsignedLong(m.getOffset());
      long to = from + Integer.toUnsignedLong(m.getLength());
      if (m.getLength() == 0 || from < end || to > text.length())
        throw ParleyException.invalid(
            field, "Mention ranges must lie inside the text, in order, without overlaps");
      end = to;
      out.add(new Extras.Mention(m.getUserId(), (int) from, (int) (to - from)));
    }
    return out;
  }

  private static void fileId(String id, String field) {
    if (!FILE_ID.matcher(id).matches())
      throw ParleyException.invalid(field, field + " must be 1..128 characters of [A-Za-z0-9_-]");
  }

  private static void text(String s, String field, int max, boolean optional) {
    if (s.isEmpty() && optional) return;
    if (s.isBlank()) throw ParleyException.invalid(field, field + " must not be empty");
    if (s.codePointCount(0, s.length()) > max)
      throw ParleyException.invalid(field, field + " is longer than " + max + " characters");
    if (s.indexOf('\0') >= 0)
      throw ParleyException.invalid(field, field + " must not contain NUL characters");
  }
}
