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

  static void apply(ParleyConfig.LogConfig config) {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) return;
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
    context.reset();

    Encoder<ILoggingEvent> encoder;
    if ("json".equalsIgnoreCase(config.format())) {
      LogstashEncoder json = new LogstashEncoder();
      json.setContext(context);
      json.start();
      encoder = json;
    } else if ("text".equalsIgnoreCase(config.format())) {
      PatternLayoutEncoder text = new PatternLayoutEncoder();
      text.setContext(context);
      text.setPattern("%d{HH:mm:ss.SSS} %-5level [%thread] %logger{24} - %msg%n");
      text.start();
      encoder = text;
    } else {
      throw new IllegalArgumentException("log.format must be text or json, not " + config.format());
    }
    ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
    console.setContext(context);
    console.setName("console");
    console.setEncoder(encoder);
    console.start();

    ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.toLevel(config.level(), Level.INFO));
    root.addAppender(console);
    // Chatty libraries: their INFO lines are noise for an operator.
    for (String quiet :
        new String[] {"io.netty", "io.grpc", "org.flywaydb", "com.zaxxer.hikari", "io.zonky"}) {
      context.getLogger(quiet).setLevel(Level.WARN);
    }
    context.getLogger("org.flywaydb.core.internal.command.DbMigrate").setLevel(Level.INFO);
  }
}
