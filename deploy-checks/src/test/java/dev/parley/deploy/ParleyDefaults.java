package dev.parley.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * What a Parley process would use for a key, given the environment a deployment file gives it: its
 * PARLEY_ variable (docs/operations.md §2) or else the default in parley-defaults.yaml.
 */
final class ParleyDefaults {
  private static final JsonNode DEFAULTS =
      Yaml.read(DeployDir.resolve("../server/src/main/resources/parley-defaults.yaml"));

  private ParleyDefaults() {}

  static String value(String key, Map<String, String> env) {
    String variable = "PARLEY_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    String fromEnv = env.get(variable);
    if (fromEnv != null) return fromEnv;
    JsonNode node = DEFAULTS;
    for (String part : key.split("\\.")) node = node.path(part);
    if (!node.isValueNode()) throw new IllegalArgumentException("no such key: " + key);
    return node.asText();
  }

  static int port(String key, Map<String, String> env) {
    return Integer.parseInt(value(key, env));
  }

  /** The configuration's duration syntax: 250ms, 30s, 5m, 2h, 30d. */
  static Duration duration(String key, Map<String, String> env) {
    String text = value(key, env).trim();
    if (text.endsWith("ms")) return Duration.ofMillis(Long.parseLong(text.replace("ms", "")));
    long amount = Long.parseLong(text.substring(0, text.length() - 1));
    return switch (text.charAt(text.length() - 1)) {
      case 's' -> Duration.ofSeconds(amount);
      case 'm' -> Duration.ofMinutes(amount);
      case 'h' -> Duration.ofHours(amount);
      case 'd' -> Duration.ofDays(amount);
      default -> throw new IllegalArgumentException(key + ": not a duration: " + text);
    };
  }
}
