package dev.parley.user;

import static dev.parley.user.UserServiceHarness.device;
import static dev.parley.user.UserServiceHarness.email;
import static dev.parley.user.UserServiceHarness.phone;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import com.sun.net.httpserver.HttpServer;
import dev.parley.proto.client.RegisterRequest;
import dev.parley.proto.client.RequestCodeRequest;
import dev.parley.testkit.PostgresExtension;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * ACC-3 end to end: the service in smtp and http mode; the code that arrives registers the account.
 */
class CodeDeliveryIT {
  @RegisterExtension static final PostgresExtension postgres = new PostgresExtension();

  @RegisterExtension
  static final GreenMailExtension mail =
      new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort())
          .withConfiguration(
              GreenMailConfiguration.aConfig().withUser("parley@localhost", "parley", "s3cret"))
          .withPerMethodLifecycle(false);

  static HttpServer smsProvider;
  static final List<String> smsBodies = new CopyOnWriteArrayList<>();
  static UserServiceHarness users;

  @BeforeAll
  static void start() throws IOException {
    smsProvider = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    smsProvider.createContext(
        "/send",
        exchange -> {
          smsBodies.add(
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    smsProvider.start();
    UserConfig base = TestConfigs.userConfig();
    UserConfig config =
        TestConfigs.withDelivery(
            base,
            new UserConfig.Mail(
                "smtp",
                "Parley <no-reply@parley.local>",
                "Your Parley code: {code}",
                new UserConfig.Smtp(
                    "127.0.0.1",
                    mail.getSmtp().getPort(),
                    "none",
                    "parley",
                    "s3cret",
                    Duration.ofSeconds(5))),
            new UserConfig.Sms(
                "http",
                new UserConfig.Http(
                    "http://127.0.0.1:" + smsProvider.getAddress().getPort() + "/send",
                    Map.of(),
                    "application/json",
                    "{\"to\":\"{phone}\",\"text\":\"{text}\"}",
                    Duration.ofSeconds(5),
                    "http/1.1"),
                base.sms().text()));
    users = new UserServiceHarness(postgres.database(), config);
  }

  @AfterAll
  static void stop() throws Exception {
    users.close();
    smsProvider.stop(0);
  }

  @Test
  void codeArrivesByEmailAndRegisters() throws Exception {
    users
        .anonymous()
        .requestCode(
            RequestCodeRequest.newBuilder().setIdentifier(email("Mail.User@Example.com")).build());
    assertThat(mail.waitForIncomingEmail(10_000, 1)).isTrue();
    var received = mail.getReceivedMessages()[0];
    String code = firstCode(GreenMailUtil.getBody(received));
    assertThat(GreenMailUtil.getAddressList(received.getAllRecipients()))
        .isEqualTo("mail.user@example.com");

    var tokens =
        users
            .anonymous()
            .register(
                RegisterRequest.newBuilder()
                    .setIdentifier(email("mail.user@example.com"))
                    .setCode(code)
                    .setDisplayName("Mail User")
                    .setDevice(device("laptop"))
                    .build());
    assertThat(tokens.getUserId()).isPositive();
    assertThat(users.counter("parley.user.codes.sent", "channel", "email", "outcome", "sent"))
        .isEqualTo(1);
  }

  @Test
  void codeArrivesBySmsAndRegisters() {
    String number = UserServiceHarness.uniquePhone();
    users
        .anonymous()
        .requestCode(RequestCodeRequest.newBuilder().setIdentifier(phone(number)).build());
    String body =
        await()
            .atMost(Duration.ofSeconds(10))
            .until(
                () -> smsBodies.stream().filter(b -> b.contains(number)).findFirst(),
                o -> o.isPresent())
            .orElseThrow();
    assertThat(body).startsWith("{\"to\":\"" + number + "\",\"text\":\"Your Parley code is ");
    String code = firstCode(body);

    var tokens =
        users
            .anonymous()
            .register(
                RegisterRequest.newBuilder()
                    .setIdentifier(phone(number))
                    .setCode(code)
                    .setDisplayName("Sms User")
                    .setDevice(device("phone"))
                    .build());
    assertThat(tokens.getUserId()).isPositive();
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                users.counter("parley.user.codes.sent", "channel", "sms", "outcome", "sent") == 1);
  }

  private static String firstCode(String text) {
    Matcher m = Pattern.compile("\\b([0-9]{6})\\b").matcher(text);
    assertThat(m.find()).as(text).isTrue();
    return m.group(1);
  }
}
