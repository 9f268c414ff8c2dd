package dev.parley.user.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.parley.user.UserConfig;
import dev.parley.user.auth.Identifier;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The SMTP sender against a real SMTP server (GreenMail), without and with authentication. */
class SmtpCodeSenderIT {
  @RegisterExtension
  static final GreenMailExtension mail =
      new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort())
          .withConfiguration(
              GreenMailConfiguration.aConfig().withUser("parley@localhost", "parley", "s3cret"));

  private static UserConfig.Mail config(String security, String username, String password) {
    return new UserConfig.Mail(
        "smtp",
        "Parley <no-reply@parley.local>",
        "Your Parley code: {code}",
        new UserConfig.Smtp(
            "127.0.0.1",
            mail.getSmtp().getPort(),
            security,
            username,
            password,
            Duration.ofSeconds(5)));
  }

  private static CodeMessage message(String to) {
    return new CodeMessage(
        Identifier.email(to, "identifier"),
        "123456",
        Duration.ofMinutes(5),
        java.time.Instant.now().plusSeconds(300));
  }

  @Test
  void sendsThePlainCodeMail() throws Exception {
    new SmtpCodeSender(config("none", "", ""), Clock.systemUTC()).send(message("ada@example.com"));

    assertThat(mail.waitForIncomingEmail(5000, 1)).isTrue();
    MimeMessage received = mail.getReceivedMessages()[0];
    assertThat(received.getSubject()).isEqualTo("Your Parley code: 123456");
    assertThat(received.getAllRecipients()[0].toString()).isEqualTo("ada@example.com");
    assertThat(received.getFrom()[0].toString()).contains("no-reply@parley.local");
    assertThat(GreenMailUtil.getBody(received)).contains("123456").contains("5 minutes");
  }

  @Test
  void authenticatesWhenAUsernameIsConfigured() throws Exception {
    new SmtpCodeSender(config("none", "parley", "s3cret"), Clock.systemUTC())
        .send(message("grace@example.com"));
    assertThat(mail.waitForIncomingEmail(5000, 1)).isTrue();
    assertThat(GreenMailUtil.getBody(mail.getReceivedMessages()[0])).contains("123456");
  }

  @Test
  void wrongCredentialsFail() {
    SmtpCodeSender sender =
        new SmtpCodeSender(config("none", "parley", "wrong"), Clock.systemUTC());
    assertThatThrownBy(() -> sender.send(message("grace@example.com")))
        .isInstanceOf(AuthenticationFailedException.class);
  }

  @Test
  void requiredStartTlsNeverFallsBackToPlainText() {
    // GreenMail's plain SMTP port cannot give us a trusted TLS upgrade: the send must fail, not go
    // plain.
    SmtpCodeSender sender = new SmtpCodeSender(config("starttls", "", ""), Clock.systemUTC());
    assertThatThrownBy(() -> sender.send(message("ada@example.com")))
        .isInstanceOf(MessagingException.class);
    assertThat(mail.getReceivedMessages()).isEmpty();
  }
}
