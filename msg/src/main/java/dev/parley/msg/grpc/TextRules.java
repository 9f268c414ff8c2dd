package dev.parley.msg.grpc;

import dev.parley.common.error.ParleyException;

/** Short texts people give each other: group titles and friend request notes. */
final class TextRules {
  static final int MAX_TITLE = 128;
  static final int MAX_NOTE = 200;

  private TextRules() {}

  /** Trimmed; 1..128 characters (code points); no control characters. */
  static String title(String raw, String field) {
    String title = raw.strip();
    if (title.isEmpty()) throw ParleyException.invalid(field, field + " must not be empty");
    if (title.codePointCount(0, title.length()) > MAX_TITLE) {
      throw ParleyException.invalid(field, field + " is longer than " + MAX_TITLE + " characters");
    }
    if (title.codePoints().anyMatch(Character::isISOControl)) {
      throw ParleyException.invalid(field, field + " must not contain control characters");
    }
    return title;
  }

  /**
   * Trimmed; at most 200 characters; may be empty; line breaks allowed, other control characters
   * not.
   */
  static String note(String raw, String field) {
    String note = raw.strip();
    if (note.codePointCount(0, note.length()) > MAX_NOTE) {
      throw ParleyException.invalid(field, field + " is longer than " + MAX_NOTE + " characters");
    }
    if (note.codePoints().anyMatch(c -> c != '\n' && Character.isISOControl(c))) {
      throw ParleyException.invalid(field, field + " must not contain control characters");
    }
    return note;
  }
}
