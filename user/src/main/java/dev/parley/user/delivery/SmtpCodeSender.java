package dev.parley.user.delivery;

import dev.parley.user.UserConfig;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Date;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Sends codes by e-mail over SMTP. {@code security}: {@code none} (plain, for a local relay),
 * {@code starttls} (upgrade required: the send fails rather than fall back to plain text) or {@code
 * tls} (implicit TLS, usually port 465). Server identity is checked for both TLS modes.
 * Authenticates when a username is configured. Every network step is bounded by {@code timeout}.
 */
public final class SmtpCodeSender implements CodeSender {
  private static final String BODY =
      """
      Your Parley verification code is {code}.

      It expires in {minutes} minutes. If you did not ask for it, you can ignore this e-mail.
      """;

  private final UserConfig.Mail config;
  private final Session session;
  private final InternetAddress from;
  private final Clock clock;

  public SmtpCodeSender(UserConfig.Mail config, Clock clock) {
    this.config = config;
    this.clock = clock;
    this.session = Session.getInstance(properties(config.smtp()));
    try {
      this.from = new InternetAddress(config.from(), true);
    } catch (AddressException e) {
      throw new IllegalArgumentException(
          "user.mail.from is not a valid address: " + config.from(), e);
    }
  }

  static Properties properties(UserConfig.Smtp smtp) {
    String timeout = Long.toString(smtp.timeout().toMillis());
    Properties p = new Properties();
    p.put("mail.transport.protocol", "smtp");
    p.put("mail.smtp.host", smtp.host());
    p.put("mail.smtp.port", Integer.toString(smtp.port()));
    p.put("mail.smtp.connectiontimeout", timeout);
    p.put("mail.smtp.timeout", timeout);
    p.put("mail.smtp.writetimeout", timeout);
    p.put("mail.smtp.auth", Boolean.toString(!smtp.username().isEmpty()));
    switch (smtp.security().toLowerCase(Locale.ROOT)) {
      case "none" -> {}
      case "starttls" -> {
        p.put("mail.smtp.starttls.enable", "true");
        p.put("mail.smtp.starttls.required", "true");
        p.put("mail.smtp.ssl.checkserveridentity", "true");
      }
      case "tls" -> {
        p.put("mail.smtp.ssl.enable", "true");
        p.put("mail.smtp.ssl.checkserveridentity", "true");
      }
      default ->
          throw new IllegalArgumentException(
              "user.mail.smtp.security must be none, starttls or tls: " + smtp.security());
    }
    return p;
  }

  @Override
  public void send(CodeMessage message) throws MessagingException {
    Map<String, String> values =
        Map.of("code", message.code(), "minutes", Long.toString(message.minutes()));
    MimeMessage mail = new MimeMessage(session);
    mail.setFrom(from);
    mail.setRecipient(Message.RecipientType.TO, new InternetAddress(message.to().value(), true));
    mail.setSubject(Templates.fill(config.subject(), values), StandardCharsets.UTF_8.name());
    mail.setText(Templates.fill(BODY, values), StandardCharsets.UTF_8.name());
    mail.setSentDate(Date.from(clock.instant()));
    mail.setHeader("Auto-Submitted", "auto-generated");
    UserConfig.Smtp smtp = config.smtp();
    if (smtp.username().isEmpty()) {
      Transport.send(mail);
    } else {
      Transport.send(mail, smtp.username(), smtp.password());
    }
  }
}
