package dev.parley.client;

import dev.parley.proto.client.GetAccountRequest;
import dev.parley.proto.client.GetAccountResponse;
import dev.parley.proto.client.GetProfilesRequest;
import dev.parley.proto.client.GetProfilesResponse;
import dev.parley.proto.client.ListSessionsRequest;
import dev.parley.proto.client.ListSessionsResponse;
import dev.parley.proto.client.LogoutRequest;
import dev.parley.proto.client.LogoutResponse;
import dev.parley.proto.client.LookupUserRequest;
import dev.parley.proto.client.LookupUserResponse;
import dev.parley.proto.client.PingRequest;
import dev.parley.proto.client.PingResponse;
import dev.parley.proto.client.Request;
import dev.parley.proto.client.Response;
import dev.parley.proto.client.RevokeSessionRequest;
import dev.parley.proto.client.RevokeSessionResponse;
import dev.parley.proto.client.SetPasswordRequest;
import dev.parley.proto.client.SetPasswordResponse;
import dev.parley.proto.client.UpdateProfileRequest;
import dev.parley.proto.client.UpdateProfileResponse;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The typed operations of the protocol, one method per {@code Request.op}, on top of {@link
 * #send(Request.Builder)}. Each completes with the operation's result message, or fails with {@link
 * ClientException} when the server answers with an error (plus the failures of {@code send}).
 *
 * <p>A new operation in {@code frames.proto} gets a one-line method here, built on {@link #call}.
 */
public abstract class Operations {
  Operations() {}

  /** Sends a request and completes with the raw response; see {@link Connection#send(Request.Builder)}. */
  public abstract CompletableFuture<Response> send(Request.Builder request);

  /**
   * Sends a request and extracts its result: fails with {@link ClientException} if the response carries
   * an error, with {@link ConnectionException} if it carries the result of a different operation (the
   * protocol gives each operation's request and result the same field number).
   */
  public <T> CompletableFuture<T> call(Request.Builder request, Function<Response, T> result) {
    Request.OpCase op = request.getOpCase();
    return send(request).thenCompose(response -> {
      if (response.hasError()) {
        return CompletableFuture.failedFuture(new ClientException(response.getError()));
      }
      if (response.getResultCase().getNumber() != op.getNumber()) {
        return CompletableFuture.failedFuture(new ConnectionException(
            op + " was answered with " + response.getResultCase() + ": " + response));
      }
      return CompletableFuture.completedFuture(result.apply(response));
    });
  }

  public CompletableFuture<PingResponse> ping() {
    return call(Request.newBuilder().setPing(PingRequest.getDefaultInstance()), Response::getPing);
  }

  /** Ends this session; on success the connection is LOGGED_OUT and its token store cleared. */
  public CompletableFuture<LogoutResponse> logout() {
    return call(Request.newBuilder().setLogout(LogoutRequest.getDefaultInstance()), Response::getLogout);
  }

  public CompletableFuture<ListSessionsResponse> listSessions() {
    return call(Request.newBuilder().setListSessions(ListSessionsRequest.getDefaultInstance()),
        Response::getListSessions);
  }

  /** Logs out one of the user's sessions; the device is disconnected at once. */
  public CompletableFuture<RevokeSessionResponse> revokeSession(long sessionId) {
    return call(Request.newBuilder().setRevokeSession(RevokeSessionRequest.newBuilder().setSessionId(sessionId)),
        Response::getRevokeSession);
  }

  public CompletableFuture<GetAccountResponse> getAccount() {
    return call(Request.newBuilder().setGetAccount(GetAccountRequest.getDefaultInstance()),
        Response::getGetAccount);
  }

  /** Profiles of the given users (at most 100); unknown ids are left out of the answer. */
  public CompletableFuture<GetProfilesResponse> getProfiles(Iterable<Long> userIds) {
    return call(Request.newBuilder().setGetProfiles(GetProfilesRequest.newBuilder().addAllUserIds(userIds)),
        Response::getGetProfiles);
  }

  /** Changes the fields that are present in {@code request}. */
  public CompletableFuture<UpdateProfileResponse> updateProfile(UpdateProfileRequest request) {
    return call(Request.newBuilder().setUpdateProfile(request), Response::getUpdateProfile);
  }

  /** Sets or changes the password; {@code currentPassword} may be empty when the account has none. */
  public CompletableFuture<SetPasswordResponse> setPassword(String currentPassword, String newPassword) {
    return call(Request.newBuilder().setSetPassword(SetPasswordRequest.newBuilder()
            .setCurrentPassword(currentPassword)
            .setNewPassword(newPassword)),
        Response::getSetPassword);
  }

  /** Exact lookup by username, e-mail or phone. */
  public CompletableFuture<LookupUserResponse> lookupUser(LookupUserRequest request) {
    return call(Request.newBuilder().setLookupUser(request), Response::getLookupUser);
  }
}
