package dev.parley.common.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Configuration in layers, later ones winning: the bundled defaults (a YAML resource that names
 * every key), the operator's YAML file, environment variables {@code PARLEY_SECTION_KEY=value}, and
 * system properties {@code -Dparley.section.key=value}. The merged tree is bound to records with
 * kebab-case keys; unknown keys are an error so that typos do not pass silently.
 *
 * <p>Environment variable names cannot hold dots or dashes, so {@code
 * PARLEY_GATEWAY_MAX_FRAME_BYTES} is matched against the keys that exist in the defaults: at each
 * level the longest run of words that names an existing key (dashes ignored) wins. That is why the
 * defaults must list every key.
 */
public final class ConfigLoader {
  public static final String ENV_PREFIX = "PARLEY_";
  public static final String PROPERTY_PREFIX = "parley.";

  /**
   * {@code PARLEY_*} variables of the command-line client: an operator who exports them in the
   * shell that also starts servers (scripts/cluster-local.sh passes the environment on) should not
   * get a warning from every process.
   */
  static final java.util.Set<String> OTHER_PROGRAMS_VARIABLES =
      java.util.Set.of("PARLEY_SERVER", "PARLEY_CLI_HOME");

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper BINDER =
      new ObjectMapper()
          .setPropertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .registerModule(
              new SimpleModule().addDeserializer(Duration.class, new DurationDeserializer()));

  private ConfigLoader() {}

  /** Reads the defaults resource and applies the file (if any), then env and system properties. */
  public static ObjectNode load(
      String defaultsResource, Path file, Map<String, String> env, Map<String, String> properties) {
    ObjectNode tree = readResource(defaultsResource);
    ObjectNode defaults = tree.deepCopy();
    if (file != null) merge(tree, readFile(file));
    // The environment is shared with other programs (PARLEY_SERVER for the CLI, say): a variable
    // that
    // names no configuration key is skipped with a warning, not an error. Files and -D properties
    // are
    // deliberate, so an unknown key there stays an error.
    new java.util.TreeMap<>(env)
        .forEach(
            (name, value) -> {
              if (!name.startsWith(ENV_PREFIX)) return;
              List<String> words = Arrays.asList(name.substring(ENV_PREFIX.length()).split("_"));
              if (names(defaults, words)) {
                set(tree, words, value);
              } else if (!OTHER_PROGRAMS_VARIABLES.contains(name)) {
                org.slf4j.LoggerFactory.getLogger(ConfigLoader.class)
                    .warn("Ignoring environment variable {}: it names no configuration key", name);
              }
            });
    properties.forEach(
        (name, value) -> {
          if (name.startsWith(PROPERTY_PREFIX)) {
            set(tree, splitProperty(name.substring(PROPERTY_PREFIX.length())), value);
          }
        });
    return tree;
  }

  public static <T> T bind(JsonNode node, Class<T> type) {
    try {
      return BINDER.treeToValue(node, type);
    } catch (IOException e) {
      throw new IllegalArgumentException("Invalid configuration: " + e.getMessage(), e);
    }
  }

  private static List<String> splitProperty(String name) {
    List<String> words = new ArrayList<>();
    for (String part : name.split("\\.")) words.addAll(Arrays.asList(part.split("-")));
    return words;
  }

  private static ObjectNode readResource(String name) {
    try (InputStream in = ConfigLoader.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) throw new IllegalStateException("Missing configuration resource " + name);
      return (ObjectNode) YAML.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static ObjectNode readFile(Path file) {
    try {
      JsonNode node = YAML.readTree(Files.readString(file));
      if (node == null || node.isMissingNode() || node.isNull()) return YAML.createObjectNode();
      if (!node.isObject())
        throw new IllegalArgumentException(file + ": the top level must be a mapping");
      return (ObjectNode) node;
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "Cannot read configuration file " + file + ": " + e.getMessage(), e);
    }
  }

  private static void merge(ObjectNode into, ObjectNode from) {
    Iterator<Map.Entry<String, JsonNode>> it = from.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode existing = into.get(e.getKey());
      if (existing instanceof ObjectNode o && e.getValue() instanceof ObjectNode n) {
        merge(o, n);
      } else {
        into.set(e.getKey(), e.getValue());
      }
    }
  }

  /**
   * Whether the words name a key of the defaults, or a new entry of a free-form map (a mapping that
   * is empty in the defaults, such as msg.content-keys).
   */
  static boolean names(ObjectNode defaults, List<String> words) {
    JsonNode node = defaults;
    int i = 0;
    while (i < words.size()) {
      if (!(node instanceof ObjectNode object)) return false;
      if (object.isEmpty()) return true; // a free-form map: any key below it
      String key = null;
      int matched = 0;
      for (int j = words.size(); j > i; j--) {
        key = findKey(object, String.join("", words.subList(i, j)).toLowerCase(Locale.ROOT));
        if (key != null) {
          matched = j - i;
          break;
        }
      }
      if (key == null) return false;
      node = object.get(key);
      i += matched;
    }
    return true;
  }

  /**
   * Sets the value at the path named by words, matching words to existing keys as described above.
   */
  static void set(ObjectNode tree, List<String> words, String value) {
    ObjectNode node = tree;
    int i = 0;
    while (i < words.size()) {
      int matched = 0;
      String key = null;
      for (int j = words.size(); j > i; j--) {
        String candidate = String.join("", words.subList(i, j)).toLowerCase(Locale.ROOT);
        key = findKey(node, candidate);
        if (key != null) {
          matched = j - i;
          break;
        }
      }
      if (key == null) {
        // Unknown key: keep it so that binding reports it instead of silently dropping it.
        key = String.join("-", words.subList(i, words.size())).toLowerCase(Locale.ROOT);
        matched = words.size() - i;
      }
      i += matched;
      if (i == words.size()) {
        JsonNode old = node.get(key);
        node.set(key, old instanceof ArrayNode ? list(value) : new TextNode(value));
        return;
      }
      JsonNode child = node.get(key);
      if (!(child instanceof ObjectNode)) {
        child = node.putObject(key);
      }
      node = (ObjectNode) child;
    }
  }

  private static ArrayNode list(String value) {
    ArrayNode array = YAML.createArrayNode();
    for (String item : value.split(",")) {
      if (!item.isBlank()) array.add(item.trim());
    }
    return array;
  }

  private static @Nullable String findKey(ObjectNode node, String normalized) {
    Iterator<String> names = node.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (name.replace("-", "").toLowerCase(Locale.ROOT).equals(normalized)) return name;
    }
    return null;
  }

  /** Accepts "250ms", "10s", "5m", "2h", "30d" and ISO-8601 ("PT10S"). */
  public static Duration parseDuration(String text) {
    String s = text.trim().toLowerCase(Locale.ROOT);
    try {
      if (s.startsWith("p")) return Duration.parse(text.trim());
      if (s.endsWith("ms"))
        return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2).trim()));
      long n = Long.parseLong(s.substring(0, s.length() - 1).trim());
      return switch (s.charAt(s.length() - 1)) {
        case 's' -> Duration.ofSeconds(n);
        case 'm' -> Duration.ofMinutes(n);
        case 'h' -> Duration.ofHours(n);
        case 'd' -> Duration.ofDays(n);
        default -> throw new IllegalArgumentException();
      };
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "Invalid duration '" + text + "': use a number with ms, s, m, h or d (e.g. 30s)");
    }
  }

  private static final class DurationDeserializer extends JsonDeserializer<Duration> {
    @Override
    public Duration deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      try {
        return parseDuration(p.getValueAsString());
      } catch (IllegalArgumentException e) {
        throw ctxt.weirdStringException(p.getValueAsString(), Duration.class, e.getMessage());
      }
    }
  }
}
