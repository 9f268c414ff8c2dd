package dev.parley.user.auth;

import dev.parley.common.error.ParleyException;
import dev.parley.proto.client.Error.Reason;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A normalized e-mail address or phone number: the key an account is found by and a code is sent
 * to. Invariant: {@code value} is already normalized (e-mail trimmed and lowercased; phone in E.164
 * form "+" followed by 8 to 15 digits), so equal people get equal identifiers and the database's
 * unique constraints mean what they say.
 */
public record Identifier(Kind kind, String value) {
  public enum Kind {
    EMAIL,
    PHONE
  }

  public static final int MAX_EMAIL_LENGTH = 254;

  // Dot-atom local part (RFC 5322 without quoted strings) and a DNS host name with an alphabetic
  // TLD.
  // Deliberately stricter than the RFCs: quoted local parts, IP literals and non-ASCII addresses
  // are
  // refused rather than half supported.
  private static final Pattern EMAIL =
      Pattern.compile(
          "[a-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
              + "@([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+([a-z]{2,63}|xn--[a-z0-9-]{1,59})");
  private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{7,14}");
  // Separators people type inside phone numbers; they carry no meaning and are dropped.
  private static final Pattern PHONE_SEPARATORS = Pattern.compile("[ \\t\\-().]");

  public Identifier {
    if (kind == null || value == null)
      throw new IllegalArgumentException("kind and value are required");
  }

  /**
   * @param field the request field to blame when the address is invalid
   */
  public static Identifier email(String raw, String field) {
    String v = raw == null ? "" : raw.strip().toLowerCase(Locale.ROOT);
    int at = v.indexOf('@');
    if (v.isEmpty()
        || v.length() > MAX_EMAIL_LENGTH
        || at < 1
        || at > 64
        || !EMAIL.matcher(v).matches()) {
      throw invalid(field, "Not a valid e-mail address");
    }
    return new Identifier(Kind.EMAIL, v);
  }

  /**
   * @param field the request field to blame when the number is invalid
   */
  public static Identifier phone(String raw, String field) {
    String v = raw == null ? "" : PHONE_SEPARATORS.matcher(raw.strip()).replaceAll("");
    if (!E164.matcher(v).matches()) {
      throw invalid(field, "Not a valid phone number: use E.164 form, e.g. +4915112345678");
    }
    return new Identifier(Kind.PHONE, v);
  }

  public boolean isEmail() {
    return kind == Kind.EMAIL;
  }

  /** The delivery channel: "email" or "sms" (also a metrics tag). */
  public String channel() {
    return isEmail() ? "email" : "sms";
  }

  private static ParleyException invalid(String field, String message) {
    return new ParleyException(Reason.INVALID_IDENTIFIER, message, field, Duration.ZERO);
  }

  /**
   * The identifier with most of it hidden, for logs: {@code a***@example.com}, {@code
   * +49*******78}. Logs are kept longer and read by more people than the accounts table; they need
   * to tell requests apart, not to name people.
   */
  public String masked() {
    if (isEmail()) {
      int at = value.lastIndexOf('@');
      return value.charAt(0) + "***" + value.substring(at);
    }
    return value.substring(0, 3)
        + "*".repeat(value.length() - 5)
        + value.substring(value.length() - 2);
  }

  /** Masked: an identifier that reaches a log line by accident must not name the person. */
  @Override
  public String toString() {
    return masked();
  }
}
