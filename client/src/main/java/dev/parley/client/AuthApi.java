package dev.parley.client;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import dev.parley.proto.client.AuthTokens;
import dev.parley.proto.client.Identifier;
import dev.parley.proto.client.LoginRequest;
import dev.parley.proto.client.RefreshRequest;
import dev.parley.proto.client.RegisterRequest;
import dev.parley.proto.client.RequestCodeRequest;
import dev.parley.proto.client.RequestCodeResponse;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The account bootstrap calls over HTTP ({@code POST {base}/api/v1/auth/...}): everything a client
 * needs before it has an access token. Bodies travel in the client's {@link Encoding}; the answer
 * is decoded by its {@code Content-Type}.
 *
 * <p>Each call comes as {@code xxxAsync} (a future) and {@code xxx} (blocking). Failures: {@link
 * ClientException} when the server answers with an error status (its body is a {@code
 * parley.client.v1.Error}; a body that is not one, such as a proxy's error page, becomes an error
 * with that status and no reason), {@link RequestTimeoutException} after the request timeout,
 * {@link ConnectionException} when the server cannot be reached or its answer cannot be decoded.
 */
public final class AuthApi {
  private final HttpClient http;
  private final Endpoints endpoints;
  private final Encoding encoding;
  private final Duration timeout;
  private final Executor completions;

  AuthApi(
      HttpClient http,
      Endpoints endpoints,
      Encoding encoding,
      Duration timeout,
      Executor completions) {
    this.http = http;
    this.endpoints = endpoints;
    this.encoding = encoding;
    this.timeout = timeout;
    this.completions = completions;
  }

  /** An identifier for an e-mail address. */
  public static Identifier email(String address) {
    return Identifier.newBuilder().setEmail(address).build();
  }

  /** An identifier for a phone number in E.164 form ("+4915112345678"). */
  public static Identifier phone(String number) {
    return Identifier.newBuilder().setPhone(number).build();
  }

  /** Sends a verification code to the identifier. */
  public CompletableFuture<RequestCodeResponse> requestCodeAsync(Identifier identifier) {
    return postAsync(
        "/api/v1/auth/code",
        RequestCodeRequest.newBuilder().setIdentifier(identifier).build(),
        RequestCodeResponse.getDefaultInstance());
  }

  public RequestCodeResponse requestCode(Identifier identifier) {
    return Futures.await(requestCodeAsync(identifier));
  }

  /** Creates an account with a verification code and opens a session on it. */
  public CompletableFuture<Credentials> registerAsync(RegisterRequest request) {
    return tokens("/api/v1/auth/register", request);
  }

  public Credentials register(RegisterRequest request) {
    return Futures.await(registerAsync(request));
  }

  /** Opens a session with a password or a verification code (the request's {@code secret}). */
  public CompletableFuture<Credentials> loginAsync(LoginRequest request) {
    return tokens("/api/v1/auth/login", request);
  }

  public Credentials login(LoginRequest request) {
    return Futures.await(loginAsync(request));
  }

  /**
   * Trades a refresh token for new credentials. The old refresh token is spent: presenting it again
   * revokes the session ({@code REFRESH_TOKEN_REUSED}), so save the answer before anything else.
   */
  public CompletableFuture<Credentials> refreshAsync(String refreshToken) {
    return tokens(
        "/api/v1/auth/refresh", RefreshRequest.newBuilder().setRefreshToken(refreshToken).build());
  }

  public Credentials refresh(String refreshToken) {
    return Futures.await(refreshAsync(refreshToken));
  }

  /**
   * POSTs {@code body} to {@code path} (below the base URL) and decodes the answer like {@code
   * prototype}. The generic form of the calls above, for endpoints this class does not wrap yet.
   */
  public <T extends Message> CompletableFuture<T> postAsync(
      String path, Message body, T prototype) {
    URI base = endpoints.base();
    HttpRequest request =
        HttpRequest.newBuilder(resolve(base, path))
            .timeout(timeout)
            .header("Content-Type", encoding.contentType())
            .header("Accept", encoding.contentType())
            .POST(HttpRequest.BodyPublishers.ofByteArray(encoding.toBytes(body)))
            .build();
    CompletableFuture<T> result = new CompletableFuture<>();
    http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
        .whenCompleteAsync(
            (response, error) -> {
              try {
                if (error != null) {
                  endpoints.failed(base); // the next call tries the next address
                  throw transportFailure(path, Futures.unwrap(error));
                }
                result.complete(decode(path, response, prototype));
              } catch (RuntimeException e) {
                result.completeExceptionally(e);
              }
            },
            completions);
    return result;
  }

  private CompletableFuture<Credentials> tokens(String path, Message body) {
    return postAsync(path, body, AuthTokens.getDefaultInstance()).thenApply(Credentials::of);
  }

  private static URI resolve(URI base, String path) {
    String prefix = base.toString();
    if (prefix.endsWith("/")) {
      prefix = prefix.substring(0, prefix.length() - 1);
    }
    return URI.create(prefix + path);
  }

  private <T extends Message> T decode(String path, HttpResponse<byte[]> response, T prototype) {
    Encoding bodyEncoding =
        response
            .headers()
            .firstValue("Content-Type")
            .flatMap(Encoding::forContentType)
            .orElse(encoding);
    int status = response.statusCode();
    if (status / 100 == 2) {
      if (response.body().length == 0) {
        return prototype; // an empty answer is the empty message in both encodings
      }
      try {
        @SuppressWarnings("unchecked")
        T decoded = (T) bodyEncoding.merge(response.body(), prototype.newBuilderForType()).build();
        return decoded;
      } catch (InvalidProtocolBufferException e) {
        throw new ConnectionException(
            "POST " + path + ": cannot decode the " + status + " answer", e);
      }
    }
    throw new ClientException(errorOf(status, bodyEncoding, response.body()));
  }

  private static dev.parley.proto.client.Error errorOf(
      int status, Encoding bodyEncoding, byte[] body) {
    try {
      dev.parley.proto.client.Error error =
          bodyEncoding.merge(body, dev.parley.proto.client.Error.newBuilder()).build();
      if (error.getCode() != 0 || error.getReasonValue() != 0) {
        return error.getCode() != 0 ? error : error.toBuilder().setCode(status).build();
      }
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      // Not one of ours (an HTML error page from a proxy, say): describe it below.
    }
    String text = new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8).strip();
    return dev.parley.proto.client.Error.newBuilder()
        .setCode(status)
        .setMessage("HTTP " + status + (text.isEmpty() ? "" : ": " + text))
        .build();
  }

  private RuntimeException transportFailure(String path, Throwable cause) {
    if (cause instanceof HttpTimeoutException) {
      return new RequestTimeoutException(
          "POST " + path + " got no answer within " + timeout, cause);
    }
    return new ConnectionException("POST " + path + " failed: " + cause, cause);
  }
}
