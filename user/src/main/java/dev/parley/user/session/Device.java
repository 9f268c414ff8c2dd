package dev.parley.user.session;

import dev.parley.common.error.ParleyException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The device a session is opened for, validated.
 *
 * @param deviceId empty when the client did not send one; {@link #withIdOrGenerated()} fills it
 */
public record Device(String deviceId, Platform platform, String name) {
  public static final int MAX_ID_LENGTH = 64;
  public static final int MAX_NAME_LENGTH = 64;
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{0,64}");
  private static final SecureRandom RANDOM = new SecureRandom();

  /**
   * Validates client input; field names are those of the request ({@code device.*}).
   *
   * @param platform null when the client sent none or an unknown one
   */
  public static Device of(String deviceId, @Nullable Platform platform, String name) {
    String id = deviceId == null ? "" : deviceId;
    if (!ID.matcher(id).matches()) {
      throw ParleyException.invalid(
          "device.device_id", "device_id must be at most 64 characters of [A-Za-z0-9._-]");
    }
    if (platform == null)
      throw ParleyException.invalid("device.platform", "device.platform is required");
    String n = name == null ? "" : name.strip();
    if (n.codePointCount(0, n.length()) > MAX_NAME_LENGTH) {
      throw ParleyException.invalid("device.name", "device name must be at most 64 characters");
    }
    if (n.codePoints().anyMatch(Character::isISOControl)) {
      throw ParleyException.invalid(
          "device.name", "device name must not contain control characters");
    }
    return new Device(id, platform, n);
  }

  /** This device, with a random id (128 bits, 22 characters) when the client sent none. */
  public Device withIdOrGenerated() {
    if (!deviceId.isEmpty()) return this;
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return new Device(
        Base64.getUrlEncoder().withoutPadding().encodeToString(bytes), platform, name);
  }
}
