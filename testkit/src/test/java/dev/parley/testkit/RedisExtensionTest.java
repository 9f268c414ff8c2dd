package dev.parley.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RedisExtensionTest {
  @RegisterExtension static final RedisExtension redis = new RedisExtension();

  private static String ping() throws Exception {
    try (Socket s = new Socket("127.0.0.1", redis.port())) {
      OutputStream out = s.getOutputStream();
      out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      return new BufferedReader(
              new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII))
          .readLine();
    }
  }

  @Test
  void answersAndRestartsOnTheSamePort() throws Exception {
    assertThat(ping()).isEqualTo("+PONG");
    redis.stop();
    redis.start();
    assertThat(ping()).isEqualTo("+PONG");
  }
}
