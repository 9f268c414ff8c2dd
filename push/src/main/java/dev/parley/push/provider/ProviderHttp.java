package dev.parley.push.provider;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.Executor;

/** The JDK HTTP client as the FCM and Web Push providers use it. */
public final class ProviderHttp {
  private ProviderHttp() {}

  /**
   * A client that never follows redirects (a push endpoint that redirects is misbehaving, and one
   * given by a client must not lead the server elsewhere) and runs its callbacks on the provider's
   * executor.
   */
  public static HttpClient client(Duration connectTimeout, Executor executor) {
    return client(connectTimeout, executor, "");
  }

  /**
   * The same, trusting the certificates of a PEM file instead of the JDK's ({@link
   * TrustedCertificates}; empty: the JDK's).
   */
  public static HttpClient client(
      Duration connectTimeout, Executor executor, String trustedCertificatesFile) {
    return HttpClient.newBuilder()
        .sslContext(TrustedCertificates.context(trustedCertificatesFile))
        .connectTimeout(connectTimeout)
        .followRedirects(HttpClient.Redirect.NEVER)
        .executor(executor)
        .build();
  }

  /**
   * HTTP/2 over TLS (FCM and the push services speak it); HTTP/1.1 over plain http, which only
   * local test servers use, where the JDK's h2c upgrade attempt would add a round of negotiation.
   */
  public static HttpClient.Version version(URI uri) {
    return "https".equals(uri.getScheme())
        ? HttpClient.Version.HTTP_2
        : HttpClient.Version.HTTP_1_1;
  }
}
