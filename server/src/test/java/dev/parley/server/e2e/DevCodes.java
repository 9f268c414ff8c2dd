package dev.parley.server.e2e;

import static org.awaitility.Awaitility.await;

import dev.parley.client.AuthApi;
import dev.parley.client.Credentials;
import dev.parley.client.ParleyClient;
import dev.parley.proto.client.Platform;
import dev.parley.proto.client.RegisterRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Registers users through the real HTTP API, reading codes from the development sink's file ({@code
 * <data-dir>/dev-codes.log}): fast enough to create hundreds of accounts in a test.
 */
final class DevCodes {
  private static final AtomicInteger counter = new AtomicInteger();
  private final Path file;

  DevCodes(Path dataDir) {
    this.file = dataDir.resolve("dev-codes.log");
  }

  static String uniqueEmail(String prefix) {
    return prefix + "-" + counter.incrementAndGet() + "-" + System.nanoTime() + "@example.com";
  }

  Credentials register(ParleyClient client, String email, String name, String deviceId) {
    client.auth().requestCode(AuthApi.email(email));
    String[] code = new String[1];
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(20))
        .until(
            () -> {
              Optional<String> c = codeFor(email);
              c.ifPresent(v -> code[0] = v);
              return c.isPresent();
            });
    return client
        .auth()
        .register(
            RegisterRequest.newBuilder()
                .setIdentifier(AuthApi.email(email))
                .setCode(code[0])
                .setPassword(Users.PASSWORD)
                .setDisplayName(name)
                .setDevice(Users.device(deviceId, Platform.PLATFORM_DESKTOP))
                .build());
  }

  private Optional<String> codeFor(String email) {
    if (!Files.exists(file)) return Optional.empty();
    List<String> lines;
    try {
      lines = Files.readAllLines(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (int i = lines.size() - 1; i >= 0; i--) {
      String[] parts = lines.get(i).split(" ");
      if (parts.length == 2 && parts[0].equals(email)) return Optional.of(parts[1]);
    }
    return Optional.empty();
  }
}
