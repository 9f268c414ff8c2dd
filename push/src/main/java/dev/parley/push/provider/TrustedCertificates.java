package dev.parley.push.provider;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A TLS context that trusts the certificates of a PEM file instead of the JDK's trust store (a
 * local test server, a TLS-inspecting proxy). Validation is unchanged (chain, validity, host name):
 * only the set of trusted roots is replaced.
 */
public final class TrustedCertificates {
  private TrustedCertificates() {}

  /**
   * @param pemFile PEM certificates; empty: the JDK's default context
   */
  public static SSLContext context(String pemFile) {
    try {
      if (pemFile.isBlank()) return SSLContext.getDefault();
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      try (InputStream in = Files.newInputStream(Path.of(pemFile))) {
        int i = 0;
        for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
          store.setCertificateEntry("trusted-" + i++, c);
        }
      }
      TrustManagerFactory trust =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read trusted certificates " + pemFile, e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Cannot load trusted certificates " + pemFile, e);
    }
  }
}
