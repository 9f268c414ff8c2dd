package dev.parley.image;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;

/**
 * {@code java -cp /app/classes dev.parley.image.HealthCheck [URL]}: exits 0 if {@code URL} (default
 * {@code http://127.0.0.1:$PARLEY_ADMIN_PORT/readyz}, port 9090 when unset) answers 200 within 2 s,
 * 1 otherwise. Docker Compose's health check runs it inside the container: the offline image has no
 * shell and no curl, only the JRE, and this class alone on the classpath starts in a fraction of a
 * second.
 */
public final class HealthCheck {

  private static final int TIMEOUT_MILLIS = 2_000;

  private HealthCheck() {}

  public static void main(String[] args) {
    String port = System.getenv().getOrDefault("PARLEY_ADMIN_PORT", "9090");
    String url = args.length > 0 ? args[0] : "http://127.0.0.1:" + port + "/readyz";
    int status = status(url);
    if (status != 200) {
      System.err.println(url + (status < 0 ? " did not answer" : " answered " + status));
      System.exit(1);
    }
  }

  /** The HTTP status of a GET of {@code url}, or -1 when it cannot be reached in time. */
  static int status(String url) {
    try {
      HttpURLConnection connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
      connection.setConnectTimeout(TIMEOUT_MILLIS);
      connection.setReadTimeout(TIMEOUT_MILLIS);
      try {
        return connection.getResponseCode();
      } finally {
        connection.disconnect();
      }
    } catch (IOException e) {
      return -1;
    }
  }
}
