package dev.parley.file.image;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes the image work files a killed process left behind (a copy of an upload, a stripped
 * original, a vips work directory): nothing else ever deletes them. Only our own names, and only
 * those older than {@link #AGE}, so a process sharing the directory by mistake keeps its work in
 * progress (a job lives at most the image timeout, 30 s by default).
 */
final class LeftoverWorkFiles {
  private static final Logger log = LoggerFactory.getLogger(LeftoverWorkFiles.class);
  static final Duration AGE = Duration.ofHours(1);
  private static final List<String> PREFIXES =
      List.of("parley-image-", "parley-stripped-", "parley-vips-");

  private LeftoverWorkFiles() {}

  /** Returns how many entries were removed; problems are logged, never thrown (start goes on). */
  static int sweep(Path dir, Instant now) {
    int removed = 0;
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        if (PREFIXES.stream().noneMatch(name::startsWith)) continue;
        if (Files.getLastModifiedTime(entry).toInstant().isAfter(now.minus(AGE))) continue;
        deleteTree(entry);
        removed++;
      }
    } catch (IOException | RuntimeException e) {
      log.warn("Could not sweep image work files in {}: {}", dir, e.toString());
    }
    if (removed > 0) log.info("Removed {} image work files left by an earlier run", removed);
    return removed;
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    }
  }
}
