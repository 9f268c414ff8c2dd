package dev.parley.deploy;

import java.nio.file.Files;
import java.nio.file.Path;

/** The repository's deploy/ directory, found from the module's working directory. */
final class DeployDir {
  private DeployDir() {}

  static Path resolve(String relative) {
    // Maven runs the tests in deploy-checks/; an IDE may run them from the repository root.
    for (Path base : new Path[] {Path.of("..", "deploy"), Path.of("deploy")}) {
      if (Files.isDirectory(base)) return base.resolve(relative).toAbsolutePath().normalize();
    }
    throw new IllegalStateException("deploy/ not found from " + Path.of("").toAbsolutePath());
  }
}
