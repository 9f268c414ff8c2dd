package dev.parley.cli;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.parley.client.Credentials;
import dev.parley.client.Encoding;
import dev.parley.proto.client.AuthTokens;
import java.util.Optional;

/**
 * What a profile file holds, and its JSON form:
 *
 * <pre>{@code
 * {
 *   "server": "http://localhost:8080",
 *   "deviceId": "cli-5f2c0e9a71b3d846",
 *   "tokens": {"userId": "7318945120780288", "sessionId": "...", "accessToken": "...", ...}
 * }
 * }</pre>
 *
 * {@code tokens} is an {@code AuthTokens} message in canonical proto3 JSON, as the server sent it;
 * it is absent when logged out. {@code deviceId} outlives logins: it is generated once per profile
 * so that logging in again replaces this device's previous session instead of adding one. {@code
 * server} is where the tokens are valid, so later commands go there by default. Unknown fields are
 * ignored.
 *
 * @param server empty when unknown
 * @param deviceId empty until the first login or registration
 */
public record ProfileData(String server, String deviceId, Optional<Credentials> credentials) {
  public static final ProfileData EMPTY = new ProfileData("", "", Optional.empty());

  ProfileData withCredentials(Credentials c) {
    return new ProfileData(
        server, c.deviceId().isEmpty() ? deviceId : c.deviceId(), Optional.of(c));
  }

  ProfileData withoutCredentials() {
    return new ProfileData(server, deviceId, Optional.empty());
  }

  ProfileData withServer(String s) {
    return new ProfileData(s, deviceId, credentials);
  }

  ProfileData withDeviceId(String id) {
    return new ProfileData(server, id, credentials);
  }

  String toJson() {
    JsonObject root = new JsonObject();
    if (!server.isEmpty()) {
      root.addProperty("server", server);
    }
    if (!deviceId.isEmpty()) {
      root.addProperty("deviceId", deviceId);
    }
    credentials.ifPresent(
        c -> root.add("tokens", JsonParser.parseString(Encoding.toJson(c.toProto()))));
    return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(root) + "\n";
  }

  /**
   * Throws {@link IllegalArgumentException} saying what is wrong when {@code json} is not a
   * profile.
   */
  static ProfileData fromJson(String json) {
    try {
      JsonElement parsed = JsonParser.parseString(json);
      if (!parsed.isJsonObject()) {
        throw new IllegalArgumentException("not a JSON object");
      }
      JsonObject root = parsed.getAsJsonObject();
      Optional<Credentials> credentials = Optional.empty();
      if (root.has("tokens") && !root.get("tokens").isJsonNull()) {
        AuthTokens tokens =
            Encoding.mergeJson(root.get("tokens").toString(), AuthTokens.newBuilder()).build();
        credentials = Optional.of(Credentials.of(tokens));
      }
      return new ProfileData(string(root, "server"), string(root, "deviceId"), credentials);
    } catch (JsonParseException
        | IllegalStateException
        | UnsupportedOperationException
        | InvalidProtocolBufferException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  private static String string(JsonObject root, String name) {
    JsonElement e = root.get(name);
    return e == null || e.isJsonNull() ? "" : e.getAsString();
  }
}
