package dev.parley.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** src/main/scratch/build-root.sh in release mode ("common"), which needs no jlink. */
class BuildRootScriptTest {

  @TempDir Path out;

  @Test
  void releaseBuildLeavesNothingOfAnEarlierScratchTreeForJibToAdd() throws Exception {
    // What an earlier -Pimage-tar build left: on the Temurin base, this passwd and glibc would
    // replace the base's own.
    Path stale = out.resolve("scratch/etc/passwd");
    Files.createDirectories(stale.getParent());
    Files.writeString(stale, "parley:x:10001:10001::/var/lib/parley:/sbin/nologin\n");

    Process script =
        new ProcessBuilder(
                "bash",
                "src/main/scratch/build-root.sh",
                "common",
                System.getProperty("java.home"),
                out.toString(),
                "java.base",
                "10001")
            .inheritIO()
            .start();
    assertThat(script.waitFor(1, TimeUnit.MINUTES)).isTrue();
    assertThat(script.exitValue()).isZero();

    assertThat(out.resolve("common/var/lib/parley")).isEmptyDirectory();
    // Jib wants every extra directory to exist: present, and empty.
    assertThat(out.resolve("scratch")).isEmptyDirectory();
  }
}
