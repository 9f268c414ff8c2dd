package dev.parley.testkit;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real Kafka broker ({@link KafkaBroker}: a KRaft process of its own) for one test class.
 *
 * <p>One broker per test class, not one per JVM: tests kill and restart the broker to see what
 * clients do, and a shared broker would carry one class's crashes into the next. Starting one costs
 * ~2 s to format its storage plus ~4 s to start on a 2-core machine, so keep Kafka tests in few
 * classes and give each test its own topics (and consumer groups) instead of a broker.
 *
 * <pre>
 * &#64;RegisterExtension static final KafkaExtension kafka = new KafkaExtension();
 * ... kafka.createTopic("t1", 3); new KafkaProducer&lt;&gt;(Map.of("bootstrap.servers", kafka.bootstrapServers(), ...
 * </pre>
 */
public final class KafkaExtension implements BeforeAllCallback, AfterAllCallback {
  @SuppressWarnings("NullAway.Init") // set in beforeAll, before any test can use it
  private KafkaBroker broker;

  @Override
  public void beforeAll(ExtensionContext context) {
    broker = KafkaBroker.temporary();
    try {
      broker.start();
    } catch (RuntimeException e) {
      broker.close();
      throw e;
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (broker != null) broker.close();
  }

  /** The broker, to {@link KafkaBroker#kill() kill} or {@link KafkaBroker#restart() restart} it. */
  public KafkaBroker broker() {
    if (broker == null)
      throw new IllegalStateException(
          "KafkaExtension is not started: register it as a static field");
    return broker;
  }

  public String bootstrapServers() {
    return broker().bootstrapServers();
  }

  /** An admin client for this broker; the caller closes it. */
  public Admin admin() {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()));
  }

  /** Creates a topic with replication factor 1 (the broker does not create topics on first use). */
  public void createTopic(String name, int partitions) {
    try (Admin admin = admin()) {
      admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("Cannot create topic " + name, e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while creating topic " + name, e);
    }
  }
}
