package dev.parley.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The files a {@link KafkaBroker} directory holds, and how they are written.
 *
 * <pre>
 * DIR/server.properties   the broker's configuration (rewritten at every start)
 * DIR/jvm.args            java argument file: the classpath (too long for one argv string at times)
 * DIR/logback.xml         logging of the child when logback is its SLF4J binding (tests)
 * DIR/log4j2.properties   the same for log4j2 (Kafka's own jars bring log4j-core)
 * DIR/broker.pid          the child's pid, to stop an orphan left by a killed parent
 * DIR/data/               log.dirs: the metadata log, topics, committed offsets
 * DIR/logs/broker.log     everything the child prints (formatting included), appended across restarts
 * </pre>
 */
final class KafkaBrokerFiles {
  private final Path dir;

  KafkaBrokerFiles(Path dir) {
    this.dir = dir;
  }

  Path dir() {
    return dir;
  }

  Path serverProperties() {
    return dir.resolve("server.properties");
  }

  Path argFile() {
    return dir.resolve("jvm.args");
  }

  Path dataDir() {
    return dir.resolve("data");
  }

  Path logFile() {
    return dir.resolve("logs").resolve("broker.log");
  }

  Path pidFile() {
    return dir.resolve("broker.pid");
  }

  /** The storage tool writes meta.properties when it formats a log directory. */
  boolean formatted() {
    return Files.exists(dataDir().resolve("meta.properties"));
  }

  /**
   * The configuration of a single-node KRaft cluster whose one process is broker and controller,
   * with every internal topic at replication factor 1 and settings that keep tests fast.
   */
  static Map<String, String> defaults(int port, int controllerPort, Path dataDir) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("process.roles", "broker,controller");
    p.put("node.id", "1");
    p.put(
        "listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
    p.put("controller.listener.names", "CONTROLLER");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    // A dynamic quorum (KIP-853): the storage tool's --standalone makes this node its only voter.
    p.put("controller.quorum.bootstrap.servers", "127.0.0.1:" + controllerPort);
    p.put("log.dirs", dataDir.toAbsolutePath().toString());
    p.put("num.partitions", "1");
    p.put("auto.create.topics.enable", "false");
    p.put("group.initial.rebalance.delay.ms", "0");
    p.put("offsets.topic.replication.factor", "1");
    p.put("offsets.topic.num.partitions", "1");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("transaction.state.log.num.partitions", "1");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    // After a kill -9 the controller keeps the dead incarnation's registration until its session
    // expires, and the new process cannot register before (DUPLICATE_BROKER_REGISTRATION): with the
    // default 9 s every restart after a kill costs ~13 s. The heartbeat must stay well below it.
    p.put("broker.heartbeat.interval.ms", "500");
    p.put("broker.session.timeout.ms", "3000");
    return p;
  }

  void writeServerProperties(Map<String, String> properties) {
    StringBuilder out =
        new StringBuilder("# Written by dev.parley.testkit.KafkaBroker at every start.\n");
    properties.forEach((k, v) -> out.append(k).append('=').append(escape(v)).append('\n'));
    write(serverProperties(), out.toString());
  }

  /**
   * A java argument file (JEP 293 syntax): the classpath can exceed the 128 KiB limit of one argv
   * string.
   */
  void writeArgFile(String classpath, List<String> jvmOptions) {
    StringBuilder out = new StringBuilder();
    out.append("-cp\n").append(quote(classpath)).append('\n');
    for (String option : jvmOptions) out.append(quote(option)).append('\n');
    write(argFile(), out.toString());
  }

  void writeLoggingConfigs() {
    write(
        dir.resolve("logback.xml"),
        """
        <configuration>
          <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
            <encoder><pattern>%d{HH:mm:ss.SSS} %-5level [%thread] %logger{36} - %msg%n</pattern></encoder>
          </appender>
          <logger name="org.apache.kafka.common.config" level="WARN"/>
          <root level="INFO"><appender-ref ref="OUT"/></root>
        </configuration>
        """);
    write(
        dir.resolve("log4j2.properties"),
        """
        appender.out.type = Console
        appender.out.name = OUT
        appender.out.layout.type = PatternLayout
        appender.out.layout.pattern = %d{HH:mm:ss.SSS} %-5level [%t] %c{1.} - %msg%n
        rootLogger.level = INFO
        rootLogger.appenderRef.out.ref = OUT
        """);
  }

  /**
   * JVM options of the child: small and quick to start; its loggers write to stdout, which goes to
   * the log.
   */
  List<String> jvmOptions() {
    return List.of(
        "-Xms128m",
        "-Xmx512m",
        // Tests share 2 cores: one GC thread and no C2 keep the broker's own CPU use small.
        "-XX:+UseSerialGC",
        "-XX:TieredStopAtLevel=1",
        "-XX:+ExitOnOutOfMemoryError",
        "-Djava.awt.headless=true",
        "-Dlogback.configurationFile=" + dir.resolve("logback.xml").toAbsolutePath(),
        "-Dlog4j2.configurationFile=" + dir.resolve("log4j2.properties").toAbsolutePath(),
        "-Dkafka.logs.dir=" + dir.resolve("logs").toAbsolutePath());
  }

  void createDirectories() {
    try {
      Files.createDirectories(dataDir());
      Files.createDirectories(logFile().getParent());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create " + dir, e);
    }
  }

  /** The last lines of the broker's log, for error messages. */
  String logTail(int lines) {
    try {
      if (!Files.exists(logFile())) return "(no log)";
      List<String> all = Files.readAllLines(logFile(), StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException | UncheckedIOException e) {
      return "(cannot read " + logFile() + ": " + e + ")";
    }
  }

  static void write(Path file, String text) {
    try {
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + file, e);
    }
  }

  private static String escape(String value) {
    return value.replace("\\", "\\\\").replace("\n", "\\n");
  }

  private static String quote(String arg) {
    return '"' + arg.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }
}
