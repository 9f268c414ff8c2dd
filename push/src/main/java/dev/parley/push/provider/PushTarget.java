package dev.parley.push.provider;

import java.util.Locale;

/**
 * Where a notification goes: the address a device registered with its platform's push service. Each
 * kind is served by one provider ({@link #provider()}). {@code toString} shows only a prefix of
 * tokens and endpoints: they are credentials of a sort (anyone holding one can push to the device)
 * and end up in logs.
 */
public sealed interface PushTarget {
  /** The provider that serves this kind of target: {@code fcm}, {@code apns} or {@code webpush}. */
  String provider();

  /** An FCM registration token (Android; the app gets it from the Firebase SDK). */
  record Fcm(String token) implements PushTarget {
    public Fcm {
      requireText(token, "FCM registration token");
    }

    @Override
    public String provider() {
      return "fcm";
    }

    @Override
    public String toString() {
      return "Fcm[" + prefix(token) + "]";
    }
  }

  /**
   * An APNs device token (hex, from {@code registerForRemoteNotifications}), the APNs environment
   * it was issued for, and the app's bundle id, which is the {@code apns-topic}.
   */
  record Apns(String deviceToken, Environment environment, String topic) implements PushTarget {
    public Apns {
      requireText(deviceToken, "APNs device token");
      requireText(topic, "APNs topic (bundle id)");
    }

    /**
     * Tokens are issued per environment: a development build's token is unknown to production APNs
     * (it answers BadDeviceToken), so the environment travels with the token.
     */
    public enum Environment {
      SANDBOX,
      PRODUCTION;

      /** {@code sandbox} or {@code production}, case-insensitive. */
      public static Environment parse(String name) {
        return valueOf(name.trim().toUpperCase(Locale.ROOT));
      }
    }

    @Override
    public String provider() {
      return "apns";
    }

    @Override
    public String toString() {
      return "Apns[" + prefix(deviceToken) + ", " + environment + ", " + topic + "]";
    }
  }

  /**
   * A browser's push subscription ({@code PushSubscription.toJSON()}): the push service endpoint
   * URL and the subscription's keys, base64url as the browser gives them: {@code p256dh} (its P-256
   * public key, 65 bytes uncompressed) and {@code auth} (16 bytes of authentication secret).
   */
  record WebPush(String endpoint, String p256dh, String auth) implements PushTarget {
    public WebPush {
      requireText(endpoint, "Web Push endpoint");
      requireText(p256dh, "Web Push p256dh key");
      requireText(auth, "Web Push auth secret");
    }

    @Override
    public String provider() {
      return "webpush";
    }

    @Override
    public String toString() {
      return "WebPush[" + prefix(endpoint) + "]";
    }
  }

  private static void requireText(String value, String what) {
    if (value.isBlank()) throw new IllegalArgumentException(what + " is empty");
  }

  private static String prefix(String secretish) {
    return secretish.length() <= 12 ? secretish : secretish.substring(0, 12) + "…";
  }
}
