package dev.parley.cli;

import dev.parley.client.AuthApi;
import dev.parley.proto.client.Identifier;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Identifiers as users type them: a phone number starts with '+' (E.164), anything with an '@' is
 * an e-mail address. Only the shape is checked here; the server validates and normalises the rest
 * (lowercasing, removing spaces and dashes from phone numbers).
 */
final class Identifiers {
  private Identifiers() {}

  static Identifier parse(String text) {
    String s = text.strip();
    if (s.startsWith("+")) {
      if (s.length() == 1) {
        throw new IllegalArgumentException("'+' is not a phone number");
      }
      return AuthApi.phone(s);
    }
    int at = s.indexOf('@');
    if (at > 0 && at < s.length() - 1) {
      return AuthApi.email(s);
    }
    throw new IllegalArgumentException(
        "'" + text + "' is neither an e-mail address nor a phone number starting with '+'");
  }

  /** For messages: the address or number itself. */
  static String display(Identifier identifier) {
    return identifier.hasPhone() ? identifier.getPhone() : identifier.getEmail();
  }

  /** Lets picocli report a bad identifier as a usage error. */
  static final class Converter implements ITypeConverter<Identifier> {
    @Override
    public Identifier convert(String value) {
      try {
        return parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
