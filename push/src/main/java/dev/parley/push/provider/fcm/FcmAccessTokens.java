package dev.parley.push.provider.fcm;

import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.auth.oauth2.ServiceAccountCredentials;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * OAuth2 access tokens for the FCM v1 API, from a service account: the library signs a JWT with the
 * account's private key and trades it at the JSON's {@code token_uri} for an access token (about an
 * hour long), which it caches and refreshes a few minutes before it expires.
 *
 * <p>Every method may block on the token endpoint: call them off the caller's thread.
 */
final class FcmAccessTokens {
  static final String SCOPE = "https://www.googleapis.com/auth/firebase.messaging";

  private final GoogleCredentials credentials;

  FcmAccessTokens(GoogleCredentials credentials) {
    this.credentials = credentials.createScoped(List.of(SCOPE));
  }

  /** Reads a service-account key file (JSON). Only service accounts are accepted. */
  static ServiceAccountCredentials read(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return ServiceAccountCredentials.fromStream(in);
    }
  }

  /**
   * A token valid for a few minutes at least; fetches one when the cached token is (nearly) out.
   */
  String current() throws IOException {
    credentials.refreshIfExpired();
    return value(credentials.getAccessToken());
  }

  /**
   * A token other than {@code refused}, which FCM answered with 401 (revoked, or expired early).
   * Several sends may be refused with the same token at once: the first refreshes it, the others
   * find the new one already there.
   */
  synchronized String replacing(String refused) throws IOException {
    AccessToken now = credentials.getAccessToken();
    if (now == null || now.getTokenValue().equals(refused)) credentials.refresh();
    return value(credentials.getAccessToken());
  }

  private static String value(@Nullable AccessToken token) throws IOException {
    if (token == null) throw new IOException("The token endpoint returned no access token");
    return token.getTokenValue();
  }
}
