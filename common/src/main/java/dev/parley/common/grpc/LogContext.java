package dev.parley.common.grpc;

import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.ServerCall;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

/**
 * The MDC keys a structured log line carries about the request it belongs to: {@code trace_id},
 * {@code user_id}, {@code session_id}. The JSON log encoder writes MDC keys as fields, so an
 * operator can follow one request or one user across every process. Only identifiers: never
 * content, tokens or codes.
 */
public final class LogContext implements AutoCloseable {
  public static final String TRACE_ID = "trace_id";
  public static final String USER_ID = "user_id";
  public static final String SESSION_ID = "session_id";

  private final @Nullable String previousTrace;
  private final @Nullable String previousUser;
  private final @Nullable String previousSession;

  private LogContext() {
    previousTrace = MDC.get(TRACE_ID);
    previousUser = MDC.get(USER_ID);
    previousSession = MDC.get(SESSION_ID);
  }

  /**
   * Puts the keys on this thread's MDC until {@link #close}; 0 ids (not authenticated) and a null
   * trace are left out.
   */
  public static LogContext open(@Nullable String traceId, long userId, long sessionId) {
    LogContext scope = new LogContext();
    if (traceId != null) MDC.put(TRACE_ID, traceId);
    if (userId != 0) MDC.put(USER_ID, Long.toString(userId));
    if (sessionId != 0) MDC.put(SESSION_ID, Long.toString(sessionId));
    return scope;
  }

  /**
   * Restores the keys as they were: threads are pooled, and the next task must not inherit them; in
   * a single node an in-process service may run inside the gateway's scope.
   */
  @Override
  public void close() {
    restore(TRACE_ID, previousTrace);
    restore(USER_ID, previousUser);
    restore(SESSION_ID, previousSession);
  }

  private static void restore(String key, @Nullable String value) {
    if (value == null) {
      MDC.remove(key);
    } else {
      MDC.put(key, value);
    }
  }

  /** A listener that runs each of the call's callbacks with the keys of {@code caller}. */
  static <Q> ServerCall.Listener<Q> around(
      ServerCall.Listener<Q> delegate, String traceId, CallContext caller) {
    return new SimpleForwardingServerCallListener<>(delegate) {
      @Override
      public void onMessage(Q message) {
        try (LogContext ignored = open(traceId, caller.userId(), caller.sessionId())) {
          super.onMessage(message);
        }
      }

      @Override
      public void onHalfClose() {
        try (LogContext ignored = open(traceId, caller.userId(), caller.sessionId())) {
          super.onHalfClose();
        }
      }

      @Override
      public void onCancel() {
        try (LogContext ignored = open(traceId, caller.userId(), caller.sessionId())) {
          super.onCancel();
        }
      }

      @Override
      public void onComplete() {
        try (LogContext ignored = open(traceId, caller.userId(), caller.sessionId())) {
          super.onComplete();
        }
      }

      @Override
      public void onReady() {
        try (LogContext ignored = open(traceId, caller.userId(), caller.sessionId())) {
          super.onReady();
        }
      }
    };
  }
}
