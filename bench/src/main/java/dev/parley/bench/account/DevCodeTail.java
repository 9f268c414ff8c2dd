package dev.parley.bench.account;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Follows the server's development code file ({@code <data-dir>/dev-codes.log}, one line
 * "identifier code" per code sent) and hands each code to whoever is waiting for that identifier.
 *
 * <p>Only lines appended after this object was created are read, and a waiter is registered
 * <em>before</em> its code is requested ({@link #expect} then the HTTP call), so the first line for
 * the identifier after registration is the answer to that request, never a stale code.
 */
public final class DevCodeTail implements AutoCloseable {
  private final Path file;
  private final Map<String, CompletableFuture<String>> waiting = new ConcurrentHashMap<>();
  private final Thread reader;
  private volatile boolean running = true;
  private long offset;
  private final StringBuilder partial = new StringBuilder();

  public DevCodeTail(Path file) {
    this.file = file;
    try {
      this.offset = Files.exists(file) ? Files.size(file) : 0;
    } catch (IOException e) {
      throw new IllegalStateException("Cannot read " + file, e);
    }
    this.reader = Thread.ofPlatform().daemon().name("bench-dev-codes").start(this::loop);
  }

  /**
   * Registers interest in the next code for {@code identifier}; call before requesting the code.
   */
  public CompletableFuture<String> expect(String identifier) {
    CompletableFuture<String> f = new CompletableFuture<>();
    waiting.put(identifier.toLowerCase(java.util.Locale.ROOT), f);
    return f;
  }

  private void loop() {
    while (running) {
      try {
        readNew();
        Thread.sleep(10);
      } catch (InterruptedException e) {
        return;
      } catch (IOException e) {
        // The file may not exist yet (no code sent so far): try again.
      }
    }
  }

  private void readNew() throws IOException {
    if (!Files.exists(file)) return;
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
      long length = raf.length();
      if (length < offset) offset = 0; // truncated or replaced
      if (length == offset) return;
      byte[] bytes = new byte[(int) Math.min(length - offset, 1 << 20)];
      raf.seek(offset);
      raf.readFully(bytes);
      offset += bytes.length;
      partial.append(new String(bytes, StandardCharsets.UTF_8));
    }
    int nl;
    while ((nl = partial.indexOf("\n")) >= 0) {
      String line = partial.substring(0, nl).trim();
      partial.delete(0, nl + 1);
      int space = line.lastIndexOf(' ');
      if (space <= 0) continue;
      CompletableFuture<String> f =
          waiting.remove(line.substring(0, space).toLowerCase(java.util.Locale.ROOT));
      if (f != null) f.complete(line.substring(space + 1));
    }
  }

  @Override
  public void close() {
    running = false;
    reader.interrupt();
  }
}
