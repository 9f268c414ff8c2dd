package dev.parley.server.e2e;

import dev.parley.client.AuthApi;
import dev.parley.client.Credentials;
import dev.parley.client.ParleyClient;
import dev.parley.proto.client.DeviceInfo;
import dev.parley.proto.client.LoginRequest;
import dev.parley.proto.client.Platform;
import dev.parley.proto.client.RegisterRequest;

/** Short ways to get accounts and sessions in end-to-end tests. */
final class Users {
  static final String PASSWORD = "correct horse battery";

  private Users() {}

  static DeviceInfo device(String id, Platform platform) {
    return DeviceInfo.newBuilder()
        .setDeviceId(id)
        .setPlatform(platform)
        .setName(id + " device")
        .build();
  }

  static Credentials register(
      ParleyClient client, MailCodes codes, String email, String name, String deviceId) {
    String code = codes.request(client, email);
    return client
        .auth()
        .register(
            RegisterRequest.newBuilder()
                .setIdentifier(AuthApi.email(email))
                .setCode(code)
                .setPassword(PASSWORD)
                .setDisplayName(name)
                .setDevice(device(deviceId, Platform.PLATFORM_DESKTOP))
                .build());
  }

  static Credentials login(ParleyClient client, String email, String deviceId, Platform platform) {
    return client
        .auth()
        .login(
            LoginRequest.newBuilder()
                .setIdentifier(AuthApi.email(email))
                .setPassword(PASSWORD)
                .setDevice(device(deviceId, platform))
                .build());
  }
}
