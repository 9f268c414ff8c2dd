package dev.parley.common.grpc;

import dev.parley.common.trace.TraceParent;
import io.grpc.Context;
import io.grpc.Metadata;
import io.opentelemetry.api.trace.SpanContext;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The trace id of the client request being served, so that every log line a request causes, in the
 * gateway and in each service it reaches, can be found by one id. The gateway makes a new id for
 * each WebSocket request; it travels between processes in the W3C {@code traceparent} header
 * ({@code 00-<trace id>-<parent id>-01}), the format OpenTelemetry and most tracing back-ends read,
 * so a tracer added later continues the same traces rather than starting others.
 *
 * <p>Within a process the id lives in the gRPC {@link Context} (it follows the call, including
 * outgoing calls made on the serving thread) and in the logging MDC as {@code trace_id}, next to
 * {@code user_id} and {@code session_id} ({@link LogContext}). Work handed to another thread (the
 * message writer's batches, the bus) logs without it.
 *
 * <p>With tracing on, the gateway's request span rides along ({@link #parent()}): an outgoing call
 * names it in {@code traceparent}, and the service's spans become its children. Without a sampled
 * span the header still carries the trace id, with the "sampled" flag off, and the service decides
 * by itself as for a new trace (ratio sampling by trace id gives the gateway's answer).
 */
public final class TraceContext {
  static final Metadata.Key<String> TRACEPARENT =
      Metadata.Key.of("traceparent", Metadata.ASCII_STRING_MARSHALLER);

  private static final Context.Key<String> KEY = Context.key("parley-trace-id");
  private static final Context.Key<SpanContext> PARENT = Context.key("parley-trace-parent");
  private static final Pattern TRACEPARENT_FORMAT =
      Pattern.compile("[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}");
  private static final String INVALID_TRACE = "0".repeat(32);
  private static final HexFormat hex = HexFormat.of();

  private TraceContext() {}

  /** A new random trace id: 32 lowercase hex digits, never all zero (W3C trace-id). */
  public static String newTraceId() {
    while (true) {
      String id = hex.formatHex(randomBytes(16));
      if (!id.equals(INVALID_TRACE)) return id;
    }
  }

  /** The trace id of the call being served on this thread, or null outside one. */
  public static @Nullable String current() {
    return KEY.get();
  }

  /** The gRPC context with {@code traceId} as the current trace. */
  public static Context with(String traceId) {
    return Context.current().withValue(KEY, traceId);
  }

  /**
   * The span that spans started by this call should be children of: the caller's (a service) or the
   * request's (the gateway); invalid when none was sampled.
   */
  public static SpanContext parent() {
    SpanContext parent = PARENT.get();
    return parent != null ? parent : SpanContext.getInvalid();
  }

  /**
   * Runs {@code work} in {@code traceId} with {@code span} as the {@link #parent()} of what it
   * starts (an invalid span: as {@link #in(String, Supplier)}).
   */
  public static <T> T in(String traceId, SpanContext span, Supplier<T> work) {
    Context context = with(traceId).withValue(PARENT, span);
    Context previous = context.attach();
    try {
      return work.get();
    } finally {
      context.detach(previous);
    }
  }

  /** The gRPC context with {@code traceId} as the current trace under the caller's {@code span}. */
  static Context with(String traceId, SpanContext span) {
    return with(traceId).withValue(PARENT, span);
  }

  /** Runs {@code work} with {@code traceId} as the current trace; calls it starts carry it on. */
  public static <T> T in(String traceId, Supplier<T> work) {
    Context context = with(traceId);
    Context previous = context.attach();
    try {
      return work.get();
    } finally {
      context.detach(previous);
    }
  }

  /**
   * The trace id of a {@code traceparent} value, or null when the value is absent or malformed (a
   * caller's bad header must not break the call; the service then starts its own trace).
   */
  static @Nullable String parse(@Nullable String traceparent) {
    if (traceparent == null) return null;
    var m = TRACEPARENT_FORMAT.matcher(traceparent.trim().toLowerCase(Locale.ROOT));
    if (!m.matches() || m.group(1).equals(INVALID_TRACE)) return null;
    return m.group(1);
  }

  /**
   * A {@code traceparent} value for an outgoing call of {@code traceId} without a sampled span: a
   * new parent id and the "sampled" flag off, so that no service waits for a parent span that no
   * one records.
   */
  static String traceparent(String traceId) {
    return "00-" + traceId + "-" + hex.formatHex(randomBytes(8)) + "-00";
  }

  /** Adds the current trace, if any, to an outgoing call's headers. */
  static void writeCurrent(Metadata headers) {
    String traceId = current();
    if (traceId == null) return;
    String sampled = TraceParent.of(parent());
    headers.put(TRACEPARENT, sampled.isEmpty() ? traceparent(traceId) : sampled);
  }

  /** Not secret, only unique: the fast per-thread generator, no lock on the request path. */
  private static byte[] randomBytes(int n) {
    byte[] bytes = new byte[n];
    ThreadLocalRandom.current().nextBytes(bytes);
    return bytes;
  }
}
