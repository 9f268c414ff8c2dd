package dev.parley.push.dispatch;

import static dev.parley.push.dispatch.Deliveries.message;
import static dev.parley.push.dispatch.Deliveries.readMarker;
import static dev.parley.push.dispatch.Deliveries.users;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.common.bus.kafka.KafkaConfig;
import dev.parley.common.bus.kafka.KafkaDeliveryBus;
import dev.parley.common.bus.kafka.KafkaTopics;
import dev.parley.common.trace.TraceParent;
import dev.parley.common.trace.Tracing;
import dev.parley.proto.internal.Delivery;
import dev.parley.testkit.KafkaExtension;
import io.grpc.InsecureChannelCredentials;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class DispatcherIT {
  @RegisterExtension static final KafkaExtension kafka = new KafkaExtension();

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final Tracing tracing = Tracing.off();
  private final Deque<AutoCloseable> resources = new ArrayDeque<>();
  private final List<Delivery> handedOff = new CopyOnWriteArrayList<>();
  private final List<Map<Long, Set<Long>>> connectedAtHandOff = new CopyOnWriteArrayList<>();
  private final PushHandOff handOff =
      (delivery, connected) -> {
        handedOff.add(delivery);
        connectedAtHandOff.add(connected);
      };

  @AfterEach
  void closeAll() throws Exception {
    while (!resources.isEmpty()) resources.pop().close();
  }

  private <T extends AutoCloseable> T use(T resource) {
    resources.push(resource);
    return resource;
  }

  private KafkaConfig topic(String name) {
    KafkaConfig config =
        new KafkaConfig(kafka.bootstrapServers(), name, 3, (short) 1, "dispatcher-it", Map.of());
    KafkaTopics.ensure(config);
    return config;
  }

  // A generous deadline: the first call to a gateway includes channel set-up and a cold JIT, which
  // on a loaded 2-core machine can take seconds (a production dispatcher would skip that gateway).
  private Dispatcher dispatcher(KafkaConfig config, String group, FakePresence presence) {
    return dispatcher(config, group, presence, tracing.tracer(Dispatcher.TRACER));
  }

  private Dispatcher dispatcher(
      KafkaConfig config, String group, FakePresence presence, Tracer tracer) {
    DispatcherConfig dc =
        new DispatcherConfig(
            group,
            Duration.ofMillis(100),
            Duration.ofSeconds(20),
            Duration.ofSeconds(1),
            Duration.ofSeconds(5),
            Duration.ofMinutes(1),
            1 << 20);
    return use(
        Dispatcher.create(
            config,
            dc,
            InsecureChannelCredentials.create(),
            presence,
            handOff,
            registry,
            Clock.systemUTC(),
            tracer));
  }

  /**
   * Issue 15 item 2, the cluster's leg: a traced delivery's context crosses Kafka in the {@code
   * traceparent} header; the dispatcher continues each message's trace with a {@code dispatcher
   * route} span that the gateway is told of, and the one call that hands a batch of several traces
   * to a gateway is one span, linked to the traces it serves.
   */
  @Test
  void tracedDeliveriesContinueTheirTracesThroughKafka_andTheBatchHandOverLinksThem() {
    KafkaConfig config = topic("traced");
    FakeGateway a = use(new FakeGateway());
    FakePresence presence = new FakePresence().gateway("a", a.address()).online(1, "a");
    InMemorySpanExporter exported = InMemorySpanExporter.create();
    // Not closed: shutting the exporter down would clear what it holds.
    Tracing traced =
        Tracing.exportingTo(
            SimpleSpanProcessor.create(exported), Sampler.alwaysOn(), "parley-push", "test");
    Tracer messages = traced.tracer("test");
    Span first = messages.spanBuilder("bus publish").setSpanKind(SpanKind.PRODUCER).startSpan();
    Span second = messages.spanBuilder("bus publish").setSpanKind(SpanKind.PRODUCER).startSpan();
    first.end();
    second.end();
    KafkaDeliveryBus bus = use(KafkaDeliveryBus.create(config, registry));
    // One conversation, one partition: published before the dispatcher starts, one poll batch.
    bus.publish(tracedBy(first, message(100, 1, users(1), users(11))));
    bus.publish(tracedBy(second, message(100, 2, users(1), users(12))));
    bus.publish(message(100, 3, users(1), users(13)));
    bus.flush();

    dispatcher(config, "traced-dispatcher", presence, traced.tracer(Dispatcher.TRACER)).start();
    // The route spans end once the batch is handed over, after the call.
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                a.received.size() >= 3
                    && named(exported.getFinishedSpanItems(), "dispatcher route").size() >= 2);

    List<SpanData> routes = named(exported.getFinishedSpanItems(), "dispatcher route");
    assertThat(routes).extracting(SpanData::getKind).containsOnly(SpanKind.CONSUMER);
    assertThat(routes)
        .extracting(SpanData::getParentSpanId)
        .containsExactlyInAnyOrder(
            first.getSpanContext().getSpanId(), second.getSpanContext().getSpanId());
    assertThat(routes)
        .extracting(SpanData::getTraceId)
        .containsExactlyInAnyOrder(
            first.getSpanContext().getTraceId(), second.getSpanContext().getTraceId());
    // The gateway is told of the route span of each traced delivery, and of none for the other.
    assertThat(a.received)
        .extracting(Delivery::getTraceparent)
        .containsExactlyInAnyOrderElementsOf(
            concat(
                routes.stream().map(r -> TraceParent.of(r.getSpanContext())).toList(),
                List.of("")));
    List<SpanData> handOvers = named(exported.getFinishedSpanItems(), "dispatcher handover");
    assertThat(handOvers).hasSize(1);
    SpanData handOver = handOvers.getFirst();
    assertThat(handOver.getKind()).isEqualTo(SpanKind.CLIENT);
    assertThat(handOver.getAttributes().get(AttributeKey.longKey("parley.deliveries")))
        .isEqualTo(3L);
    List<String> served = new ArrayList<>();
    served.add(handOver.getParentSpanId());
    handOver.getLinks().forEach(l -> served.add(l.getSpanContext().getSpanId()));
    assertThat(served)
        .containsExactlyInAnyOrderElementsOf(routes.stream().map(SpanData::getSpanId).toList());
  }

  private static Delivery tracedBy(Span publish, Delivery delivery) {
    return delivery.toBuilder().setTraceparent(TraceParent.of(publish.getSpanContext())).build();
  }

  private static List<SpanData> named(List<SpanData> spans, String name) {
    return spans.stream().filter(s -> s.getName().equals(name)).toList();
  }

  @Test
  void handsEachGatewayTheDeliveriesOfItsUsersInOrderAndEveryEventToPushWithConnectedSessions() {
    KafkaConfig config = topic("routing");
    FakeGateway a = use(new FakeGateway());
    FakeGateway b = use(new FakeGateway());
    // User 2 has devices on both gateways; user 4 is offline.
    FakePresence presence =
        new FakePresence()
            .gateway("a", a.address())
            .gateway("b", b.address())
            .online(1, "a")
            .online(2, "a", "b")
            .online(3, "b");
    dispatcher(config, "routing-dispatcher", presence).start();
    KafkaDeliveryBus bus = use(KafkaDeliveryBus.create(config, registry));

    Delivery groupMessage =
        message(100, 1, users(4, 1, 2, 3), users(41, 11, 21, 31)).toBuilder()
            .setExceptSessionId(5)
            .build();
    Delivery marker = readMarker(3, 32, 100).toBuilder().setOnlySessionId(7).build();
    Delivery disconnect = Delivery.newBuilder().addUserIds(4).setDisconnectSessionId(8).build();
    Delivery toOffline = message(100, 2, users(4), users(42));
    bus.publish(groupMessage);
    bus.publish(marker);
    bus.publish(disconnect);
    bus.publish(toOffline);
    List<Delivery> conversation = new ArrayList<>();
    for (int seq = 1; seq <= 30; seq++) {
      conversation.add(message(200, seq, users(1, 3), users(1000 + seq, 3000 + seq)));
      bus.publish(conversation.getLast());
    }

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> a.received.size() >= 31 && b.received.size() >= 32 && handedOff.size() >= 33);

    Delivery groupForA = Routing.restrict(groupMessage, List.of(1, 2));
    assertThat(groupForA.getUserIdsList()).containsExactly(1L, 2L);
    assertThat(groupForA.getUserPtsList()).containsExactly(11L, 21L);
    List<Delivery> conversationForA =
        conversation.stream().map(d -> Routing.restrict(d, List.of(0))).toList();
    List<Delivery> conversationForB =
        conversation.stream().map(d -> Routing.restrict(d, List.of(1))).toList();
    assertThat(a.received)
        .containsExactlyInAnyOrderElementsOf(concat(List.of(groupForA), conversationForA));
    assertThat(b.received)
        .containsExactlyInAnyOrderElementsOf(
            concat(
                List.of(Routing.restrict(groupMessage, List.of(2, 3)), marker), conversationForB));
    // One conversation (one key, one partition) stays in order on its way to each gateway.
    assertThat(inConversation(a.received, 200)).containsExactlyElementsOf(conversationForA);
    assertThat(inConversation(b.received, 200)).containsExactlyElementsOf(conversationForB);
    // Push gets every event whole (the bare disconnect is no event), with the sessions connected.
    assertThat(handedOff).contains(groupMessage, marker, toOffline).hasSize(33);
    assertThat(connectedAtHandOff.get(handedOff.indexOf(groupMessage)))
        .containsEntry(1L, Set.of(101L))
        .containsEntry(2L, Set.of(201L, 202L))
        .containsEntry(3L, Set.of(301L))
        .doesNotContainKey(4L);
    assertThat(registry.counter("parley.dispatcher.consumed").count()).isEqualTo(34);
    assertThat(registry.counter("parley.dispatcher.pushed").count()).isEqualTo(33);
    assertThat(registry.counter("parley.dispatcher.handed").count()).isEqualTo(63);
    // One call per gateway per batch: far fewer calls than deliveries.
    assertThat(a.calls.size()).isLessThan(31);
  }

  @Test
  void aGatewayThatFailsIsSkippedWithoutHoldingUpTheOthers() throws Exception {
    KafkaConfig config = topic("failing");
    FakeGateway a = use(new FakeGateway());
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    FakePresence presence =
        new FakePresence()
            .gateway("a", a.address())
            .gateway("dead", "127.0.0.1:" + closedPort)
            .online(6, "dead")
            .online(7, "a")
            .online(8, "gone");
    dispatcher(config, "failing-dispatcher", presence).start();
    KafkaDeliveryBus bus = use(KafkaDeliveryBus.create(config, registry));

    for (int seq = 1; seq <= 10; seq++)
      bus.publish(message(300, seq, users(6, 7, 8), users(seq, seq, seq)));

    await().atMost(Duration.ofSeconds(30)).until(() -> a.received.size() == 10);
    try (Admin admin = kafka.admin()) {
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> Offsets.committed(admin, "failing-dispatcher", "failing") == 10);
    }
    assertThat(
            registry
                .find("parley.dispatcher.gateway.failures")
                .tag("reason", "unavailable")
                .counter()
                .count())
        .isPositive();
    assertThat(
            registry
                .find("parley.dispatcher.gateway.failures")
                .tag("reason", "unknown")
                .counter()
                .count())
        .isPositive();
  }

  @Test
  void whatACrashedDispatcherHandedOverButDidNotCommitIsHandedOverAgain() throws Exception {
    KafkaConfig config = topic("crash");
    FakeGateway a = use(new FakeGateway());
    FakePresence presence = new FakePresence().gateway("a", a.address()).online(1, "a");
    KafkaDeliveryBus bus = use(KafkaDeliveryBus.create(config, registry));
    List<Delivery> sent = new ArrayList<>();
    for (int seq = 1; seq <= 10; seq++) {
      sent.add(message(400, seq, users(1), users(seq)));
      bus.publish(sent.getLast());
    }
    bus.flush();

    // The first dispatcher "crashes" right after its first hand-over, before committing it.
    AtomicReference<Dispatcher> first =
        new AtomicReference<>(dispatcher(config, "crash-dispatcher", presence));
    a.onDeliver = request -> first.get().halt();
    first.get().start();
    assertThat(first.get().awaitStopped(Duration.ofSeconds(30))).isTrue();
    List<Delivery> handedBeforeCrash = List.copyOf(a.received);
    assertThat(handedBeforeCrash).isNotEmpty();
    try (Admin admin = kafka.admin()) {
      assertThat(Offsets.committed(admin, "crash-dispatcher", "crash")).isZero();
    }

    a.onDeliver = request -> {};
    dispatcher(config, "crash-dispatcher", presence).start();

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> a.received.size() >= handedBeforeCrash.size() + sent.size());
    List<Delivery> afterRestart = a.received.subList(handedBeforeCrash.size(), a.received.size());
    assertThat(afterRestart).containsExactlyElementsOf(sent);
    for (Delivery d : handedBeforeCrash)
      assertThat(Collections.frequency(a.received, d)).isEqualTo(2);
    try (Admin admin = kafka.admin()) {
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> Offsets.committed(admin, "crash-dispatcher", "crash") == sent.size());
    }
  }

  private static List<Delivery> inConversation(List<Delivery> deliveries, long conversationId) {
    return deliveries.stream()
        .filter(d -> d.getEvent().getUpdate().getMessage().getConversationId() == conversationId)
        .toList();
  }

  private static <T> List<T> concat(List<T> first, List<T> second) {
    List<T> all = new ArrayList<>(first);
    all.addAll(second);
    return all;
  }
}
