package dev.parley.common.grpc;

import dev.parley.common.error.ErrorCodes;
import dev.parley.common.error.ParleyException;
import dev.parley.proto.client.Error;
import dev.parley.proto.client.Error.Reason;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.ProtoUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries {@link Error} across gRPC. A service throws {@link ParleyException}; the server interceptor
 * closes the call with a status whose trailers hold the serialized Error under {@link #ERROR_KEY}; the
 * caller recovers the same Error with {@link #toError(Throwable)}. Unexpected exceptions are logged
 * once here and surface as INTERNAL without details.
 */
public final class GrpcErrors {
  private static final Logger log = LoggerFactory.getLogger(GrpcErrors.class);

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
    Throwable cause = t;
    while (cause != null) {
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
        return switch (status.getCode()) {
          case UNAVAILABLE, DEADLINE_EXCEEDED, CANCELLED, RESOURCE_EXHAUSTED ->
              ErrorCodes.error(Reason.UNAVAILABLE, "Service temporarily unavailable");
          case UNIMPLEMENTED -> ErrorCodes.error(Reason.UNKNOWN_OPERATION, "Operation not supported");
          default -> ErrorCodes.error(Reason.INTERNAL, "Internal error");
        };
      }
      cause = cause.getCause();
    }
    return ErrorCodes.error(Reason.INTERNAL, "Internal error");
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

  /** Server side: turns exceptions thrown by service methods into statuses with an Error trailer. */
  public static ServerInterceptor serverInterceptor() {
    return new ServerInterceptor() {
      @Override
      public <Q, R> ServerCall.Listener<Q> interceptCall(
          ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
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

  private static void close(ServerCall<?, ?> call, RuntimeException e) {
    if (e instanceof ParleyException p) {
      StatusRuntimeException s = toStatus(p);
      call.close(s.getStatus(), s.getTrailers());
      return;
    }
    if (e instanceof StatusRuntimeException s) {
      call.close(s.getStatus(), s.getTrailers() == null ? new Metadata() : s.getTrailers());
      return;
    }
    if (overloaded(e)) {
      // No connection to the database in time (pool exhausted, database restarting): nothing was done,
      // and the caller may retry, so this is UNAVAILABLE, not a bug.
      log.warn("{}: database unavailable: {}", call.getMethodDescriptor().getFullMethodName(), e.getMessage());
      StatusRuntimeException s =
          toStatus(new ParleyException(Reason.UNAVAILABLE, "The server is busy; try again", "", java.time.Duration.ofSeconds(1)));
      call.close(s.getStatus(), s.getTrailers());
      return;
    }
    log.error("Unexpected failure in {}", call.getMethodDescriptor().getFullMethodName(), e);
    call.close(Status.INTERNAL.withDescription("Internal error"), new Metadata());
  }

  /** A connection could not be had (SQLState class 08, or the pool's timeout). */
  private static boolean overloaded(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.sql.SQLTransientConnectionException) return true;
      if (t instanceof java.sql.SQLException s && s.getSQLState() != null && s.getSQLState().startsWith("08")) return true;
    }
    return false;
  }
}
