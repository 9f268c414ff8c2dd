package dev.parley.gateway.net;

import dev.parley.gateway.GatewayConfig;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import java.io.File;
import java.security.cert.CertificateException;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds the server's TLS context from PEM files, or from a throw-away self-signed certificate. */
public final class TlsContexts {
  private static final Logger log = LoggerFactory.getLogger(TlsContexts.class);

  private TlsContexts() {}

  public static SslContext forServer(GatewayConfig.Tls tls) {
    boolean noCert = blank(tls.certFile());
    boolean noKey = blank(tls.keyFile());
    try {
      if (noCert && noKey) return selfSigned();
      if (noCert || noKey) {
        throw new IllegalArgumentException(
            "gateway.tls: set both cert-file and key-file, or neither");
      }
      return SslContextBuilder.forServer(new File(tls.certFile()), new File(tls.keyFile())).build();
    } catch (SSLException | CertificateException e) {
      throw new IllegalStateException("Cannot set up TLS: " + e.getMessage(), e);
    }
  }

  // SelfSignedCertificate is deprecated in Netty 4.2 in favour of netty-pkitesting, a test
  // artifact;
  // for a development-only certificate generated at startup it is still the right tool.
  @SuppressWarnings("deprecation")
  private static SslContext selfSigned() throws CertificateException, SSLException {
    // Netty generates it with BouncyCastle (bcpkix is on the class path); the key stays in memory.
    // EC P-256: generated in milliseconds, where a 2048-bit RSA key can take seconds.
    SelfSignedCertificate cert = new SelfSignedCertificate("localhost", "EC", 256);
    try {
      log.warn(
          "TLS uses a self-signed certificate generated at startup: for development only, "
              + "set gateway.tls.cert-file and key-file in production");
      return SslContextBuilder.forServer(cert.key(), cert.cert()).build();
    } finally {
      cert.delete();
    }
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
