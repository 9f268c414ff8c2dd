package dev.parley.server.e2e;

import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import dev.parley.client.AuthApi;
import dev.parley.client.ParleyClient;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Requests verification codes through the server and reads them from the real SMTP server. */
final class MailCodes {
  private static final Pattern CODE = Pattern.compile("\\b(\\d{6})\\b");
  private final GreenMailExtension mail;

  MailCodes(GreenMailExtension mail) {
    this.mail = mail;
  }

  /** Asks the server for a code and returns it once the e-mail has arrived. */
  String request(ParleyClient client, String email) {
    int before = messagesTo(email).size();
    client.auth().requestCode(AuthApi.email(email));
    await().atMost(Duration.ofSeconds(10)).until(() -> messagesTo(email).size() > before);
    List<MimeMessage> messages = messagesTo(email);
    String body = GreenMailUtil.getBody(messages.get(messages.size() - 1));
    Matcher m = CODE.matcher(body);
    if (!m.find()) throw new AssertionError("No code in e-mail: " + body);
    return m.group(1);
  }

  private List<MimeMessage> messagesTo(String email) {
    return Arrays.stream(mail.getReceivedMessages()).filter(m -> isTo(m, email)).toList();
  }

  private static boolean isTo(MimeMessage m, String email) {
    try {
      return Arrays.stream(m.getRecipients(Message.RecipientType.TO))
          .anyMatch(a -> a.toString().toLowerCase().contains(email.toLowerCase()));
    } catch (MessagingException e) {
      return false;
    }
  }
}
