package dev.parley.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.parley.client.Credentials;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProfileStoreTest {
  static final Credentials ALICE =
      new Credentials(
          7318945120780288L,
          7318945121304576L,
          "access-1",
          Instant.ofEpochMilli(1764190800000L),
          "refresh-1",
          Instant.ofEpochMilli(1766781900000L),
          "laptop-5f2c");

  @TempDir Path tmp;

  @Test
  void aMissingFileIsAnEmptyProfile() {
    ProfileStore store = ProfileStore.open(tmp.resolve("home"), "default");
    assertThat(store.read()).isEqualTo(ProfileData.EMPTY);
    assertThat(store.load()).isEmpty();
    assertThat(store.file()).doesNotExist();
  }

  @Test
  void credentialsSurviveARoundTrip() {
    ProfileStore.open(tmp, "work").saveLogin("http://chat.example.org", ALICE);

    ProfileStore again = ProfileStore.open(tmp, "work");
    assertThat(again.load()).contains(ALICE);
    assertThat(again.read().server()).isEqualTo("http://chat.example.org");
    assertThat(again.read().deviceId()).isEqualTo("laptop-5f2c");
    assertThat(again.file()).isEqualTo(tmp.resolve("work.json"));
  }

  @Test
  void theFileIsJsonWithTheTokensInCanonicalProto3Json() throws IOException {
    ProfileStore store = ProfileStore.open(tmp, "default");
    store.saveLogin("http://localhost:8080", ALICE);

    JsonObject root = JsonParser.parseString(Files.readString(store.file())).getAsJsonObject();
    assertThat(root.get("server").getAsString()).isEqualTo("http://localhost:8080");
    assertThat(root.get("deviceId").getAsString()).isEqualTo("laptop-5f2c");
    JsonObject tokens = root.getAsJsonObject("tokens");
    assertThat(tokens.get("userId").getAsJsonPrimitive().isString()).isTrue(); // int64 as a string
    assertThat(tokens.get("userId").getAsString()).isEqualTo("7318945120780288");
    assertThat(tokens.get("refreshToken").getAsString()).isEqualTo("refresh-1");
    assertThat(tokens.get("accessTokenExpiresAtMs").getAsString()).isEqualTo("1764190800000");
  }

  @Test
  void unknownFieldsAreIgnored() throws IOException {
    Files.writeString(
        tmp.resolve("p.json"),
        "{\"deviceId\":\"d1\",\"future\":{\"x\":1},\"tokens\":{\"userId\":\"5\",\"newField\":true}}");
    ProfileData data = ProfileStore.open(tmp, "p").read();
    assertThat(data.deviceId()).isEqualTo("d1");
    assertThat(data.credentials()).hasValueSatisfying(c -> assertThat(c.userId()).isEqualTo(5));
  }

  @Test
  void theFileAndANewHomeAreOwnerOnly() throws IOException {
    assumePosix();
    Path home = tmp.resolve("new-home");
    ProfileStore store = ProfileStore.open(home, "default");
    store.saveLogin("http://localhost:8080", ALICE);

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store.file())))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home)))
        .isEqualTo("rwx------");
  }

  @Test
  void aLoosenedModeIsResetByTheNextWrite() throws IOException {
    assumePosix();
    ProfileStore store = ProfileStore.open(tmp, "default");
    store.saveLogin("http://localhost:8080", ALICE);
    Files.setPosixFilePermissions(store.file(), PosixFilePermissions.fromString("rw-r--r--"));

    store.save(ALICE);

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store.file())))
        .isEqualTo("rw-------");
  }

  @Test
  void aWriteReplacesTheFileInsteadOfRewritingIt() throws IOException {
    assumePosix();
    ProfileStore store = ProfileStore.open(tmp, "default");
    store.saveLogin("http://localhost:8080", ALICE);
    String before = Files.readString(store.file());
    Object inodeBefore = Files.getAttribute(store.file(), "unix:ino");

    try (FileChannel old = FileChannel.open(store.file())) {
      store.save(
          new Credentials(
              ALICE.userId(),
              ALICE.sessionId(),
              "access-2",
              ALICE.accessTokenExpiresAt(),
              "refresh-2",
              ALICE.refreshTokenExpiresAt(),
              ALICE.deviceId()));

      // A reader that opened the old file still sees all of it: it was renamed over, not truncated.
      ByteBuffer content = ByteBuffer.allocate((int) old.size());
      old.read(content, 0);
      assertThat(new String(content.array(), StandardCharsets.UTF_8)).isEqualTo(before);
    }
    assertThat(Files.getAttribute(store.file(), "unix:ino")).isNotEqualTo(inodeBefore);
    assertThat(store.load())
        .hasValueSatisfying(c -> assertThat(c.refreshToken()).isEqualTo("refresh-2"));
    try (Stream<Path> files = Files.list(tmp)) {
      assertThat(files).containsExactly(store.file()); // no temporary files left behind
    }
  }

  @Test
  void refreshedTokensKeepTheServer() {
    ProfileStore store = ProfileStore.open(tmp, "default");
    store.saveLogin("https://chat.example.org", ALICE);
    store.save(ALICE);
    assertThat(store.read().server()).isEqualTo("https://chat.example.org");
  }

  @Test
  void clearForgetsTheTokensButKeepsDeviceAndServer() {
    ProfileStore store = ProfileStore.open(tmp, "default");
    store.saveLogin("http://localhost:8080", ALICE);

    store.clear();

    assertThat(store.load()).isEmpty();
    assertThat(store.read())
        .isEqualTo(
            new ProfileData("http://localhost:8080", "laptop-5f2c", java.util.Optional.empty()));
  }

  @Test
  void clearWithoutAFileCreatesNone() {
    ProfileStore store = ProfileStore.open(tmp, "default");
    store.clear();
    assertThat(store.file()).doesNotExist();
  }

  @Test
  void theDeviceIdIsGeneratedOnceAndKept() {
    ProfileStore store = ProfileStore.open(tmp, "default");
    String id = store.deviceId();

    assertThat(id).matches("cli-[0-9a-f]{16}");
    assertThat(ProfileStore.open(tmp, "default").deviceId()).isEqualTo(id);
    assertThat(ProfileStore.open(tmp, "other").deviceId()).isNotEqualTo(id);
  }

  @Test
  void aCorruptFileIsReportedNotOverwritten() throws IOException {
    Files.writeString(tmp.resolve("default.json"), "{not json");
    ProfileStore store = ProfileStore.open(tmp, "default");

    assertThatThrownBy(store::load)
        .isInstanceOfSatisfying(
            CliException.class, e -> assertThat(e.reason()).isEqualTo("BAD_PROFILE"))
        .hasMessageContaining("default.json");
    assertThat(Files.readString(tmp.resolve("default.json"))).isEqualTo("{not json");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", ".hidden", "../escape", "a/b", "a\\b", "x y"})
  void profileNamesCannotLeaveTheHomeDirectory(String name) {
    assertThatThrownBy(() -> ProfileStore.open(tmp, name))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private void assumePosix() {
    assumeTrue(
        tmp.getFileSystem().supportedFileAttributeViews().contains("unix"),
        "needs a POSIX file system");
  }
}
