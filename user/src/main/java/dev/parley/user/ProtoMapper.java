package dev.parley.user;

import dev.parley.common.error.ParleyException;
import dev.parley.proto.client.AuthTokens;
import dev.parley.proto.client.DeviceInfo;
import dev.parley.user.account.Account;
import dev.parley.user.account.Profile;
import dev.parley.user.audit.SecurityEvent;
import dev.parley.user.auth.Identifier;
import dev.parley.user.session.Device;
import dev.parley.user.session.IssuedTokens;
import dev.parley.user.session.Platform;
import dev.parley.user.session.Principal;
import dev.parley.user.session.Session;
import org.jspecify.annotations.Nullable;

/**
 * Protobuf ↔ domain, in one place. Used by the two edges of the module: the gRPC service (requests
 * and answers) and the delivery-bus publisher (events). Nothing else in the module sees protobuf
 * types.
 */
final class ProtoMapper {
  private ProtoMapper() {}

  /**
   * @param field the request field to blame (e.g. "identifier")
   */
  static Identifier identifier(
      dev.parley.proto.client.Identifier id, boolean present, String field) {
    if (!present) throw ParleyException.invalid(field, field + " is required");
    return switch (id.getKindCase()) {
      case EMAIL -> Identifier.email(id.getEmail(), field);
      case PHONE -> Identifier.phone(id.getPhone(), field);
      case KIND_NOT_SET ->
          throw ParleyException.invalid(field, field + " needs an email or a phone");
    };
  }

  static Device device(DeviceInfo info) {
    return Device.of(info.getDeviceId(), platform(info.getPlatform()), info.getName());
  }

  /** null for UNSPECIFIED and values this server does not know. */
  static @Nullable Platform platform(dev.parley.proto.client.Platform p) {
    return switch (p) {
      case PLATFORM_WEB -> Platform.WEB;
      case PLATFORM_ANDROID -> Platform.ANDROID;
      case PLATFORM_IOS -> Platform.IOS;
      case PLATFORM_DESKTOP -> Platform.DESKTOP;
      case PLATFORM_UNSPECIFIED, UNRECOGNIZED -> null;
    };
  }

  static dev.parley.proto.client.Platform platform(Platform p) {
    return switch (p) {
      case WEB -> dev.parley.proto.client.Platform.PLATFORM_WEB;
      case ANDROID -> dev.parley.proto.client.Platform.PLATFORM_ANDROID;
      case IOS -> dev.parley.proto.client.Platform.PLATFORM_IOS;
      case DESKTOP -> dev.parley.proto.client.Platform.PLATFORM_DESKTOP;
    };
  }

  static AuthTokens tokens(IssuedTokens t) {
    return AuthTokens.newBuilder()
        .setUserId(t.userId())
        .setSessionId(t.sessionId())
        .setDeviceId(t.deviceId())
        .setAccessToken(t.accessToken())
        .setAccessTokenExpiresAtMs(t.accessTokenExpiresAt().toEpochMilli())
        .setRefreshToken(t.refreshToken())
        .setRefreshTokenExpiresAtMs(t.refreshTokenExpiresAt().toEpochMilli())
        .build();
  }

  static dev.parley.proto.internal.Principal principal(Principal p) {
    return dev.parley.proto.internal.Principal.newBuilder()
        .setUserId(p.userId())
        .setSessionId(p.sessionId())
        .setDeviceId(p.deviceId())
        .setPlatform(platform(p.platform()))
        .build();
  }

  /**
   * @param currentSessionId the caller's session, marked {@code current}; 0 for none
   */
  static dev.parley.proto.client.Session session(Session s, long currentSessionId) {
    return dev.parley.proto.client.Session.newBuilder()
        .setSessionId(s.sessionId())
        .setDeviceId(s.deviceId())
        .setPlatform(platform(s.platform()))
        .setDeviceName(s.deviceName())
        .setIp(s.lastIp())
        .setCreatedAtMs(s.createdAt().toEpochMilli())
        .setLastSeenAtMs(s.lastSeenAt().toEpochMilli())
        .setCurrent(s.sessionId() == currentSessionId)
        .build();
  }

  static dev.parley.proto.client.Profile profile(Profile p) {
    return dev.parley.proto.client.Profile.newBuilder()
        .setUserId(p.userId())
        .setDisplayName(p.displayName())
        .setUsername(p.username())
        .setAvatarFileId(p.avatarFileId())
        .build();
  }

  static dev.parley.proto.client.Account account(Account a) {
    return dev.parley.proto.client.Account.newBuilder()
        .setProfile(profile(a.profile()))
        .setEmail(a.email())
        .setPhone(a.phone())
        .setHasPassword(a.hasPassword())
        .setCreatedAtMs(a.createdAt().toEpochMilli())
        .build();
  }

  static dev.parley.proto.client.SecurityEvent securityEvent(SecurityEvent e) {
    return dev.parley.proto.client.SecurityEvent.newBuilder()
        .setEventId(e.eventId())
        .setKind(e.kind())
        .setSessionId(e.sessionId() == null ? 0 : e.sessionId())
        .setIp(e.ip())
        .setDetail(e.detail())
        .setAtMs(e.at().toEpochMilli())
        .build();
  }
}
