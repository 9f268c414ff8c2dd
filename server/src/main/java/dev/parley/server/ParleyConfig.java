package dev.parley.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.common.config.ConfigLoader;
import dev.parley.common.db.DatabaseConfig;
import dev.parley.common.trace.TracingConfig;
import dev.parley.file.FileConfig;
import dev.parley.gateway.GatewayConfig;
import dev.parley.msg.MsgConfig;
import dev.parley.push.notify.PushConfig;
import dev.parley.server.cluster.ClusterConfig;
import dev.parley.user.UserConfig;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** The whole configuration; each section belongs to the module that uses it. */
public record ParleyConfig(
    NodeConfig node,
    LogConfig log,
    DatabaseConfig database,
    GatewayConfig gateway,
    AdminConfig admin,
    UserConfig user,
    MsgConfig msg,
    FileConfig file,
    PushConfig push,
    ClusterConfig cluster,
    TracingConfig tracing) {

  public static final String DEFAULTS = "parley-defaults.yaml";

  /**
   * @param role {@code single}, or the cluster roles this process runs: {@code gateway}, {@code
   *     user}, {@code msg}, {@code push}, comma-separated
   * @param instanceId unique per process in a cluster (names a gateway in presence); empty:
   *     host-pid
   * @param workerId snowflake worker id; -1: 0 for the single node, leased from PostgreSQL in a
   *     cluster
   * @param environment {@code development} or {@code production}; production refuses development
   *     shortcuts (generated secrets, log-only code delivery)
   */
  public record NodeConfig(
      String role, String instanceId, int workerId, String dataDir, String environment) {
    public boolean production() {
      return "production".equalsIgnoreCase(environment);
    }
  }

  /**
   * @param format {@code auto} (json in cluster mode, text on the single node), {@code text} or
   *     {@code json}
   * @param level the root level
   * @param levels per-logger levels (logger name to level), applied after the root level
   */
  public record LogConfig(String format, String level, Map<String, String> levels) {}

  /**
   * Defaults, then the file (may be null), then PARLEY_* environment variables, then -Dparley.*
   * properties.
   */
  public static ParleyConfig load(
      Path file, Map<String, String> env, Map<String, String> properties) {
    ObjectNode tree = ConfigLoader.load(DEFAULTS, file, env, properties);
    return ConfigLoader.bind(tree, ParleyConfig.class);
  }

  public static ParleyConfig load(Path file) {
    Map<String, String> props = new HashMap<>();
    System.getProperties().forEach((k, v) -> props.put(k.toString(), v.toString()));
    return load(file, System.getenv(), props);
  }

  public Path dataDir() {
    return Path.of(node.dataDir()).toAbsolutePath().normalize();
  }
}
