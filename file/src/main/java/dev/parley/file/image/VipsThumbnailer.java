package dev.parley.file.image;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HEIC/HEIF through libvips' command-line tools ({@code vipsheader}, {@code vipsthumbnail}, Debian
 * package libvips-tools): no pure-Java decoder exists. Optional: detected once at start; without it
 * HEIC/HEIF originals are stored without thumbnails ({@link ImageResult#UNSUPPORTED}).
 *
 * <p>Safety: the tools run as processes (never through a shell) on a temporary copy with a name we
 * chose (vips reads options from {@code [...]} in file names), each with a time limit and killed on
 * abort. The header is read first, so a bomb is refused before libheif decodes it. vipsthumbnail
 * turns the image by its orientation and strips metadata itself; its JPEG then goes through the
 * ordinary pipeline.
 */
final class VipsThumbnailer {
  private static final Logger log = LoggerFactory.getLogger(VipsThumbnailer.class);
  private static final Pattern DIMENSIONS = Pattern.compile(": (\\d{1,9})x(\\d{1,9}) ");

  private final String thumbnailExe;
  private final String headerExe;
  private final Duration timeout;

  private VipsThumbnailer(String thumbnailExe, String headerExe, Duration timeout) {
    this.thumbnailExe = thumbnailExe;
    this.headerExe = headerExe;
    this.timeout = timeout;
  }

  /**
   * Looks for the tools: {@code executable} (a path, or a name looked up on PATH) and {@code
   * vipsheader} beside it. Logs what it found either way.
   */
  static Optional<VipsThumbnailer> detect(String executable, Duration timeout) {
    if (executable.isBlank()) {
      log.info("HEIC/HEIF: no thumbnails (file.image.vipsthumbnail is empty)");
      return Optional.empty();
    }
    String header =
        executable.contains("/")
            ? Path.of(executable).resolveSibling("vipsheader").toString()
            : "vipsheader";
    for (String exe : List.of(executable, header)) {
      try {
        Process p = new ProcessBuilder(exe, "--vips-version").redirectErrorStream(true).start();
        // Wait first: reading could block for ever on a program that neither answers nor exits.
        // The version line fits in the pipe, so the program cannot block writing it.
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
          p.destroyForcibly();
          throw new IOException("no answer within " + timeout);
        }
        if (p.exitValue() != 0) throw new IOException("exit " + p.exitValue());
        byte[] out = p.getInputStream().readNBytes(200);
        log.info("HEIC/HEIF: {} found ({})", exe, new String(out, StandardCharsets.UTF_8).strip());
      } catch (IOException e) {
        log.info("HEIC/HEIF: no thumbnails, {} is not usable: {}", exe, e.getMessage());
        return Optional.empty();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Optional.empty();
      }
    }
    return Optional.of(new VipsThumbnailer(executable, header, timeout));
  }

  /** The image as displayed, scaled to fit {@code side × side} (never enlarged). */
  record Decoded(int width, int height, BufferedImage image) {}

  /**
   * @throws ImageException TOO_MANY_PIXELS from the header, MALFORMED when vips cannot read it
   */
  Decoded decode(Path original, int side, long maxPixels, Path tempDir, AbortSignal abort)
      throws IOException {
    Path work = Files.createTempDirectory(tempDir, "parley-vips-");
    try {
      Path input = work.resolve("in.heic");
      Files.copy(original, input, StandardCopyOption.REPLACE_EXISTING);
      String header = run(abort, work, headerExe, input.toString());
      Matcher m = DIMENSIONS.matcher(header);
      if (!m.find()) throw ImageException.malformed("vipsheader: " + excerpt(header), null);
      long width = Long.parseLong(m.group(1));
      long height = Long.parseLong(m.group(2));
      HeaderReader.checkPixels(width, height, maxPixels);
      Path output = work.resolve("out.jpg");
      run(
          abort,
          work,
          thumbnailExe,
          input.toString(),
          "--size",
          side + "x" + side + ">",
          "-o",
          output + "[Q=95,strip]");
      BufferedImage image = ImageIO.read(output.toFile());
      if (image == null) throw ImageException.malformed("vipsthumbnail wrote no JPEG", null);
      // vips turns the picture upright; the header may give the stored sides: follow the pixels.
      boolean turned = (width > height) != (image.getWidth() > image.getHeight());
      return turned && width != height
          ? new Decoded((int) height, (int) width, image)
          : new Decoded((int) width, (int) height, image);
    } finally {
      deleteTree(work);
    }
  }

  private String run(AbortSignal abort, Path work, String... command) throws IOException {
    Path output = work.resolve("output.txt");
    Process p =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
    abort.onAbort(p::destroyForcibly);
    try {
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new ImageException(
            ImageException.Failure.TIMED_OUT, command[0] + " took longer than " + timeout);
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new ImageException(ImageException.Failure.TIMED_OUT, command[0] + " interrupted");
    }
    abort.throwIfAborted();
    String out = new String(Files.readAllBytes(output), StandardCharsets.UTF_8);
    if (p.exitValue() != 0) {
      throw ImageException.malformed(
          Path.of(command[0]).getFileName() + " failed: " + excerpt(out), null);
    }
    return out;
  }

  private static String excerpt(String s) {
    String line = s.strip().replace('\n', ' ');
    return line.length() > 200 ? line.substring(0, 200) + "..." : line;
  }

  private static void deleteTree(Path dir) {
    try (var files = Files.list(dir)) {
      for (Path f : files.toList()) Files.deleteIfExists(f);
      Files.deleteIfExists(dir);
    } catch (IOException e) {
      log.warn("could not delete {}", dir, e);
    }
  }
}
