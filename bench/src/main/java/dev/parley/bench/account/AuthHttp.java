package dev.parley.bench.account;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import dev.parley.client.Encoding;
import dev.parley.proto.client.AuthTokens;
import dev.parley.proto.client.DeviceInfo;
import dev.parley.proto.client.Error;
import dev.parley.proto.client.Identifier;
import dev.parley.proto.client.LoginRequest;
import dev.parley.proto.client.Platform;
import dev.parley.proto.client.RefreshRequest;
import dev.parley.proto.client.RegisterRequest;
import dev.parley.proto.client.RequestCodeRequest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Executors;
import org.jspecify.annotations.Nullable;

/**
 * The account bootstrap calls ({@code POST /api/v1/auth/...}) in the binary encoding, blocking:
 * callers run them on virtual threads, many at a time.
 */
public final class AuthHttp implements AutoCloseable {
  /** The server answered with an error. */
  public static final class AuthException extends RuntimeException {
    private final Error error;

    AuthException(String path, Error error) {
      super(
          "POST "
              + path
              + ": "
              + error.getCode()
              + " "
              + error.getReason()
              + " "
              + error.getMessage());
      this.error = error;
    }

    public Error error() {
      return error;
    }
  }

  private final HttpClient http;
  private final URI base;

  public AuthHttp(URI base) {
    this.base = base;
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .executor(Executors.newVirtualThreadPerTaskExecutor())
            .build();
  }

  public void requestCode(String email) {
    post(
        "/api/v1/auth/code",
        RequestCodeRequest.newBuilder().setIdentifier(email(email)).build(),
        null);
  }

  public AuthTokens register(String email, String code, String displayName, String deviceId) {
    return post(
        "/api/v1/auth/register",
        RegisterRequest.newBuilder()
            .setIdentifier(email(email))
            .setCode(code)
            .setDisplayName(displayName)
            .setDevice(device(deviceId))
            .build(),
        AuthTokens.getDefaultInstance(),
        AuthTokens.class);
  }

  public AuthTokens loginByCode(String email, String code, String deviceId) {
    return post(
        "/api/v1/auth/login",
        LoginRequest.newBuilder()
            .setIdentifier(email(email))
            .setCode(code)
            .setDevice(device(deviceId))
            .build(),
        AuthTokens.getDefaultInstance(),
        AuthTokens.class);
  }

  public AuthTokens refresh(String refreshToken) {
    return post(
        "/api/v1/auth/refresh",
        RefreshRequest.newBuilder().setRefreshToken(refreshToken).build(),
        AuthTokens.getDefaultInstance(),
        AuthTokens.class);
  }

  private static Identifier email(String email) {
    return Identifier.newBuilder().setEmail(email).build();
  }

  private static DeviceInfo device(String deviceId) {
    return DeviceInfo.newBuilder()
        .setDeviceId(deviceId)
        .setPlatform(Platform.PLATFORM_DESKTOP)
        .setName("parley bench")
        .build();
  }

  /** POSTs and parses the answer as {@code prototype}'s type. */
  private <T extends Message> T post(String path, Message body, T prototype, Class<T> type) {
    return java.util.Objects.requireNonNull(post(path, body, prototype));
  }

  private <T extends Message> @Nullable T post(String path, Message body, @Nullable T prototype) {
    HttpRequest request =
        HttpRequest.newBuilder(base.resolve(path))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", Encoding.PROTOBUF.contentType())
            .header("Accept", Encoding.PROTOBUF.contentType())
            .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
            .build();
    HttpResponse<byte[]> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new IllegalStateException("POST " + path + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
    try {
      if (response.statusCode() / 100 != 2) {
        Error error = Error.parseFrom(response.body());
        if (error.getCode() == 0) error = error.toBuilder().setCode(response.statusCode()).build();
        throw new AuthException(path, error);
      }
      if (prototype == null) return null;
      @SuppressWarnings("unchecked")
      T parsed = (T) prototype.newBuilderForType().mergeFrom(response.body()).build();
      return parsed;
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(
          "POST " + path + ": undecodable answer (HTTP " + response.statusCode() + ")", e);
    }
  }

  @Override
  public void close() {
    http.close();
  }
}
