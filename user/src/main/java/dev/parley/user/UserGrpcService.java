package dev.parley.user;

import dev.parley.common.error.ParleyException;
import dev.parley.common.grpc.CallContext;
import dev.parley.common.privacy.PrivacyProtos;
import dev.parley.common.privacy.PrivacySettings;
import dev.parley.proto.client.AuthTokens;
import dev.parley.proto.client.Error.Reason;
import dev.parley.proto.client.GetAccountRequest;
import dev.parley.proto.client.GetAccountResponse;
import dev.parley.proto.client.GetPrivacyRequest;
import dev.parley.proto.client.GetPrivacyResponse;
import dev.parley.proto.client.GetProfilesRequest;
import dev.parley.proto.client.GetProfilesResponse;
import dev.parley.proto.client.ListSecurityEventsRequest;
import dev.parley.proto.client.ListSecurityEventsResponse;
import dev.parley.proto.client.ListSessionsRequest;
import dev.parley.proto.client.ListSessionsResponse;
import dev.parley.proto.client.LoginRequest;
import dev.parley.proto.client.LogoutRequest;
import dev.parley.proto.client.LogoutResponse;
import dev.parley.proto.client.LookupUserRequest;
import dev.parley.proto.client.LookupUserResponse;
import dev.parley.proto.client.RefreshRequest;
import dev.parley.proto.client.RegisterPushTargetRequest;
import dev.parley.proto.client.RegisterPushTargetResponse;
import dev.parley.proto.client.RegisterRequest;
import dev.parley.proto.client.RequestCodeRequest;
import dev.parley.proto.client.RequestCodeResponse;
import dev.parley.proto.client.RevokeSessionRequest;
import dev.parley.proto.client.RevokeSessionResponse;
import dev.parley.proto.client.SetPasswordRequest;
import dev.parley.proto.client.SetPasswordResponse;
import dev.parley.proto.client.SetPrivacyRequest;
import dev.parley.proto.client.SetPrivacyResponse;
import dev.parley.proto.client.UnregisterPushTargetRequest;
import dev.parley.proto.client.UnregisterPushTargetResponse;
import dev.parley.proto.client.UpdateProfileRequest;
import dev.parley.proto.client.UpdateProfileResponse;
import dev.parley.proto.internal.AuthenticateTokenRequest;
import dev.parley.proto.internal.FindUsersRequest;
import dev.parley.proto.internal.FindUsersResponse;
import dev.parley.proto.internal.GetDisplayNamesRequest;
import dev.parley.proto.internal.GetDisplayNamesResponse;
import dev.parley.proto.internal.GetPrivacyOfRequest;
import dev.parley.proto.internal.GetPrivacyOfResponse;
import dev.parley.proto.internal.GetProfilesOfRequest;
import dev.parley.proto.internal.GetProfilesOfResponse;
import dev.parley.proto.internal.ListPushTargetsRequest;
import dev.parley.proto.internal.ListPushTargetsResponse;
import dev.parley.proto.internal.Principal;
import dev.parley.proto.internal.RecordRoleChangeRequest;
import dev.parley.proto.internal.RecordRoleChangeResponse;
import dev.parley.proto.internal.RemovePushTargetRequest;
import dev.parley.proto.internal.RemovePushTargetResponse;
import dev.parley.proto.internal.TouchSessionRequest;
import dev.parley.proto.internal.TouchSessionResponse;
import dev.parley.proto.internal.UserServiceGrpc;
import dev.parley.user.account.ProfileChange;
import dev.parley.user.account.ProfileManager;
import dev.parley.user.account.ProfileManager.LookupKey;
import dev.parley.user.account.ProfileRules;
import dev.parley.user.auth.AuthManager;
import dev.parley.user.auth.CodeManager;
import dev.parley.user.auth.Identifier;
import dev.parley.user.auth.PasswordHasher;
import dev.parley.user.privacy.PrivacyChange;
import dev.parley.user.privacy.PrivacyManager;
import dev.parley.user.privacy.PrivacyRules;
import dev.parley.user.push.PushTarget;
import dev.parley.user.push.PushTargetManager;
import dev.parley.user.session.RevokeReason;
import dev.parley.user.session.SessionManager;
import io.grpc.stub.StreamObserver;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The gRPC edge of the user service: validates requests, converts protobuf to domain values, calls
 * the managers and converts the answers back. Failures are thrown as {@link ParleyException} and
 * turned into a status with the Error trailer by the server's GrpcErrors interceptor.
 *
 * <p>Caller identity comes from {@link CallContext}. The bootstrap calls (RequestCode, Register,
 * Login, Refresh) and the gateway's own calls (Authenticate, TouchSession) need no caller; every
 * other call requires an authenticated caller whose session is still active, so a revoked device
 * can do nothing more even before its connection is closed.
 */
final class UserGrpcService extends UserServiceGrpc.UserServiceImplBase {
  private static final int MAX_REFRESH_TOKEN = 128;
  private static final int MAX_IP = 64;
  private static final int DEFAULT_SECURITY_EVENTS = 50;
  private static final int MAX_SECURITY_EVENTS = 100;
  private static final int MAX_PUSH_TARGET_USERS = 1000;
  private static final Set<String> GROUP_ROLES = Set.of("member", "admin", "owner");
  // "Before the end of time", within what both Java's OffsetDateTime and PostgreSQL can hold.
  private static final Instant NO_BOUND = Instant.parse("9999-12-31T23:59:59Z");

  private final AuthManager auth;
  private final SessionManager sessions;
  private final ProfileManager profiles;
  private final PasswordHasher passwords;
  private final PushTargetManager push;
  private final PrivacyManager privacy;
  private final boolean allowPrivateWebPushEndpoints;

  UserGrpcService(
      AuthManager auth,
      SessionManager sessions,
      ProfileManager profiles,
      PasswordHasher passwords,
      PushTargetManager push,
      PrivacyManager privacy,
      boolean allowPrivateWebPushEndpoints) {
    this.privacy = privacy;
    this.auth = auth;
    this.sessions = sessions;
    this.profiles = profiles;
    this.passwords = passwords;
    this.push = push;
    this.allowPrivateWebPushEndpoints = allowPrivateWebPushEndpoints;
  }

  private record Caller(long userId, long sessionId) {}

  private Caller caller() {
    CallContext ctx = CallContext.current();
    if (!ctx.authenticated())
      throw new ParleyException(Reason.UNAUTHENTICATED, "This call needs an authenticated caller");
    sessions.requireActive(ctx.userId(), ctx.sessionId());
    return new Caller(ctx.userId(), ctx.sessionId());
  }

  private static <T> void reply(StreamObserver<T> observer, T value) {
    observer.onNext(value);
    observer.onCompleted();
  }

  // --- Bootstrap --------------------------------------------------------------------------------

  @Override
  public void requestCode(
      RequestCodeRequest request, StreamObserver<RequestCodeResponse> observer) {
    Identifier identifier =
        ProtoMapper.identifier(request.getIdentifier(), request.hasIdentifier(), "identifier");
    CodeManager.CodeTicket ticket = auth.requestCode(identifier, CallContext.current().clientIp());
    reply(
        observer,
        RequestCodeResponse.newBuilder()
            .setCodeLength(ticket.length())
            .setExpiresInSeconds((int) ticket.ttl().toSeconds())
            .setResendAfterSeconds((int) ticket.resendAfter().toSeconds())
            .build());
  }

  @Override
  public void register(RegisterRequest request, StreamObserver<AuthTokens> observer) {
    Identifier identifier =
        ProtoMapper.identifier(request.getIdentifier(), request.hasIdentifier(), "identifier");
    String code = code(request.getCode());
    if (!request.getPassword().isEmpty()) passwords.checkPolicy(request.getPassword(), "password");
    String displayName = ProfileRules.displayName(request.getDisplayName(), "display_name");
    var device = ProtoMapper.device(request.getDevice());
    var tokens =
        auth.register(
            identifier,
            code,
            request.getPassword(),
            displayName,
            device,
            CallContext.current().clientIp());
    reply(observer, ProtoMapper.tokens(tokens));
  }

  @Override
  public void login(LoginRequest request, StreamObserver<AuthTokens> observer) {
    Identifier identifier =
        ProtoMapper.identifier(request.getIdentifier(), request.hasIdentifier(), "identifier");
    var device = ProtoMapper.device(request.getDevice());
    String ip = CallContext.current().clientIp();
    var tokens =
        switch (request.getSecretCase()) {
          case PASSWORD ->
              auth.loginWithPassword(identifier, password(request.getPassword()), device, ip);
          case CODE -> auth.loginWithCode(identifier, code(request.getCode()), device, ip);
          case SECRET_NOT_SET ->
              throw ParleyException.invalid("password", "A password or a code is required");
        };
    reply(observer, ProtoMapper.tokens(tokens));
  }

  @Override
  public void refresh(RefreshRequest request, StreamObserver<AuthTokens> observer) {
    String token = request.getRefreshToken();
    if (token.isEmpty())
      throw ParleyException.invalid("refresh_token", "refresh_token is required");
    if (token.length() > MAX_REFRESH_TOKEN) {
      throw new ParleyException(Reason.INVALID_REFRESH_TOKEN, "Unknown or expired refresh token");
    }
    reply(observer, ProtoMapper.tokens(sessions.refresh(token)));
  }

  // --- Gateway
  // ------------------------------------------------------------------------------------

  @Override
  public void authenticate(AuthenticateTokenRequest request, StreamObserver<Principal> observer) {
    reply(
        observer,
        ProtoMapper.principal(
            sessions.authenticate(request.getAccessToken(), CallContext.current().clientIp())));
  }

  @Override
  public void touchSession(
      TouchSessionRequest request, StreamObserver<TouchSessionResponse> observer) {
    if (request.getSessionId() <= 0)
      throw ParleyException.invalid("session_id", "session_id is required");
    if (request.getIp().length() > MAX_IP) throw ParleyException.invalid("ip", "ip is too long");
    boolean active = sessions.touch(request.getSessionId(), request.getIp());
    reply(observer, TouchSessionResponse.newBuilder().setActive(active).build());
  }

  // --- Sessions
  // -----------------------------------------------------------------------------------

  @Override
  public void logout(LogoutRequest request, StreamObserver<LogoutResponse> observer) {
    Caller caller = caller();
    sessions.revoke(caller.userId(), caller.sessionId(), RevokeReason.LOGOUT);
    reply(observer, LogoutResponse.getDefaultInstance());
  }

  @Override
  public void listSessions(
      ListSessionsRequest request, StreamObserver<ListSessionsResponse> observer) {
    Caller caller = caller();
    ListSessionsResponse.Builder response = ListSessionsResponse.newBuilder();
    Map<Long, String> pushServices = push.servicesOf(caller.userId());
    sessions
        .list(caller.userId())
        .forEach(
            s ->
                response.addSessions(
                    ProtoMapper.session(s, caller.sessionId(), pushServices.get(s.sessionId()))));
    reply(observer, response.build());
  }

  @Override
  public void registerPushTarget(
      RegisterPushTargetRequest request, StreamObserver<RegisterPushTargetResponse> observer) {
    Caller caller = caller();
    if (!request.hasTarget()) throw ParleyException.invalid("target", "target is required");
    PushTarget target =
        ProtoMapper.pushTarget(request.getTarget(), "target", allowPrivateWebPushEndpoints);
    push.register(
        caller.userId(), caller.sessionId(), target, request.getTarget().getNotifyWhileConnected());
    reply(observer, RegisterPushTargetResponse.getDefaultInstance());
  }

  @Override
  public void unregisterPushTarget(
      UnregisterPushTargetRequest request, StreamObserver<UnregisterPushTargetResponse> observer) {
    Caller caller = caller();
    push.unregister(caller.sessionId());
    reply(observer, UnregisterPushTargetResponse.getDefaultInstance());
  }

  @Override
  public void revokeSession(
      RevokeSessionRequest request, StreamObserver<RevokeSessionResponse> observer) {
    Caller caller = caller();
    if (request.getSessionId() <= 0)
      throw ParleyException.invalid("session_id", "session_id is required");
    sessions.revoke(caller.userId(), request.getSessionId(), RevokeReason.REVOKED);
    reply(observer, RevokeSessionResponse.getDefaultInstance());
  }

  // --- Account and profiles
  // -----------------------------------------------------------------------

  @Override
  public void getAccount(GetAccountRequest request, StreamObserver<GetAccountResponse> observer) {
    Caller caller = caller();
    var account = profiles.account(caller.userId());
    reply(
        observer, GetAccountResponse.newBuilder().setAccount(ProtoMapper.account(account)).build());
  }

  @Override
  public void getProfiles(
      GetProfilesRequest request, StreamObserver<GetProfilesResponse> observer) {
    Caller caller = caller();
    GetProfilesResponse.Builder response = GetProfilesResponse.newBuilder();
    profiles
        .profiles(caller.userId(), request.getUserIdsList())
        .forEach(p -> response.addProfiles(ProtoMapper.profile(p)));
    reply(observer, response.build());
  }

  @Override
  public void findUsers(FindUsersRequest request, StreamObserver<FindUsersResponse> observer) {
    reply(
        observer,
        FindUsersResponse.newBuilder()
            .addAllExisting(profiles.existing(request.getUserIdsList()))
            .build());
  }

  @Override
  public void getProfilesOf(
      GetProfilesOfRequest request, StreamObserver<GetProfilesOfResponse> observer) {
    GetProfilesOfResponse.Builder response = GetProfilesOfResponse.newBuilder();
    profiles
        .profilesOf(request.getUserIdsList())
        .forEach(p -> response.addProfiles(ProtoMapper.profile(p)));
    reply(observer, response.build());
  }

  @Override
  public void getDisplayNames(
      GetDisplayNamesRequest request, StreamObserver<GetDisplayNamesResponse> observer) {
    reply(
        observer,
        GetDisplayNamesResponse.newBuilder()
            .putAllNames(profiles.displayNames(request.getUserIdsList()))
            .build());
  }

  @Override
  public void getPrivacy(GetPrivacyRequest request, StreamObserver<GetPrivacyResponse> observer) {
    Caller caller = caller();
    reply(
        observer,
        GetPrivacyResponse.newBuilder()
            .setSettings(PrivacyProtos.toProto(privacy.get(caller.userId())))
            .build());
  }

  @Override
  public void setPrivacy(SetPrivacyRequest request, StreamObserver<SetPrivacyResponse> observer) {
    Caller caller = caller();
    PrivacyChange change =
        new PrivacyChange(
            Optional.ofNullable(PrivacyProtos.fromProto(request.getForwards())),
            Optional.ofNullable(PrivacyProtos.fromProto(request.getLastSeen())),
            request.getReplaceLastSeenAlways()
                ? Optional.of(
                    PrivacyRules.exceptions(
                        request.getLastSeenAlwaysList(), caller.userId(), "last_seen_always"))
                : Optional.empty(),
            request.getReplaceLastSeenNever()
                ? Optional.of(
                    PrivacyRules.exceptions(
                        request.getLastSeenNeverList(), caller.userId(), "last_seen_never"))
                : Optional.empty());
    if (!request.getReplaceLastSeenAlways() && request.getLastSeenAlwaysCount() > 0)
      throw ParleyException.invalid(
          "replace_last_seen_always", "A list is only taken with its replace flag set");
    if (!request.getReplaceLastSeenNever() && request.getLastSeenNeverCount() > 0)
      throw ParleyException.invalid(
          "replace_last_seen_never", "A list is only taken with its replace flag set");
    PrivacySettings stored = privacy.set(caller.userId(), caller.sessionId(), change);
    reply(
        observer,
        SetPrivacyResponse.newBuilder().setSettings(PrivacyProtos.toProto(stored)).build());
  }

  @Override
  public void getPrivacyOf(
      GetPrivacyOfRequest request, StreamObserver<GetPrivacyOfResponse> observer) {
    if (request.getUserIdsCount() > PrivacyManager.MAX_LOOKUP)
      throw ParleyException.invalid(
          "user_ids", "At most " + PrivacyManager.MAX_LOOKUP + " users per call");
    GetPrivacyOfResponse.Builder answer = GetPrivacyOfResponse.newBuilder();
    privacy
        .of(request.getUserIdsList())
        .forEach((id, settings) -> answer.putSettings(id, PrivacyProtos.toProto(settings)));
    reply(observer, answer.build());
  }

  @Override
  public void updateProfile(
      UpdateProfileRequest request, StreamObserver<UpdateProfileResponse> observer) {
    Caller caller = caller();
    ProfileChange change =
        new ProfileChange(
            request.hasDisplayName()
                ? Optional.of(ProfileRules.displayName(request.getDisplayName(), "display_name"))
                : Optional.empty(),
            request.hasUsername()
                ? Optional.of(ProfileRules.username(request.getUsername(), "username"))
                : Optional.empty(),
            request.hasAvatarFileId()
                ? Optional.of(
                    ProfileRules.avatarFileId(request.getAvatarFileId(), "avatar_file_id"))
                : Optional.empty());
    var profile = profiles.update(caller.userId(), caller.sessionId(), change);
    reply(
        observer,
        UpdateProfileResponse.newBuilder().setProfile(ProtoMapper.profile(profile)).build());
  }

  @Override
  public void setPassword(
      SetPasswordRequest request, StreamObserver<SetPasswordResponse> observer) {
    Caller caller = caller();
    profiles.setPassword(
        caller.userId(),
        caller.sessionId(),
        CallContext.current().clientIp(),
        request.getCurrentPassword(),
        request.getNewPassword(),
        request.getKeepOtherSessions());
    reply(observer, SetPasswordResponse.getDefaultInstance());
  }

  @Override
  public void lookupUser(LookupUserRequest request, StreamObserver<LookupUserResponse> observer) {
    Caller caller = caller();
    LookupKey key =
        switch (request.getByCase()) {
          case USERNAME -> {
            String username = ProfileRules.username(request.getUsername(), "username");
            if (username.isEmpty()) throw ParleyException.invalid("username", "username is empty");
            yield new LookupKey.ByUsername(username);
          }
          case EMAIL -> new LookupKey.ByIdentifier(Identifier.email(request.getEmail(), "email"));
          case PHONE -> new LookupKey.ByIdentifier(Identifier.phone(request.getPhone(), "phone"));
          case BY_NOT_SET ->
              throw ParleyException.invalid("username", "A username, email or phone is required");
        };
    var profile = profiles.lookup(caller.userId(), key);
    reply(
        observer, LookupUserResponse.newBuilder().setProfile(ProtoMapper.profile(profile)).build());
  }

  @Override
  public void listSecurityEvents(
      ListSecurityEventsRequest request, StreamObserver<ListSecurityEventsResponse> observer) {
    Caller caller = caller();
    int limit = request.getLimit() == 0 ? DEFAULT_SECURITY_EVENTS : request.getLimit();
    if (limit > MAX_SECURITY_EVENTS) {
      throw ParleyException.invalid(
          "limit", "At most " + MAX_SECURITY_EVENTS + " events per request");
    }
    if (request.getBeforeMs() < 0)
      throw ParleyException.invalid("before_ms", "before_ms must not be negative");
    Instant before =
        request.getBeforeMs() == 0 ? NO_BOUND : Instant.ofEpochMilli(request.getBeforeMs());
    ListSecurityEventsResponse.Builder response = ListSecurityEventsResponse.newBuilder();
    profiles
        .securityEvents(caller.userId(), before, limit)
        .forEach(e -> response.addEvents(ProtoMapper.securityEvent(e)));
    reply(observer, response.build());
  }

  // --- Message service
  // ---------------------------------------------------------------------------

  /**
   * Internal: the gateway maps no client op here. Best effort on both sides: the message service
   * has committed the change already and only logs a failure of this call.
   */
  @Override
  public void recordRoleChange(
      RecordRoleChangeRequest request, StreamObserver<RecordRoleChangeResponse> observer) {
    if (request.getUserId() <= 0) throw ParleyException.invalid("user_id", "user_id is required");
    if (request.getGroupId() <= 0)
      throw ParleyException.invalid("group_id", "group_id is required");
    if (request.getActorId() <= 0)
      throw ParleyException.invalid("actor_id", "actor_id is required");
    if (!GROUP_ROLES.contains(request.getRole()))
      throw ParleyException.invalid("role", "role must be member, admin or owner");
    profiles.recordRoleChange(
        request.getUserId(), request.getGroupId(), request.getActorId(), request.getRole());
    reply(observer, RecordRoleChangeResponse.getDefaultInstance());
  }

  // --- Push role
  // -------------------------------------------------------------------------------------

  /** Internal: the push role's lookup; the gateway maps no client op here. */
  @Override
  public void listPushTargets(
      ListPushTargetsRequest request, StreamObserver<ListPushTargetsResponse> observer) {
    if (request.getUserIdsCount() > MAX_PUSH_TARGET_USERS) {
      throw ParleyException.invalid(
          "user_ids", "At most " + MAX_PUSH_TARGET_USERS + " users per request");
    }
    ListPushTargetsResponse.Builder response = ListPushTargetsResponse.newBuilder();
    push.ofUsers(Set.copyOf(request.getUserIdsList()))
        .forEach(t -> response.addTargets(ProtoMapper.sessionPushTarget(t)));
    reply(observer, response.build());
  }

  @Override
  public void removePushTarget(
      RemovePushTargetRequest request, StreamObserver<RemovePushTargetResponse> observer) {
    if (request.getAddress().isEmpty())
      throw ParleyException.invalid("address", "address is required");
    reply(
        observer,
        RemovePushTargetResponse.newBuilder()
            .setRemoved(push.removeRefused(request.getSessionId(), request.getAddress()))
            .build());
  }

  // --- Input checks
  // -------------------------------------------------------------------------------

  private static String code(String code) {
    if (code.isEmpty()) throw ParleyException.invalid("code", "code is required");
    if (code.length() > CodeManager.MAX_CODE_INPUT)
      throw ParleyException.invalid("code", "code is too long");
    return code;
  }

  /** A login password: present, and not longer than any stored password can be. */
  private String password(String password) {
    if (password.isEmpty()) throw ParleyException.invalid("password", "password is required");
    if (password.codePointCount(0, password.length()) > passwords.maxLength()) {
      throw ParleyException.invalid("password", "password is too long");
    }
    return password;
  }
}
