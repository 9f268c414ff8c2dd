package dev.parley.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import net.logstash.logback.encoder.LogstashEncoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Applies the {@code log} section once the configuration is known: human-readable lines for
 * development, one JSON object per line for production log pipelines (ELK, Loki).
 */
final class LogSetup {
  private LogSetup() {}

  /** The command-line client prints results on stdout: only warnings, and those on stderr. */
  static void quietForCommandLine() {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) return;
    context.reset();
    PatternLayoutEncoder text = new PatternLayoutEncoder();
    text.setContext(context);
    text.setPattern("%-5level %logger{24} - %msg%n");
    text.start();
    ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
    stderr.setContext(context);
    stderr.setTarget("System.err");
    stderr.setEncoder(text);
    stderr.start();
    ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.ERROR);
    root.addAppender(stderr);
  }

  static void apply(ParleyConfig.LogConfig config, ParleyConfig.NodeConfig node) {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) return;
    // Checked before the reset, so that a bad value leaves the logging as it was.
    boolean asJson = json(config.format(), node);
    Level rootLevel = level(config.level());
    java.util.Map<String, Level> levels = new java.util.LinkedHashMap<>();
    config.levels().forEach((logger, level) -> levels.put(logger, level(level)));
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
    context.reset();

    Encoder<ILoggingEvent> encoder = asJson ? jsonEncoder(context, node) : textEncoder(context);
    ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
    console.setContext(context);
    console.setName("console");
    console.setEncoder(encoder);
    console.start();

    ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(rootLevel);
    root.addAppender(console);
    // Chatty libraries: their INFO lines are noise for an operator.
    for (String quiet :
        new String[] {"io.netty", "io.grpc", "org.flywaydb", "com.zaxxer.hikari", "io.zonky"}) {
      context.getLogger(quiet).setLevel(Level.WARN);
    }
    context.getLogger("org.flywaydb.core.internal.command.DbMigrate").setLevel(Level.INFO);
    levels.forEach((logger, level) -> context.getLogger(logger).setLevel(level));
  }

  /** {@code auto} is json for a cluster role (log pipelines) and text on the single node. */
  static boolean json(String format, ParleyConfig.NodeConfig node) {
    return switch (format.toLowerCase(java.util.Locale.ROOT)) {
      case "json" -> true;
      case "text" -> false;
      case "auto" -> !dev.parley.server.cluster.Role.parse(node.role()).isEmpty();
      default ->
          throw new IllegalArgumentException(
              "log.format must be auto, text or json, not " + format);
    };
  }

  /**
   * One JSON object per line (logstash layout) with the fields a log pipeline groups by: service,
   * role and instance. Never message content, tokens or codes: those are not logged at all.
   */
  static LogstashEncoder jsonEncoder(LoggerContext context, ParleyConfig.NodeConfig node) {
    LogstashEncoder json = new LogstashEncoder();
    json.setContext(context);
    json.setCustomFields(customFields(node));
    json.start();
    return json;
  }

  static String customFields(ParleyConfig.NodeConfig node) {
    String role =
        dev.parley.server.cluster.Role.parse(node.role()).isEmpty() ? "single" : node.role();
    String instance =
        node.instanceId().isBlank()
            ? String.valueOf(ProcessHandle.current().pid())
            : node.instanceId();
    return "{\"service\":\"parley\",\"role\":\""
        + escape(role)
        + "\",\"instance\":\""
        + escape(instance)
        + "\"}";
  }

  private static String escape(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"");
  }

  private static PatternLayoutEncoder textEncoder(LoggerContext context) {
    PatternLayoutEncoder text = new PatternLayoutEncoder();
    text.setContext(context);
    text.setPattern("%d{HH:mm:ss.SSS} %-5level [%thread] %logger{24} - %msg%n");
    text.start();
    return text;
  }

  /** A level name; anything else is refused, so a typo in configuration does not pass silently. */
  static Level level(String name) {
    Level level = Level.toLevel(name, null);
    if (level == null)
      throw new IllegalArgumentException(
          "Unknown log level " + name + " (TRACE, DEBUG, INFO, WARN, ERROR or OFF)");
    return level;
  }
}
