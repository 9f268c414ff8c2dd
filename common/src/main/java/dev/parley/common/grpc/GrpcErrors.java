package dev.parley.common.grpc;

import dev.parley.common.db.DatabaseFaults;
import dev.parley.common.error.ErrorCodes;
import dev.parley.common.error.ParleyException;
import dev.parley.proto.client.Error;
import dev.parley.proto.client.Error.Reason;
import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.ProtoUtils;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries {@link Error} across gRPC. A service throws {@link ParleyException}; the server
 * interceptor closes the call with a status whose trailers hold the serialized Error under {@link
 * #ERROR_KEY}; the caller recovers the same Error with {@link #toError(Throwable)}. Unexpected
 * exceptions are logged once here and surface as INTERNAL without details.
 *
 * <p><b>Answers and broken calls.</b> The interceptor puts an Error in the trailers of
 * <em>every</em> failed call it closes, bugs included (INTERNAL). A failed call without one
 * therefore never got an answer from the service: it broke on the way (the peer was killed or went
 * away, the connection was reset, the deadline passed). gRPC reports such breaks as UNAVAILABLE,
 * but, depending on where the break caught the call, also as INTERNAL (an HTTP/2 stream reset, a
 * frame cut short), UNKNOWN or CANCELLED, codes that otherwise mean a bug. The request may or may
 * not have been carried out, and nothing refused it, so the caller hears UNAVAILABLE (retryable;
 * sends are idempotent), and the underlying status is logged once per burst ({@link
 * BrokenCallLog}).
 */
public final class GrpcErrors {
  private static final Logger log = LoggerFactory.getLogger(GrpcErrors.class);
  private static final BrokenCallLog broken =
      new BrokenCallLog(log, Duration.ofSeconds(10), System::nanoTime);

  public static final Metadata.Key<Error> ERROR_KEY =
      ProtoUtils.keyForProto(Error.getDefaultInstance());

  private GrpcErrors() {}

  public static StatusRuntimeException toStatus(ParleyException e) {
    Metadata trailers = new Metadata();
    trailers.put(ERROR_KEY, e.toError());
    return grpcStatus(e.reason()).withDescription(e.getMessage()).asRuntimeException(trailers);
  }

  /** The wire error for anything a gRPC call can fail with. */
  public static Error toError(Throwable t) {
    for (Throwable cause = t; cause != null; cause = cause.getCause()) {
      if (cause instanceof ParleyException p) return p.toError();
      Metadata trailers = null;
      Status status = null;
      if (cause instanceof StatusRuntimeException s) {
        trailers = s.getTrailers();
        status = s.getStatus();
      } else if (cause instanceof StatusException s) {
        trailers = s.getTrailers();
        status = s.getStatus();
      }
      if (status != null) {
        if (trailers != null && trailers.containsKey(ERROR_KEY)) return trailers.get(ERROR_KEY);
        return brokenCall(status);
      }
    }
    // Not a gRPC failure at all: a bug on the calling side, which would otherwise go unlogged.
    log.error("Unexpected failure of a service call", t);
    return ErrorCodes.error(Reason.INTERNAL, "Internal error");
  }

  /** A status without an Error: the call got no answer from the service (see the class comment). */
  private static Error brokenCall(Status status) {
    // The only status a live server answers without our interceptor: no such method (an older
    // service).
    if (status.getCode() == Status.Code.UNIMPLEMENTED) {
      return ErrorCodes.error(Reason.UNKNOWN_OPERATION, "Operation not supported");
    }
    broken.record(status);
    return ErrorCodes.error(Reason.UNAVAILABLE, "Service temporarily unavailable");
  }

  /** The Error a service means when it closes a call with a bare status it chose itself. */
  private static Error answerFor(Status status) {
    return switch (status.getCode()) {
      case UNAVAILABLE, DEADLINE_EXCEEDED, CANCELLED, RESOURCE_EXHAUSTED ->
          ErrorCodes.error(Reason.UNAVAILABLE, "Service temporarily unavailable");
      case UNIMPLEMENTED -> ErrorCodes.error(Reason.UNKNOWN_OPERATION, "Operation not supported");
      default -> ErrorCodes.error(Reason.INTERNAL, "Internal error");
    };
  }

  private static Status grpcStatus(Reason reason) {
    return switch (ErrorCodes.code(reason)) {
      case 400, 413 -> Status.INVALID_ARGUMENT;
      case 401 -> Status.UNAUTHENTICATED;
      case 403 -> Status.PERMISSION_DENIED;
      case 404 -> Status.NOT_FOUND;
      case 409 -> Status.FAILED_PRECONDITION;
      case 429 -> Status.RESOURCE_EXHAUSTED;
      case 503 -> Status.UNAVAILABLE;
      default -> Status.INTERNAL;
    };
  }

  /**
   * Server side: turns exceptions thrown by service methods into statuses with an Error trailer,
   * and marks every failed close with one, so that callers can tell an answer from a broken call.
   */
  public static ServerInterceptor serverInterceptor() {
    return new ServerInterceptor() {
      @Override
      public <Q, R> ServerCall.Listener<Q> interceptCall(
          ServerCall<Q, R> plain, Metadata headers, ServerCallHandler<Q, R> next) {
        ServerCall<Q, R> call = new MarkingServerCall<>(plain);
        ServerCall.Listener<Q> delegate = next.startCall(call, headers);
        return new SimpleForwardingServerCallListener<>(delegate) {
          @Override
          public void onHalfClose() {
            try {
              super.onHalfClose();
            } catch (RuntimeException e) {
              close(call, e);
            }
          }

          @Override
          public void onMessage(Q message) {
            try {
              super.onMessage(message);
            } catch (RuntimeException e) {
              close(call, e);
            }
          }
        };
      }
    };
  }

  /**
   * Adds an Error to the trailers of a failed close that has none (a service that fails a call
   * through its StreamObserver with a bare status): whatever the service closes with is an answer.
   */
  private static final class MarkingServerCall<Q, R> extends SimpleForwardingServerCall<Q, R> {
    MarkingServerCall(ServerCall<Q, R> call) {
      super(call);
    }

    @Override
    public void close(Status status, Metadata trailers) {
      if (!status.isOk() && !trailers.containsKey(ERROR_KEY))
        trailers.put(ERROR_KEY, answerFor(status));
      super.close(status, trailers);
    }
  }

  private static void close(ServerCall<?, ?> call, RuntimeException e) {
    if (e instanceof ParleyException p) {
      StatusRuntimeException s = toStatus(p);
      call.close(s.getStatus(), s.getTrailers());
      return;
    }
    if (e instanceof StatusRuntimeException s) {
      // A call this service made failed (e.g. msg asking user): pass its Error on, or, if that call
      // broke on the way, the UNAVAILABLE it means; never a bare status, which would read as a
      // break.
      Error error = toError(s);
      Metadata trailers = new Metadata();
      trailers.put(ERROR_KEY, error);
      call.close(grpcStatus(error.getReason()).withDescription(error.getMessage()), trailers);
      return;
    }
    if (DatabaseFaults.unavailable(e)) {
      // No connection to the database in time (pool exhausted), or the database ended the session
      // (restart, failover): the caller may retry, so this is UNAVAILABLE, not a bug.
      log.warn(
          "{}: database unavailable: {}",
          call.getMethodDescriptor().getFullMethodName(),
          e.getMessage());
      StatusRuntimeException s =
          toStatus(
              new ParleyException(
                  Reason.UNAVAILABLE, "The server is busy; try again", "", Duration.ofSeconds(1)));
      call.close(s.getStatus(), s.getTrailers());
      return;
    }
    log.error("Unexpected failure in {}", call.getMethodDescriptor().getFullMethodName(), e);
    // Marked (by MarkingServerCall) as INTERNAL: a bug stays INTERNAL for the client, never a
    // break.
    call.close(Status.INTERNAL.withDescription("Internal error"), new Metadata());
  }
}
