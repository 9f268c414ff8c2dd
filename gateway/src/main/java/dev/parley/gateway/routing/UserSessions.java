package dev.parley.gateway.routing;

import com.google.common.util.concurrent.ListenableFuture;
import dev.parley.common.grpc.CallContext;
import dev.parley.proto.internal.AuthenticateTokenRequest;
import dev.parley.proto.internal.Principal;
import dev.parley.proto.internal.TouchSessionRequest;
import dev.parley.proto.internal.TouchSessionResponse;
import dev.parley.proto.internal.UserServiceGrpc;
import dev.parley.proto.internal.UserServiceGrpc.UserServiceFutureStub;
import io.grpc.Channel;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** The user-service calls the gateway makes for itself: token validation and last-seen updates. */
public final class UserSessions {
  private final Channel user;
  private final Duration deadline;

  public UserSessions(Channel user, Duration deadline) {
    this.user = user;
    this.deadline = deadline;
  }

  public ListenableFuture<Principal> authenticate(String accessToken, String clientIp) {
    return stub(CallContext.anonymous(clientIp))
        .authenticate(AuthenticateTokenRequest.newBuilder().setAccessToken(accessToken).build());
  }

  public ListenableFuture<TouchSessionResponse> touch(
      long userId, long sessionId, String clientIp) {
    return stub(new CallContext(userId, sessionId, clientIp))
        .touchSession(
            TouchSessionRequest.newBuilder().setSessionId(sessionId).setIp(clientIp).build());
  }

  private UserServiceFutureStub stub(CallContext caller) {
    return UserServiceGrpc.newFutureStub(user)
        .withInterceptors(caller.asClientInterceptor())
        .withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS);
  }
}
