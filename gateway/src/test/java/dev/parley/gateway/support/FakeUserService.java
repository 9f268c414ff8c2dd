package dev.parley.gateway.support;

import com.google.protobuf.Message;
import dev.parley.common.error.ParleyException;
import dev.parley.common.grpc.CallContext;
import dev.parley.proto.client.Account;
import dev.parley.proto.client.AuthTokens;
import dev.parley.proto.client.Error.Reason;
import dev.parley.proto.client.GetAccountRequest;
import dev.parley.proto.client.GetAccountResponse;
import dev.parley.proto.client.GetProfilesRequest;
import dev.parley.proto.client.GetProfilesResponse;
import dev.parley.proto.client.ListSessionsRequest;
import dev.parley.proto.client.ListSessionsResponse;
import dev.parley.proto.client.LoginRequest;
import dev.parley.proto.client.LogoutRequest;
import dev.parley.proto.client.LogoutResponse;
import dev.parley.proto.client.Profile;
import dev.parley.proto.client.RefreshRequest;
import dev.parley.proto.client.RegisterRequest;
import dev.parley.proto.client.RequestCodeRequest;
import dev.parley.proto.client.RequestCodeResponse;
import dev.parley.proto.client.Session;
import dev.parley.proto.internal.AuthenticateTokenRequest;
import dev.parley.proto.internal.Principal;
import dev.parley.proto.internal.TouchSessionRequest;
import dev.parley.proto.internal.TouchSessionResponse;
import dev.parley.proto.internal.UserServiceGrpc;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A user service with fixed answers. Access token "good-&lt;user&gt;-&lt;session&gt;" authenticates
 * that user and session; login succeeds with password "secret". Records every call with the
 * caller's CallContext. {@code getProfiles} can be held until the test releases it.
 */
public final class FakeUserService extends UserServiceGrpc.UserServiceImplBase {
  private static final Pattern TOKEN = Pattern.compile("good-(\\d+)-(\\d+)");

  public record Seen(String method, CallContext caller, Message request) {}

  public final Queue<Seen> calls = new ConcurrentLinkedQueue<>();
  public final Set<Long> revokedSessions = ConcurrentHashMap.newKeySet();
  public final Queue<Runnable> held = new ConcurrentLinkedQueue<>();
  public volatile boolean holdGetProfiles;

  /** Runs inside logout before it answers (a test hook to publish deliveries meanwhile). */
  public volatile Runnable onLogout = () -> {};

  private void seen(String method, Message request) {
    calls.add(new Seen(method, CallContext.current(), request));
  }

  public List<Seen> calls(String method) {
    return calls.stream().filter(s -> s.method().equals(method)).toList();
  }

  /** Answers every held call. */
  public void releaseHeld() {
    Runnable r;
    while ((r = held.poll()) != null) r.run();
  }

  private static <T> void reply(StreamObserver<T> out, T value) {
    out.onNext(value);
    out.onCompleted();
  }

  @Override
  public void authenticate(AuthenticateTokenRequest req, StreamObserver<Principal> out) {
    seen("authenticate", req);
    Matcher m = TOKEN.matcher(req.getAccessToken());
    if (!m.matches()) throw new ParleyException(Reason.UNAUTHENTICATED, "Invalid access token");
    reply(
        out,
        Principal.newBuilder()
            .setUserId(Long.parseLong(m.group(1)))
            .setSessionId(Long.parseLong(m.group(2)))
            .setDeviceId("device")
            .build());
  }

  @Override
  public void touchSession(TouchSessionRequest req, StreamObserver<TouchSessionResponse> out) {
    seen("touchSession", req);
    reply(
        out,
        TouchSessionResponse.newBuilder()
            .setActive(!revokedSessions.contains(req.getSessionId()))
            .build());
  }

  @Override
  public void getAccount(GetAccountRequest req, StreamObserver<GetAccountResponse> out) {
    seen("getAccount", req);
    long user = CallContext.current().userId();
    reply(
        out,
        GetAccountResponse.newBuilder()
            .setAccount(
                Account.newBuilder()
                    .setProfile(Profile.newBuilder().setUserId(user).setDisplayName("User " + user))
                    .setEmail("user" + user + "@example.com"))
            .build());
  }

  @Override
  public void getProfiles(GetProfilesRequest req, StreamObserver<GetProfilesResponse> out) {
    seen("getProfiles", req);
    Runnable answer =
        () -> {
          GetProfilesResponse.Builder r = GetProfilesResponse.newBuilder();
          req.getUserIdsList().forEach(id -> r.addProfiles(Profile.newBuilder().setUserId(id)));
          reply(out, r.build());
        };
    if (holdGetProfiles) held.add(answer);
    else answer.run();
  }

  @Override
  public void listSessions(ListSessionsRequest req, StreamObserver<ListSessionsResponse> out) {
    seen("listSessions", req);
    CallContext c = CallContext.current();
    reply(
        out,
        ListSessionsResponse.newBuilder()
            .addSessions(
                Session.newBuilder()
                    .setSessionId(c.sessionId())
                    .setIp(c.clientIp())
                    .setCurrent(true))
            .build());
  }

  @Override
  public void logout(LogoutRequest req, StreamObserver<LogoutResponse> out) {
    seen("logout", req);
    onLogout.run();
    reply(out, LogoutResponse.getDefaultInstance());
  }

  @Override
  public void requestCode(RequestCodeRequest req, StreamObserver<RequestCodeResponse> out) {
    seen("requestCode", req);
    if (!req.getIdentifier().getEmail().contains("@")) {
      throw new ParleyException(Reason.INVALID_IDENTIFIER, "Not an e-mail address");
    }
    reply(
        out,
        RequestCodeResponse.newBuilder()
            .setCodeLength(6)
            .setExpiresInSeconds(600)
            .setResendAfterSeconds(60)
            .build());
  }

  @Override
  public void register(RegisterRequest req, StreamObserver<AuthTokens> out) {
    seen("register", req);
    throw new ParleyException(Reason.ACCOUNT_EXISTS, "An account exists for this identifier");
  }

  @Override
  public void login(LoginRequest req, StreamObserver<AuthTokens> out) {
    seen("login", req);
    if (!req.getPassword().equals("secret")) {
      throw new ParleyException(Reason.INVALID_CREDENTIALS, "Wrong identifier or password");
    }
    reply(out, tokens(7, 70));
  }

  @Override
  public void refresh(RefreshRequest req, StreamObserver<AuthTokens> out) {
    seen("refresh", req);
    reply(out, tokens(7, 71));
  }

  private static AuthTokens tokens(long user, long session) {
    return AuthTokens.newBuilder()
        .setUserId(user)
        .setSessionId(session)
        .setAccessToken("good-" + user + "-" + session)
        .setRefreshToken("refresh-" + session)
        .setAccessTokenExpiresAtMs(1_000_000)
        .build();
  }
}
