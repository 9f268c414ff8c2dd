package dev.parley.user.push;

import dev.parley.common.error.ParleyException;
import dev.parley.common.net.PublicAddresses;
import java.math.BigInteger;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Validation and normalization of push targets. Strict on purpose: a target is stored and later
 * used to reach a third-party service, so a malformed one should fail at registration, where the
 * client can be told, and not at every notification. Each method takes the request field to blame.
 */
public final class PushTargetRules {
  public static final int MAX_FCM_TOKEN = 1024;
  public static final int MAX_ENDPOINT = 2048;
  private static final Pattern FCM_TOKEN =
      Pattern.compile("[A-Za-z0-9_:.-]{1," + MAX_FCM_TOKEN + "}");
  // Apple's tokens are 32 bytes today and documented as variable in length.
  private static final Pattern APNS_TOKEN = Pattern.compile("(?:[0-9a-f]{2}){16,100}");
  // A bundle id: dot-separated labels of letters, digits and hyphens (a VoIP topic adds ".voip").
  private static final Pattern BUNDLE_ID = Pattern.compile("[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)+");
  private static final int MAX_TOPIC = 255;
  private static final Pattern BASE64URL = Pattern.compile("[A-Za-z0-9_-]+={0,2}");
  private static final int P256_POINT = 65;
  private static final int AUTH_SECRET = 16;
  // NIST P-256: y^2 = x^3 - 3x + b over GF(p).
  private static final BigInteger P =
      new BigInteger("ffffffff00000001000000000000000000000000ffffffffffffffffffffffff", 16);
  private static final BigInteger B =
      new BigInteger("5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b", 16);

  private PushTargetRules() {}

  public static PushTarget.Fcm fcm(String token, String field) {
    if (!FCM_TOKEN.matcher(token).matches()) {
      throw ParleyException.invalid(
          field, "An FCM token has 1 to " + MAX_FCM_TOKEN + " characters of [A-Za-z0-9_:.-]");
    }
    return new PushTarget.Fcm(token);
  }

  /**
   * @param environment "sandbox" or "production"; "" when the client left it unspecified
   */
  public static PushTarget.Apns apns(
      String deviceToken, String environment, String topic, String field) {
    String token = deviceToken.toLowerCase(Locale.ROOT);
    if (!APNS_TOKEN.matcher(token).matches()) {
      throw ParleyException.invalid(
          field + ".device_token", "An APNs device token is 16 to 100 bytes in hex");
    }
    if (!environment.equals("sandbox") && !environment.equals("production")) {
      throw ParleyException.invalid(
          field + ".environment", "The APNs environment must be sandbox or production");
    }
    if (topic.length() > MAX_TOPIC || !BUNDLE_ID.matcher(topic).matches()) {
      throw ParleyException.invalid(
          field + ".topic", "The APNs topic must be the app's bundle id, e.g. com.example.app");
    }
    return new PushTarget.Apns(token, environment, topic);
  }

  /**
   * @param allowPrivateEndpoints accept endpoints on loopback, private and other non-public
   *     addresses (tests and development against a local push service only)
   */
  public static PushTarget.WebPush webPush(
      String endpoint, String p256dh, String auth, String field, boolean allowPrivateEndpoints) {
    checkEndpoint(endpoint, field + ".endpoint", allowPrivateEndpoints);
    byte[] point = base64url(p256dh, field + ".p256dh");
    if (point.length != P256_POINT || point[0] != 0x04 || !onP256(point)) {
      throw ParleyException.invalid(
          field + ".p256dh", "p256dh must be an uncompressed P-256 public key (65 bytes)");
    }
    if (base64url(auth, field + ".auth").length != AUTH_SECRET) {
      throw ParleyException.invalid(field + ".auth", "auth must be 16 bytes");
    }
    return new PushTarget.WebPush(endpoint, p256dh, auth);
  }

  /**
   * An absolute https URL with a host, no user info and no fragment, whose host is not a non-public
   * IP literal or {@code localhost}. A name that resolves to a private address passes here (the
   * answer can change at any time): the push role checks the resolved addresses before each send.
   */
  private static void checkEndpoint(String endpoint, String field, boolean allowPrivate) {
    if (endpoint.isEmpty() || endpoint.length() > MAX_ENDPOINT) {
      throw ParleyException.invalid(
          field, "The endpoint must have 1 to " + MAX_ENDPOINT + " characters");
    }
    URI uri;
    try {
      uri = new URI(endpoint);
    } catch (URISyntaxException e) {
      throw ParleyException.invalid(field, "The endpoint is not a URL");
    }
    if (!"https".equals(uri.getScheme())
        || uri.getHost() == null
        || uri.getRawUserInfo() != null
        || uri.getRawFragment() != null) {
      throw ParleyException.invalid(
          field, "The endpoint must be an https URL with a host and no user info or fragment");
    }
    if (!allowPrivate
        && PublicAddresses.literal(uri.getHost())
            .filter(a -> !PublicAddresses.isPublic(a))
            .isPresent()) {
      throw ParleyException.invalid(
          field,
          "The endpoint must be on a public address: loopback, link-local, private, multicast and"
              + " other non-public addresses are refused");
    }
  }

  /** base64url, padded or not (browsers send it unpadded; some libraries pad). */
  private static byte[] base64url(String value, String field) {
    if (!BASE64URL.matcher(value).matches()) {
      throw ParleyException.invalid(field, field + " must be base64url");
    }
    try {
      return Base64.getUrlDecoder().decode(value);
    } catch (IllegalArgumentException e) {
      throw ParleyException.invalid(field, field + " must be base64url");
    }
  }

  /**
   * Whether the uncompressed point lies on P-256. A point off the curve would make every encryption
   * to this subscription fail (or, with a careless library, leak key bits), so it is refused here
   * rather than at the first notification.
   */
  static boolean onP256(byte[] point) {
    BigInteger x = new BigInteger(1, Arrays.copyOfRange(point, 1, 33));
    BigInteger y = new BigInteger(1, Arrays.copyOfRange(point, 33, 65));
    if (x.compareTo(P) >= 0 || y.compareTo(P) >= 0) return false;
    BigInteger left = y.modPow(BigInteger.TWO, P);
    BigInteger right = x.pow(3).subtract(x.multiply(BigInteger.valueOf(3))).add(B).mod(P);
    return left.equals(right);
  }
}
