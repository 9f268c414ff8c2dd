package dev.parley.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image tar that {@code package} built (Jib's docker-archive: {@code manifest.json}, the config
 * JSON, gzipped layer tars), unpacked with the system's {@code tar}: its config is what the
 * deployment files rely on, and its entrypoint runs. The run unpacks the layers into a directory
 * and starts the entrypoint there with {@code chroot}: as the image's non-root user when the tests
 * run as root (CI), else in an unprivileged user namespace. In a chroot there is no /proc, so the
 * JRE's {@code $ORIGIN} library paths do not resolve: {@code LD_LIBRARY_PATH} names them instead.
 */
class ImageTarIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String UID = System.getProperty("parley.image.uid", "10001");

  /** No /proc in the chroot: the JRE's $ORIGIN library paths are spelt out. */
  private static final Map<String, String> CHROOT_ENV =
      Map.of(
          "LD_LIBRARY_PATH", "/opt/java/openjdk/lib:/opt/java/openjdk/lib/server",
          "HOME", "/var/lib/parley");

  @TempDir static Path work;
  static Path rootfs;
  static JsonNode manifest;
  static JsonNode config;

  @BeforeAll
  static void unpack() throws Exception {
    Path tar = Path.of(System.getProperty("parley.image.tar", "target/parley-server-image.tar"));
    assertThat(tar).as("the image tar built by jib:buildTar in package").isRegularFile();
    Path archive = Files.createDirectory(work.resolve("archive"));
    run(List.of("tar", "-xf", tar.toString(), "-C", archive.toString()), Map.of());
    manifest = JSON.readTree(archive.resolve("manifest.json").toFile()).get(0);
    config = JSON.readTree(archive.resolve(manifest.get("Config").asText()).toFile());
    rootfs = Files.createDirectory(work.resolve("rootfs"));
    for (JsonNode layer : manifest.get("Layers")) {
      run(
          List.of(
              "tar", "-xzf", archive.resolve(layer.asText()).toString(), "-C", rootfs.toString()),
          Map.of());
    }
  }

  @Test
  void isTaggedWithTheNameTheDeployFilesUse() {
    assertThat(texts(manifest.get("RepoTags")))
        .contains(
            "ghcr.io/parley/parley-server:latest",
            "ghcr.io/parley/parley-server:" + System.getProperty("parley.image.version"));
  }

  @Test
  void runsAsANonRootUserWithTheJvmFlagsForContainers() {
    JsonNode c = config.get("config");
    assertThat(c.get("User").asText()).isEqualTo(UID + ":" + UID);
    assertThat(texts(c.get("Entrypoint")))
        .startsWith("/opt/java/openjdk/bin/java")
        .contains("-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError")
        .endsWith("-cp", "@/app/jib-classpath-file", "dev.parley.server.Main");
    assertThat(texts(c.get("Env")))
        .contains("PARLEY_NODE_DATA_DIR=/var/lib/parley", "HOME=/var/lib/parley");
    assertThat(c.get("WorkingDir").asText()).isEqualTo("/var/lib/parley");
  }

  @Test
  void declaresTheWritablePathsAsVolumesAndExposesEveryPort() {
    JsonNode c = config.get("config");
    assertThat(fieldNames(c.get("Volumes"))).containsExactlyInAnyOrder("/var/lib/parley", "/tmp");
    assertThat(fieldNames(c.get("ExposedPorts")))
        .containsExactlyInAnyOrder("8080/tcp", "8443/tcp", "9000/tcp", "9090/tcp");
    // Writable by the non-root user when the volume starts from the image's (empty) directory.
    assertThat(rootfs.resolve("var/lib/parley")).isDirectory().isWritable();
  }

  @Test
  void carriesTheOciLabels() {
    JsonNode labels = config.get("config").get("Labels");
    assertThat(labels.get("org.opencontainers.image.version").asText())
        .isEqualTo(System.getProperty("parley.image.version"));
    assertThat(labels.get("org.opencontainers.image.source").asText()).startsWith("https://");
    assertThat(labels.get("org.opencontainers.image.licenses").asText()).isNotBlank();
  }

  @Test
  void entrypointStartsTheServerInAChroot() throws Exception {
    List<String> entrypoint = new ArrayList<>(texts(config.get("config").get("Entrypoint")));
    entrypoint.add("--version");
    String out = run(chrootAsImageUser(entrypoint.toArray(String[]::new)), CHROOT_ENV);
    assertThat(out).contains("parley 0.1.0");
  }

  @Test
  void healthCheckThatComposeRunsFindsItsClassInTheImage() throws Exception {
    // The chroot shares the network: the check reaches a server on this machine's loopback.
    HttpServer ready =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    ready.createContext(
        "/readyz",
        exchange -> {
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    ready.start();
    try {
      run(
          chrootAsImageUser(
              "/opt/java/openjdk/bin/java",
              "-cp",
              "/app/classes",
              "dev.parley.image.HealthCheck",
              "http://127.0.0.1:" + ready.getAddress().getPort() + "/readyz"),
          CHROOT_ENV);
    } finally {
      ready.stop(0);
    }
  }

  /**
   * chroot as the image's user when this runs as root (CI); else as root of an unprivileged user
   * namespace, where no other uid is mapped (the user is checked in the image's configuration).
   */
  private static List<String> chrootAsImageUser(String... command) throws Exception {
    List<String> full = new ArrayList<>();
    if (run(List.of("id", "-u"), Map.of()).strip().equals("0")) {
      full.addAll(List.of("chroot", "--userspec=" + UID + ":" + UID, rootfs.toString()));
    } else {
      full.addAll(List.of("unshare", "--map-root-user", "chroot", rootfs.toString()));
    }
    full.addAll(List.of(command));
    return full;
  }

  private static String run(List<String> command, Map<String, String> env)
      throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(env);
    Process process = builder.start();
    byte[] out = process.getInputStream().readAllBytes();
    assertThat(process.waitFor(2, TimeUnit.MINUTES)).as("%s finished", command).isTrue();
    String text = new String(out, StandardCharsets.UTF_8);
    assertThat(process.exitValue()).as("%s exit code; output:%n%s", command, text).isZero();
    return text;
  }

  private static List<String> texts(JsonNode array) {
    return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
  }

  private static List<String> fieldNames(JsonNode object) {
    List<String> names = new ArrayList<>();
    object.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
