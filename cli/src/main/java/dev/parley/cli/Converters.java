package dev.parley.cli;

import dev.parley.client.Encoding;
import dev.parley.proto.client.Platform;
import dev.parley.proto.client.Role;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Lower-case option values for enums. The launcher owns the root {@code CommandLine}, so its
 * case-insensitive enum setting cannot be relied on; each option names its converter instead.
 */
final class Converters {
  private Converters() {}

  /** {@code desktop}, {@code web}, {@code android}, {@code ios}. */
  static final class PlatformConverter implements ITypeConverter<Platform> {
    @Override
    public Platform convert(String value) {
      return switch (value.toLowerCase(Locale.ROOT)) {
        case "desktop" -> Platform.PLATFORM_DESKTOP;
        case "web" -> Platform.PLATFORM_WEB;
        case "android" -> Platform.PLATFORM_ANDROID;
        case "ios" -> Platform.PLATFORM_IOS;
        default ->
            throw new TypeConversionException(
                "'" + value + "' is not a platform (desktop, web, android, ios)");
      };
    }
  }

  /** {@code protobuf} or {@code json}. */
  static final class EncodingConverter implements ITypeConverter<Encoding> {
    @Override
    public Encoding convert(String value) {
      return switch (value.toLowerCase(Locale.ROOT)) {
        case "protobuf" -> Encoding.PROTOBUF;
        case "json" -> Encoding.JSON;
        default ->
            throw new TypeConversionException(
                "'" + value + "' is not an encoding (protobuf, json)");
      };
    }
  }

  /**
   * {@code admin} or {@code member}: the roles set_member_role can give (ownership is transferred).
   */
  static final class RoleConverter implements ITypeConverter<Role> {
    @Override
    public Role convert(String value) {
      return switch (value.toLowerCase(Locale.ROOT)) {
        case "admin" -> Role.ROLE_ADMIN;
        case "member" -> Role.ROLE_MEMBER;
        default ->
            throw new TypeConversionException(
                "'" + value + "' is not a role to set (admin, member)");
      };
    }
  }

  /** The name a user types for a platform: {@code PLATFORM_WEB} is {@code web}. */
  static String platformName(Platform platform) {
    return switch (platform) {
      case PLATFORM_DESKTOP -> "desktop";
      case PLATFORM_WEB -> "web";
      case PLATFORM_ANDROID -> "android";
      case PLATFORM_IOS -> "ios";
      default -> "-";
    };
  }
}
