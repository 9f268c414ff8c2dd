package dev.parley.user.delivery;

import dev.parley.user.UserConfig;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Sends codes by SMS through an HTTP provider: one POST to the configured URL with the configured
 * headers and a body made from {@code body-template}, whose {@code {phone}} and {@code {text}} are
 * escaped for the content type (JSON string escaping for JSON types, URL encoding for {@code
 * application/x-www-form-urlencoded}, verbatim otherwise). Any status outside 2xx is a failure.
 */
public final class HttpSmsCodeSender implements CodeSender, AutoCloseable {
  private final UserConfig.Http config;
  private final String textTemplate;
  private final URI uri;
  private final HttpClient client;
  private final UnaryOperator<String> escape;

  public HttpSmsCodeSender(UserConfig.Sms sms) {
    this.config = sms.http();
    this.textTemplate = sms.text();
    if (config.url() == null || config.url().isBlank()) {
      throw new IllegalArgumentException(
          "user.sms.http.url is required when user.sms.mode is http");
    }
    this.uri = URI.create(config.url());
    if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
      throw new IllegalArgumentException("user.sms.http.url must be an http or https URL");
    }
    this.escape = escaper(config.contentType());
    // HTTP/1.1 unless configured: the JDK client's default (HTTP/2) sends "Upgrade: h2c" to
    // plain-HTTP
    // providers, which some answer with errors or by hanging.
    HttpClient.Version version =
        "http/2".equals(config.version()) ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1;
    this.client =
        HttpClient.newBuilder()
            .version(version)
            .connectTimeout(config.timeout())
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  static UnaryOperator<String> escaper(String contentType) {
    String type = contentType.toLowerCase(Locale.ROOT);
    if (type.contains("json")) return Templates::jsonEscape;
    if (type.startsWith("application/x-www-form-urlencoded"))
      return s -> URLEncoder.encode(s, StandardCharsets.UTF_8);
    return UnaryOperator.identity();
  }

  /** The request body for a message (visible for tests). */
  String body(CodeMessage message) {
    String text =
        Templates.fill(
            textTemplate,
            Map.of("code", message.code(), "minutes", Long.toString(message.minutes())));
    return Templates.fill(
        config.bodyTemplate(), Map.of("phone", message.to().value(), "text", text), escape);
  }

  @Override
  public void send(CodeMessage message) throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .timeout(config.timeout())
            .header("Content-Type", config.contentType())
            .POST(HttpRequest.BodyPublishers.ofString(body(message), StandardCharsets.UTF_8));
    if (config.headers() != null) config.headers().forEach(request::header);
    HttpResponse<String> response =
        client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() / 100 != 2) {
      String detail = response.body() == null ? "" : response.body();
      if (detail.length() > 200) detail = detail.substring(0, 200) + "...";
      throw new IOException("SMS provider answered HTTP " + response.statusCode() + ": " + detail);
    }
  }

  @Override
  public void close() {
    client.close();
  }
}
