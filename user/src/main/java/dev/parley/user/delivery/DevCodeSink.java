package dev.parley.user.delivery;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Development delivery: writes the code to the log and, when a file is configured, appends a line
 * "identifier code" to it (demos and tests read codes from there). Never a production channel: the
 * server's start-up checks refuse production with only this sink.
 */
public final class DevCodeSink implements CodeSender {
  private static final Logger log = LoggerFactory.getLogger(DevCodeSink.class);

  private final @Nullable Path file;
  private final Object fileLock = new Object();

  /**
   * @param file where to append codes; null to log only
   */
  public DevCodeSink(@Nullable Path file) {
    this.file = file;
  }

  @Override
  public void send(CodeMessage message) throws IOException {
    log.info(
        "Verification code for {}: {} (development sink)", message.to().masked(), message.code());
    if (file == null) return;
    String line = message.to().value() + " " + message.code() + "\n";
    // One sink serves both channels from several delivery threads: lines must not interleave.
    synchronized (fileLock) {
      Path dir = file.toAbsolutePath().getParent();
      if (dir != null) Files.createDirectories(dir);
      Files.writeString(
          file, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
  }
}
