package dev.parley.gateway.routing;

import static dev.parley.proto.client.Request.OpCase.GET_ACCOUNT;
import static dev.parley.proto.client.Request.OpCase.GET_PROFILES;
import static dev.parley.proto.client.Request.OpCase.LIST_SESSIONS;
import static dev.parley.proto.client.Request.OpCase.LOGOUT;
import static dev.parley.proto.client.Request.OpCase.LOOKUP_USER;
import static dev.parley.proto.client.Request.OpCase.REVOKE_SESSION;
import static dev.parley.proto.client.Request.OpCase.SET_PASSWORD;
import static dev.parley.proto.client.Request.OpCase.UPDATE_PROFILE;

import dev.parley.gateway.ServiceChannels;
import dev.parley.proto.client.Request.OpCase;
import dev.parley.proto.client.Response.Builder;
import dev.parley.proto.internal.UserServiceGrpc;
import dev.parley.proto.internal.UserServiceGrpc.UserServiceFutureStub;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * The table from WebSocket operation to service call. An op's request field, the stub method and
 * the response field share one name, so every line reads the same, and an op of another service is
 * one more line (plus one {@code Route.service(...)} per service). {@code authenticate} and {@code
 * ping} are not here: the connection answers them itself. (Lines are kept unwrapped on purpose: the
 * table is easier to check as a table.)
 */
public final class Routes {
  private Routes() {}

  public static Map<OpCase, Route> of(ServiceChannels services) {
    Route.Service<UserServiceFutureStub> user =
        Route.service(services.user(), UserServiceGrpc::newFutureStub);

    Map<OpCase, Route> t = new EnumMap<>(OpCase.class);
    t.put(LOGOUT, user.unary((s, r) -> s.logout(r.getLogout()), Builder::setLogout));
    t.put(LIST_SESSIONS, user.unary((s, r) -> s.listSessions(r.getListSessions()), Builder::setListSessions));
    t.put(REVOKE_SESSION, user.unary((s, r) -> s.revokeSession(r.getRevokeSession()), Builder::setRevokeSession));
    t.put(GET_ACCOUNT, user.unary((s, r) -> s.getAccount(r.getGetAccount()), Builder::setGetAccount));
    t.put(GET_PROFILES, user.unary((s, r) -> s.getProfiles(r.getGetProfiles()), Builder::setGetProfiles));
    t.put(UPDATE_PROFILE, user.unary((s, r) -> s.updateProfile(r.getUpdateProfile()), Builder::setUpdateProfile));
    t.put(SET_PASSWORD, user.unary((s, r) -> s.setPassword(r.getSetPassword()), Builder::setSetPassword));
    t.put(LOOKUP_USER, user.unary((s, r) -> s.lookupUser(r.getLookupUser()), Builder::setLookupUser));
    return Collections.unmodifiableMap(t);
  }
}
