package dev.parley.common.privacy;

import dev.parley.proto.client.Audience;

/** Conversions between {@link PrivacySettings} and the wire, for both services' edges. */
public final class PrivacyProtos {
  private PrivacyProtos() {}

  public static dev.parley.proto.client.PrivacySettings toProto(PrivacySettings s) {
    return dev.parley.proto.client.PrivacySettings.newBuilder()
        .setForwards(toProto(s.forwards()))
        .setLastSeen(toProto(s.lastSeen()))
        .addAllLastSeenAlways(s.lastSeenAlways())
        .addAllLastSeenNever(s.lastSeenNever())
        .build();
  }

  /** From an answer of the user service (never unspecified there; taken as the default if so). */
  public static PrivacySettings fromProto(dev.parley.proto.client.PrivacySettings p) {
    return new PrivacySettings(
        orDefault(p.getForwards()),
        orDefault(p.getLastSeen()),
        p.getLastSeenAlwaysList(),
        p.getLastSeenNeverList());
  }

  public static Audience toProto(dev.parley.common.privacy.Audience a) {
    return switch (a) {
      case EVERYONE -> Audience.AUDIENCE_EVERYONE;
      case CONTACTS -> Audience.AUDIENCE_CONTACTS;
      case NOBODY -> Audience.AUDIENCE_NOBODY;
    };
  }

  /** Null for unspecified (or a value this server does not know): the caller decides. */
  public static dev.parley.common.privacy.@org.jspecify.annotations.Nullable Audience fromProto(
      Audience a) {
    return switch (a) {
      case AUDIENCE_EVERYONE -> dev.parley.common.privacy.Audience.EVERYONE;
      case AUDIENCE_CONTACTS -> dev.parley.common.privacy.Audience.CONTACTS;
      case AUDIENCE_NOBODY -> dev.parley.common.privacy.Audience.NOBODY;
      default -> null;
    };
  }

  private static dev.parley.common.privacy.Audience orDefault(Audience a) {
    dev.parley.common.privacy.Audience found = fromProto(a);
    return found == null ? dev.parley.common.privacy.Audience.EVERYONE : found;
  }
}
