package dev.parley.user.account;

import dev.parley.common.error.ParleyException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Validation and normalization of profile fields. Each method takes the request field to blame, so
 * errors name it exactly as the client sent it. The table's CHECK constraints repeat these rules as
 * a last line of defence.
 */
public final class ProfileRules {
  public static final int MAX_DISPLAY_NAME = 64;
  private static final Pattern USERNAME = Pattern.compile("[a-z][a-z0-9_]{4,31}");
  private static final Pattern AVATAR_FILE_ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");

  private ProfileRules() {}

  /** Trimmed; 1 to 64 characters (code points); no control or line-separator characters. */
  public static String displayName(String raw, String field) {
    String v = raw == null ? "" : raw.strip();
    int length = v.codePointCount(0, v.length());
    if (length < 1 || length > MAX_DISPLAY_NAME) {
      throw ParleyException.invalid(
          field, "Display name must have 1 to " + MAX_DISPLAY_NAME + " characters");
    }
    if (v.codePoints().anyMatch(c -> Character.isISOControl(c) || c == '\u2028' || c == '\u2029')) {
      throw ParleyException.invalid(field, "Display name must not contain control characters");
    }
    return v;
  }

  /**
   * Lowercased; 5 to 32 of [a-z0-9_] starting with a letter. Returns "" for empty input, which
   * means "remove the username" in an update.
   */
  public static String username(String raw, String field) {
    String v = raw == null ? "" : raw.strip().toLowerCase(Locale.ROOT);
    if (v.isEmpty()) return v;
    if (!USERNAME.matcher(v).matches()) {
      throw ParleyException.invalid(
          field, "Username must have 5 to 32 characters of a-z, 0-9 and _, starting with a letter");
    }
    return v;
  }

  /** Opaque file id: at most 128 of [A-Za-z0-9_-]; "" removes the avatar. */
  public static String avatarFileId(String raw, String field) {
    String v = raw == null ? "" : raw;
    if (v.isEmpty()) return v;
    if (!AVATAR_FILE_ID.matcher(v).matches()) {
      throw ParleyException.invalid(
          field, "avatar_file_id must be at most 128 characters of [A-Za-z0-9_-]");
    }
    return v;
  }
}
