package dev.parley.testkit;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnknownFieldSet;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A stand-in for an OpenTelemetry collector: an OTLP/HTTP traces endpoint on 127.0.0.1 (the JDK's
 * HTTP server) that decodes each {@code ExportTraceServiceRequest} it is sent and keeps its spans,
 * or, for a benchmark, only counts them. The protobuf is read field by field ({@link
 * UnknownFieldSet}, numbers from opentelemetry-proto's {@code trace.proto}): the generated OTLP
 * classes are built for a newer protobuf runtime than ours.
 */
public final class OtlpReceiver implements AutoCloseable {
  /** The OTLP span kinds, by their wire numbers. */
  public static final int INTERNAL = 1;

  public static final int SERVER = 2;
  public static final int CLIENT = 3;
  public static final int PRODUCER = 4;
  public static final int CONSUMER = 5;

  /** A span as exported: ids in lowercase hex, the parent's empty for a root. */
  public record ReceivedSpan(
      String traceId,
      String spanId,
      String parentSpanId,
      String name,
      int kind,
      Map<String, String> attributes,
      List<Link> links) {}

  /** A link to another span, possibly of another trace. */
  public record Link(String traceId, String spanId) {}

  private static final HexFormat HEX = HexFormat.of();

  private final HttpServer server;
  private final boolean keep;
  private final List<ReceivedSpan> spans = new CopyOnWriteArrayList<>();
  private final AtomicLong received = new AtomicLong();

  private OtlpReceiver(HttpServer server, boolean keep) {
    this.server = server;
    this.keep = keep;
  }

  /** A receiver that keeps every span (tests). */
  public static OtlpReceiver keeping() {
    return start(true);
  }

  /** A receiver that decodes and counts the spans, then forgets them (long benchmark runs). */
  public static OtlpReceiver counting() {
    return start(false);
  }

  private static OtlpReceiver start(boolean keep) {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      OtlpReceiver receiver = new OtlpReceiver(server, keep);
      server.createContext(
          "/v1/traces",
          exchange -> {
            try (exchange) {
              receiver.accept(exchange.getRequestBody().readAllBytes());
              exchange.sendResponseHeaders(200, -1);
            } catch (InvalidProtocolBufferException e) {
              exchange.sendResponseHeaders(400, -1);
            }
          });
      server.start();
      return receiver;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The URL to configure as {@code tracing.otlp-endpoint}. */
  public String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1/traces";
  }

  /** The spans received so far (empty for a counting receiver). */
  public List<ReceivedSpan> spans() {
    return List.copyOf(spans);
  }

  /** The spans of one trace received so far. */
  public List<ReceivedSpan> trace(String traceId) {
    return spans.stream().filter(s -> s.traceId().equals(traceId)).toList();
  }

  /** How many spans were received. */
  public long received() {
    return received.get();
  }

  private void accept(byte[] body) throws InvalidProtocolBufferException {
    // ExportTraceServiceRequest.resource_spans(1) → ResourceSpans.scope_spans(2) → spans(2)
    for (ByteString resourceSpans : fields(UnknownFieldSet.parseFrom(body), 1)) {
      for (ByteString scopeSpans : fields(UnknownFieldSet.parseFrom(resourceSpans), 2)) {
        for (ByteString span : fields(UnknownFieldSet.parseFrom(scopeSpans), 2)) {
          received.incrementAndGet();
          if (keep) spans.add(span(UnknownFieldSet.parseFrom(span)));
        }
      }
    }
  }

  /** Span: trace_id 1, span_id 2, parent_span_id 4, name 5, kind 6, attributes 9, links 13. */
  private static ReceivedSpan span(UnknownFieldSet s) throws InvalidProtocolBufferException {
    Map<String, String> attributes = new HashMap<>();
    for (ByteString kv : fields(s, 9)) {
      UnknownFieldSet keyValue = UnknownFieldSet.parseFrom(kv);
      attributes.put(string(keyValue, 1), anyValue(UnknownFieldSet.parseFrom(bytes(keyValue, 2))));
    }
    List<Link> links = new ArrayList<>();
    for (ByteString l : fields(s, 13)) {
      UnknownFieldSet link = UnknownFieldSet.parseFrom(l);
      links.add(new Link(hex(bytes(link, 1)), hex(bytes(link, 2))));
    }
    List<Long> kind = s.getField(6).getVarintList();
    return new ReceivedSpan(
        hex(bytes(s, 1)),
        hex(bytes(s, 2)),
        hex(bytes(s, 4)),
        string(s, 5),
        kind.isEmpty() ? 0 : kind.getFirst().intValue(),
        attributes,
        links);
  }

  /** AnyValue: string_value 1, bool_value 2, int_value 3, double_value 4; others as "?". */
  private static String anyValue(UnknownFieldSet v) {
    if (!v.getField(1).getLengthDelimitedList().isEmpty()) return string(v, 1);
    if (!v.getField(2).getVarintList().isEmpty()) {
      return Boolean.toString(v.getField(2).getVarintList().getFirst() != 0);
    }
    if (!v.getField(3).getVarintList().isEmpty()) {
      return Long.toString(v.getField(3).getVarintList().getFirst());
    }
    if (!v.getField(4).getFixed64List().isEmpty()) {
      return Double.toString(Double.longBitsToDouble(v.getField(4).getFixed64List().getFirst()));
    }
    return "?";
  }

  private static List<ByteString> fields(UnknownFieldSet message, int number) {
    return message.getField(number).getLengthDelimitedList();
  }

  private static ByteString bytes(UnknownFieldSet message, int number) {
    List<ByteString> values = fields(message, number);
    return values.isEmpty() ? ByteString.EMPTY : values.getFirst();
  }

  private static String string(UnknownFieldSet message, int number) {
    return bytes(message, number).toStringUtf8();
  }

  private static String hex(ByteString bytes) {
    return HEX.formatHex(bytes.toByteArray());
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
