package dev.parley.msg.grpc;

import dev.parley.common.error.ParleyException;
import dev.parley.msg.core.content.Content;
import dev.parley.proto.client.FileContent;
import dev.parley.proto.client.ImageContent;
import dev.parley.proto.client.SendMessageRequest;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Validates what a client may put into a message and turns it into domain content. Text: 1..max
 * code points, not blank, no NUL. Files and images: a file id of [A-Za-z0-9_-], bounded names and
 * MIME types.
 */
final class ContentRules {
  static final Pattern CLIENT_MSG_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
  private static final Pattern FILE_ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");
  private static final Pattern MIME = Pattern.compile("[a-z0-9][a-z0-9.+-]*/[a-z0-9][a-z0-9.+-]*");
  private static final Set<String> IMAGE_TYPES =
      Set.of("image/jpeg", "image/png", "image/gif", "image/webp");
  private static final int MAX_CAPTION = 1024;
  private static final int MAX_DIMENSION = 65_535;

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
        ImageContent i = r.getImage();
        fileId(i.getFileId(), "image.file_id");
        if (!i.getThumbnailFileId().isEmpty())
          fileId(i.getThumbnailFileId(), "image.thumbnail_file_id");
        if (!IMAGE_TYPES.contains(i.getMimeType())) {
          throw ParleyException.invalid(
              "image.mime_type", "image.mime_type must be one of " + IMAGE_TYPES);
        }
        // uint32 on the wire: Java sees values above 2^31 as negative, so compare them unsigned
        // (ContentRulesFuzzTest found a width of 3,205,988,192 accepted as -1,088,979,104).
        if (!dimension(i.getWidth()) || !dimension(i.getHeight())) {
          throw ParleyException.invalid(
              "image.width", "image width and height must be 1.." + MAX_DIMENSION);
        }
        text(i.getCaption(), "image.caption", MAX_CAPTION, true);
        return new Content.Image(
            i.getFileId(),
            i.getWidth(),
            i.getHeight(),
            i.getThumbnailFileId(),
            i.getSize(),
            i.getMimeType(),
            i.getCaption());
      }
      case FILE -> {
        FileContent f = r.getFile();
        fileId(f.getFileId(), "file.file_id");
        text(f.getName(), "file.name", 255, false);
        if (f.getName().contains("/") || f.getName().contains("\\")) {
          throw ParleyException.invalid("file.name", "file.name must not contain path separators");
        }
        if (!MIME.matcher(f.getMimeType()).matches() || f.getMimeType().length() > 127) {
          throw ParleyException.invalid(
              "file.mime_type", "file.mime_type must be a MIME type like application/pdf");
        }
        text(f.getCaption(), "file.caption", MAX_CAPTION, true);
        return new Content.File(
            f.getFileId(), f.getName(), f.getSize(), f.getMimeType(), f.getCaption());
      }
      default ->
          throw ParleyException.invalid("content", "A message needs content: text, image or file");
    }
  }

  private static boolean dimension(int unsigned) {
    return unsigned != 0 && Integer.compareUnsigned(unsigned, MAX_DIMENSION) <= 0;
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
