package dev.parley.user;

import dev.parley.common.error.ParleyException;
import dev.parley.proto.client.ApnsTarget;
import dev.parley.proto.client.AuthTokens;
import dev.parley.proto.client.DeviceInfo;
import dev.parley.proto.client.FcmTarget;
import dev.parley.proto.client.PushService;
import dev.parley.proto.client.WebPushTarget;
import dev.parley.proto.internal.SessionPushTarget;
import dev.parley.user.account.Account;
import dev.parley.user.account.Profile;
import dev.parley.user.audit.SecurityEvent;
import dev.parley.user.auth.Identifier;
import dev.parley.user.push.PushTarget;
import dev.parley.user.push.PushTargetRules;
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
   * @param pushService the service of the session's push target (fcm, apns, webpush); null for none
   */
  static dev.parley.proto.client.Session session(
      Session s, long currentSessionId, @Nullable String pushService) {
    return dev.parley.proto.client.Session.newBuilder()
        .setSessionId(s.sessionId())
        .setDeviceId(s.deviceId())
        .setPlatform(platform(s.platform()))
        .setDeviceName(s.deviceName())
        .setIp(s.lastIp())
        .setCreatedAtMs(s.createdAt().toEpochMilli())
        .setLastSeenAtMs(s.lastSeenAt().toEpochMilli())
        .setCurrent(s.sessionId() == currentSessionId)
        .setPushService(pushService(pushService))
        .build();
  }

  static PushService pushService(@Nullable String service) {
    if (service == null) return PushService.PUSH_SERVICE_UNSPECIFIED;
    return switch (service) {
      case "fcm" -> PushService.PUSH_SERVICE_FCM;
      case "apns" -> PushService.PUSH_SERVICE_APNS;
      case "webpush" -> PushService.PUSH_SERVICE_WEB_PUSH;
      default -> throw new IllegalStateException("unknown push service " + service);
    };
  }

  /**
   * A client's push target, checked by {@link PushTargetRules}; field names the target.
   *
   * @param allowPrivateEndpoints see {@link UserConfig#allowPrivateWebPushEndpoints()}
   */
  static PushTarget pushTarget(
      dev.parley.proto.client.PushTarget t, String field, boolean allowPrivateEndpoints) {
    return switch (t.getServiceCase()) {
      case FCM -> PushTargetRules.fcm(t.getFcm().getToken(), field + ".fcm.token");
      case APNS ->
          PushTargetRules.apns(
              t.getApns().getDeviceToken(),
              switch (t.getApns().getEnvironment()) {
                case ENVIRONMENT_SANDBOX -> "sandbox";
                case ENVIRONMENT_PRODUCTION -> "production";
                case ENVIRONMENT_UNSPECIFIED, UNRECOGNIZED -> "";
              },
              t.getApns().getTopic(),
              field + ".apns");
      case WEB_PUSH ->
          PushTargetRules.webPush(
              t.getWebPush().getEndpoint(),
              t.getWebPush().getP256Dh(),
              t.getWebPush().getAuth(),
              field + ".web_push",
              allowPrivateEndpoints);
      case SERVICE_NOT_SET ->
          throw ParleyException.invalid(field, field + " needs fcm, apns or web_push");
    };
  }

  static SessionPushTarget sessionPushTarget(dev.parley.user.push.SessionPushTarget t) {
    dev.parley.proto.client.PushTarget.Builder target =
        dev.parley.proto.client.PushTarget.newBuilder()
            .setNotifyWhileConnected(t.notifyWhileConnected());
    switch (t.target()) {
      case PushTarget.Fcm f -> target.setFcm(FcmTarget.newBuilder().setToken(f.token()));
      case PushTarget.Apns a ->
          target.setApns(
              ApnsTarget.newBuilder()
                  .setDeviceToken(a.deviceToken())
                  .setEnvironment(
                      a.environment().equals("sandbox")
                          ? ApnsTarget.Environment.ENVIRONMENT_SANDBOX
                          : ApnsTarget.Environment.ENVIRONMENT_PRODUCTION)
                  .setTopic(a.topic()));
      case PushTarget.WebPush w ->
          target.setWebPush(
              WebPushTarget.newBuilder()
                  .setEndpoint(w.endpoint())
                  .setP256Dh(w.p256dh())
                  .setAuth(w.auth()));
    }
    return SessionPushTarget.newBuilder()
        .setUserId(t.userId())
        .setSessionId(t.sessionId())
        .setDeviceId(t.deviceId())
        .setPlatform(platform(t.platform()))
        .setTarget(target)
        .setRegisteredAtMs(t.registeredAt().toEpochMilli())
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
