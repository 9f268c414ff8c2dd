package dev.parley.msg.grpc;

import dev.parley.common.error.ParleyException;
import dev.parley.common.grpc.CallContext;
import dev.parley.msg.core.Caller;
import dev.parley.proto.client.Error.Reason;

/**
 * The caller of the current gRPC call. The message service trusts the gateway's identity metadata
 * and does not re-check the session on every call (that would add a query to every message): a
 * revoked session's connection is closed by the gateway at once.
 */
final class Callers {
  private Callers() {}

  static Caller current() {
    CallContext ctx = CallContext.current();
    if (!ctx.authenticated())
      throw new ParleyException(Reason.UNAUTHENTICATED, "This call needs an authenticated caller");
    return new Caller(ctx.userId(), ctx.sessionId());
  }
}
