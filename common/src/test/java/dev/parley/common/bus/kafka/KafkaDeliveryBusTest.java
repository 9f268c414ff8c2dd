package dev.parley.common.bus.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.proto.client.Event;
import dev.parley.proto.client.Message;
import dev.parley.proto.client.ReadMarker;
import dev.parley.proto.client.Update;
import dev.parley.proto.internal.Delivery;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class KafkaDeliveryBusTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final MockProducer<String, byte[]> producer =
      new MockProducer<>(false, null, new StringSerializer(), new ByteArraySerializer());
  private final KafkaDeliveryBus bus = new KafkaDeliveryBus(producer, "t", registry);

  static Delivery message(long conversationId, long... users) {
    Delivery.Builder d =
        Delivery.newBuilder()
            .setEvent(
                Event.newBuilder()
                    .setUpdate(
                        Update.newBuilder()
                            .setMessage(
                                Message.newBuilder().setConversationId(conversationId).setSeq(1))));
    for (long u : users) d.addUserIds(u).addUserPts(u * 10);
    return d.build();
  }

  @Test
  void keysMessageUpdatesByConversationAndEverythingElseByFirstUser() {
    Delivery msg = message(77, 5, 6);
    Delivery readMarker =
        Delivery.newBuilder()
            .addUserIds(9)
            .addUserIds(3)
            .setEvent(
                Event.newBuilder()
                    .setUpdate(
                        Update.newBuilder()
                            .setReadMarker(ReadMarker.newBuilder().setConversationId(77))))
            .build();
    Delivery disconnect = Delivery.newBuilder().addUserIds(4).setDisconnectSessionId(8).build();

    bus.publish(msg);
    bus.publish(readMarker);
    bus.publish(disconnect);
    bus.publish(Delivery.getDefaultInstance());
    bus.awaitHandedOver();

    assertThat(producer.history()).extracting(r -> r.key()).containsExactly("77", "9", "4", null);
    assertThat(producer.history()).allSatisfy(r -> assertThat(r.topic()).isEqualTo("t"));
    assertThat(producer.history().get(0).value()).isEqualTo(msg.toByteArray());
  }

  @Test
  void countsAcknowledgedAndFailedSendsWithoutThrowing() {
    bus.publish(message(1, 1));
    bus.publish(message(2, 2));
    bus.awaitHandedOver();
    producer.completeNext();
    producer.errorNext(new TimeoutException("broker away"));

    assertThat(registry.counter("parley.bus.kafka.sent").count()).isEqualTo(1);
    assertThat(registry.counter("parley.bus.kafka.failed").count()).isEqualTo(1);
  }

  @Test
  void aThrowingSendIsCountedNotPropagated() {
    producer.sendException = new IllegalStateException("closed");
    bus.publish(message(1, 1));
    bus.awaitHandedOver();
    assertThat(registry.counter("parley.bus.kafka.failed").count()).isEqualTo(1);
  }

  @Test
  void doesNotSubscribe() {
    assertThatThrownBy(() -> bus.subscribe(d -> {}))
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("dispatcher");
  }

  @Test
  void publishNeverWaitsForTheProducer() throws Exception {
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    producer.sendException = null;
    KafkaDeliveryBus slow =
        new KafkaDeliveryBus(
            new org.apache.kafka.clients.producer.MockProducer<>(
                true,
                null,
                new org.apache.kafka.common.serialization.StringSerializer(),
                new org.apache.kafka.common.serialization.ByteArraySerializer()) {
              @Override
              public synchronized java.util.concurrent.Future<
                      org.apache.kafka.clients.producer.RecordMetadata>
                  send(
                      org.apache.kafka.clients.producer.ProducerRecord<String, byte[]> record,
                      org.apache.kafka.clients.producer.Callback callback) {
                try {
                  release.await(); // a producer without metadata blocks up to max.block.ms
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
                return super.send(record, callback);
              }
            },
            "t",
            registry);
    long start = System.nanoTime();
    for (int i = 0; i < 100; i++) slow.publish(message(i, i));
    assertThat(java.time.Duration.ofNanos(System.nanoTime() - start))
        .isLessThan(java.time.Duration.ofSeconds(1));
    release.countDown();
    slow.flush();
    assertThat(registry.counter("parley.bus.kafka.sent").count()).isEqualTo(100);
    slow.close();
  }
}
