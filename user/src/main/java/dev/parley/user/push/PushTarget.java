package dev.parley.user.push;

import org.jspecify.annotations.Nullable;

/**
 * Where a session's notifications go, as registered by the device and checked by {@link
 * PushTargetRules}. {@link #address} identifies the device at its push service; it is unique per
 * service. {@code toString} shows only a prefix of it: anyone holding it can push to the device.
 */
public sealed interface PushTarget {
  /** Stored in usr.push_targets.service: fcm, apns or webpush. */
  String service();

  String address();

  record Fcm(String token) implements PushTarget {
    @Override
    public String service() {
      return "fcm";
    }

    @Override
    public String address() {
      return token;
    }

    @Override
    public String toString() {
      return "Fcm[" + prefix(token) + "]";
    }
  }

  /**
   * @param deviceToken lowercase hex
   * @param environment "sandbox" or "production"
   * @param topic the app's bundle id
   */
  record Apns(String deviceToken, String environment, String topic) implements PushTarget {
    @Override
    public String service() {
      return "apns";
    }

    @Override
    public String address() {
      return deviceToken;
    }

    @Override
    public String toString() {
      return "Apns[" + prefix(deviceToken) + ", " + environment + ", " + topic + "]";
    }
  }

  /** A browser subscription; the keys base64url as the browser gave them. */
  record WebPush(String endpoint, String p256dh, String auth) implements PushTarget {
    @Override
    public String service() {
      return "webpush";
    }

    @Override
    public String address() {
      return endpoint;
    }

    @Override
    public String toString() {
      return "WebPush[" + prefix(endpoint) + "]";
    }
  }

  private static String prefix(@Nullable String secretish) {
    if (secretish == null) return "";
    return secretish.length() <= 12 ? secretish : secretish.substring(0, 12) + "…";
  }
}
