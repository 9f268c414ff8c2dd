package dev.parley.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.parley.client.Futures;
import dev.parley.client.Recipient;
import dev.parley.common.grpc.LogContext;
import dev.parley.gateway.ws.ConnectionHandler;
import dev.parley.proto.client.SendMessageResponse;
import dev.parley.testkit.OtlpReceiver;
import dev.parley.testkit.OtlpReceiver.ReceivedSpan;
import dev.parley.testkit.PostgresExtension;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/**
 * Issue 15 item 2 end to end: with {@code tracing.exporter: otlp}, a message is one trace from the
 * sender's request to each recipient connection, under the request's log trace id, exported over
 * OTLP/HTTP to a collector (a local receiver that decodes the protobuf). Each test runs its own
 * node and closes it before looking: closing flushes the exporter's batch.
 */
class TracingIT {
  @RegisterExtension static final PostgresExtension postgres = new PostgresExtension();

  private final OtlpReceiver collector = OtlpReceiver.keeping();
  private final Logger requestLog = (Logger) LoggerFactory.getLogger(ConnectionHandler.class);
  private final ListAppender<ILoggingEvent> requests = new ListAppender<>();
  private Level previousLevel;

  @BeforeEach
  void captureTheRequestLog() {
    previousLevel = requestLog.getLevel();
    requestLog.setLevel(Level.DEBUG);
    requests.start();
    requestLog.addAppender(requests);
  }

  @AfterEach
  void restore() {
    requestLog.detachAppender(requests);
    requestLog.setLevel(previousLevel);
    collector.close();
  }

  private TestNode node(String samplingRatio) {
    return TestNode.start(
        postgres,
        Map.of(
            "tracing.exporter",
            "otlp",
            "tracing.otlp-endpoint",
            collector.endpoint(),
            "tracing.sampling-ratio",
            samplingRatio));
  }

  @Test
  void aMessageIsOneTrace_fromTheSendersRequestThroughTheBusToEachRecipientConnection() {
    Device ann;
    List<Device> ben;
    SendMessageResponse sent;
    try (TestNode node = node("1.0");
        TestUsers users = new TestUsers(node, new DevCodes(node.dataDir))) {
      ann = users.user("ann", 1).getFirst();
      ben = users.user("ben", 2);
      sent = Futures.await(ann.messenger.sendText(Recipient.user(ben.get(0).userId()), "traced"));
      receivedByAll(ben, sent);
    }

    String traceId = logTraceIdOf("send_message");
    List<ReceivedSpan> trace = collector.trace(traceId);
    ReceivedSpan request = one(trace, "gateway send_message");
    assertThat(request.kind()).isEqualTo(OtlpReceiver.SERVER);
    assertThat(request.parentSpanId()).as("the request is the root").isEmpty();
    assertThat(request.attributes()).containsEntry("parley.op", "send_message");
    ReceivedSpan send = one(trace, "msg send");
    assertThat(send.parentSpanId()).isEqualTo(request.spanId());
    for (String step : List.of("msg.queue_wait", "msg.transaction", "msg.commit")) {
      assertThat(one(trace, step).parentSpanId()).as(step).isEqualTo(send.spanId());
    }
    ReceivedSpan publish = one(trace, "bus publish");
    assertThat(publish.kind()).isEqualTo(OtlpReceiver.PRODUCER);
    assertThat(publish.parentSpanId()).isEqualTo(send.spanId());
    ReceivedSpan dispatch = one(trace, "gateway dispatch");
    assertThat(dispatch.kind()).isEqualTo(OtlpReceiver.CONSUMER);
    assertThat(dispatch.parentSpanId()).isEqualTo(publish.spanId());
    List<ReceivedSpan> delivered = named(trace, "gateway deliver");
    assertThat(delivered).extracting(ReceivedSpan::parentSpanId).containsOnly(dispatch.spanId());
    // One span per recipient connection: both of Ben's devices (and any other device of Ann's).
    assertThat(sessionsOf(delivered, ben.get(0).userId()))
        .containsExactlyInAnyOrderElementsOf(sessionsOf(ben));
    assertThat(dispatch.attributes())
        .containsEntry("parley.connections", Integer.toString(delivered.size()));
    // One trace per message: no span of the send path lies outside it.
    assertThat(collector.spans())
        .filteredOn(s -> Set.of("msg send", "bus publish", "gateway dispatch").contains(s.name()))
        .extracting(ReceivedSpan::traceId)
        .containsOnly(traceId);
  }

  @Test
  void aFanOutToManyConnections_keepsASpanPerConnectionForTheFirstSixteenAndOneForTheRest() {
    int devices = 19;
    Device ann;
    List<Device> ben;
    try (TestNode node = node("1.0");
        TestUsers users = new TestUsers(node, new DevCodes(node.dataDir))) {
      ann = users.user("ann", 1).getFirst();
      ben = users.user("ben", devices);
      SendMessageResponse sent =
          Futures.await(ann.messenger.sendText(Recipient.user(ben.get(0).userId()), "to many"));
      receivedByAll(ben, sent);
    }

    List<ReceivedSpan> trace = collector.trace(logTraceIdOf("send_message"));
    List<ReceivedSpan> delivered = named(trace, "gateway deliver");
    List<ReceivedSpan> single =
        delivered.stream().filter(s -> s.attributes().containsKey("parley.session_id")).toList();
    List<ReceivedSpan> shared =
        delivered.stream().filter(s -> !s.attributes().containsKey("parley.session_id")).toList();
    assertThat(single).hasSize(16);
    assertThat(shared).hasSize(1);
    int connections =
        Integer.parseInt(one(trace, "gateway dispatch").attributes().get("parley.connections"));
    assertThat(connections).isGreaterThanOrEqualTo(devices);
    assertThat(shared.getFirst().attributes())
        .containsEntry("parley.connections", Integer.toString(connections - 16));
  }

  @Test
  void samplingRatioZero_exportsNothing() {
    try (TestNode node = node("0");
        TestUsers users = new TestUsers(node, new DevCodes(node.dataDir))) {
      Device ann = users.user("ann", 1).getFirst();
      List<Device> ben = users.user("ben", 1);
      SendMessageResponse sent =
          Futures.await(ann.messenger.sendText(Recipient.user(ben.get(0).userId()), "untraced"));
      receivedByAll(ben, sent);
    }
    // The node is closed: whatever was sampled has been flushed to the collector.
    assertThat(logTraceIdOf("send_message")).isNotEmpty();
    assertThat(collector.received()).isZero();
  }

  private static void receivedByAll(List<Device> devices, SendMessageResponse sent) {
    for (Device d : devices) {
      await()
          .atMost(Device.WAIT)
          .until(
              () ->
                  d.store.messages(sent.getConversationId()).stream()
                      .anyMatch(m -> m.getSeq() == sent.getSeq()));
    }
  }

  /** The trace_id of the request log line of the one {@code op} request. */
  private String logTraceIdOf(String op) {
    List<String> ids =
        requests.list.stream()
            .filter(e -> e.getFormattedMessage().startsWith("Request " + op + " "))
            .map(e -> e.getMDCPropertyMap().get(LogContext.TRACE_ID))
            .toList();
    assertThat(ids).as("log lines of %s", op).hasSize(1);
    return ids.getFirst();
  }

  private static Set<Long> sessionsOf(List<ReceivedSpan> spans, long userId) {
    return spans.stream()
        .filter(s -> Long.toString(userId).equals(s.attributes().get("parley.user_id")))
        .map(s -> Long.parseLong(s.attributes().get("parley.session_id")))
        .collect(Collectors.toSet());
  }

  private static Set<Long> sessionsOf(List<Device> devices) {
    return devices.stream().map(d -> d.credentials.sessionId()).collect(Collectors.toSet());
  }

  private static List<ReceivedSpan> named(List<ReceivedSpan> spans, String name) {
    return spans.stream().filter(s -> s.name().equals(name)).toList();
  }

  private static ReceivedSpan one(List<ReceivedSpan> spans, String name) {
    List<ReceivedSpan> matching = named(spans, name);
    assertThat(matching).as(name).hasSize(1);
    return matching.getFirst();
  }
}
