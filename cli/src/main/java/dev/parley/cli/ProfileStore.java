package dev.parley.cli;

import dev.parley.client.Credentials;
import dev.parley.client.TokenStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One CLI profile on disk, {@code <home>/<name>.json} (format in {@link ProfileData}), and the
 * SDK's {@link TokenStore} over it, so that tokens a connection refreshes are saved at once.
 *
 * <p>The file holds a refresh token, which is as good as a password for 30 days: it is created with
 * mode 0600 (and the home directory, when created here, with 0700). Every change is written to a
 * temporary file in the same directory, forced to disk and renamed over the old file, so a reader
 * (or a crash) sees either the old or the new content, never a torn one; the rename also resets the
 * mode of a file someone loosened. Each read goes to the file, so a command picks up tokens that
 * another command has refreshed meanwhile.
 *
 * <p>Thread-safe within one process (a connection saves from its own thread). Two processes that
 * refresh the same profile's tokens at the same moment are not coordinated; the server then sees a
 * reused refresh token and ends the session.
 */
public final class ProfileStore implements TokenStore {
  /** A file name, not a path: no separators, no leading dot. */
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,63}");

  private static final SecureRandom RANDOM = new SecureRandom();

  private final Path home;
  private final String name;
  private final Path file;

  private ProfileStore(Path home, String name) {
    this.home = home;
    this.name = name;
    this.file = home.resolve(name + ".json");
  }

  /** The profile {@code name} under {@code home}; neither needs to exist yet. */
  public static ProfileStore open(Path home, String name) {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "profile name must be 1..64 characters of [A-Za-z0-9._-], not starting with '.': '"
              + name
              + "'");
    }
    return new ProfileStore(home, name);
  }

  public String name() {
    return name;
  }

  public Path file() {
    return file;
  }

  /** The profile's content; {@link ProfileData#EMPTY} when the file does not exist. */
  public synchronized ProfileData read() {
    String json;
    try {
      json = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return ProfileData.EMPTY;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
    try {
      return ProfileData.fromJson(json);
    } catch (IllegalArgumentException e) {
      throw new CliException(
          "BAD_PROFILE",
          file + " is not a profile file (" + e.getMessage() + "); fix or delete it",
          ExitCodes.FAILED,
          e);
    }
  }

  /** The device id of this profile, generated and saved on first use. */
  public synchronized String deviceId() {
    ProfileData data = read();
    if (!data.deviceId().isEmpty()) {
      return data.deviceId();
    }
    byte[] bytes = new byte[8];
    RANDOM.nextBytes(bytes);
    String id = "cli-" + HexFormat.of().formatHex(bytes);
    write(data.withDeviceId(id));
    return id;
  }

  /** Saves the credentials of a new session on {@code server} (register, login). */
  public synchronized void saveLogin(String server, Credentials credentials) {
    write(read().withServer(server).withCredentials(credentials));
  }

  @Override
  public synchronized Optional<Credentials> load() {
    return read().credentials();
  }

  @Override
  public synchronized void save(Credentials credentials) {
    write(read().withCredentials(credentials));
  }

  /** Forgets the credentials; the device id and server stay, for the next login. */
  @Override
  public synchronized void clear() {
    ProfileData data = read();
    if (data.credentials().isPresent()) {
      write(data.withoutCredentials());
    }
  }

  private void write(ProfileData data) {
    byte[] bytes = data.toJson().getBytes(StandardCharsets.UTF_8);
    boolean posix = home.getFileSystem().supportedFileAttributeViews().contains("posix");
    Path temp = null;
    try {
      if (!Files.isDirectory(home)) {
        Files.createDirectories(home, posix ? permissions("rwx------") : new FileAttribute<?>[0]);
      }
      temp =
          Files.createTempFile(
              home,
              "." + name + ".",
              ".tmp",
              posix ? permissions("rw-------") : new FileAttribute<?>[0]);
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        channel.force(true);
      }
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      temp = null;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    } finally {
      if (temp != null) {
        try {
          Files.deleteIfExists(temp);
        } catch (IOException ignored) {
          // The write failed already; that is the error to report.
        }
      }
    }
  }

  private static FileAttribute<?>[] permissions(String mode) {
    return new FileAttribute<?>[] {
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(mode))
    };
  }
}
