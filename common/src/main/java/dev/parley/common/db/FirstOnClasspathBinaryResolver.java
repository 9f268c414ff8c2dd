package dev.parley.common.db;

import io.zonky.test.db.postgres.embedded.PgBinaryResolver;
import io.zonky.test.db.postgres.util.ArchUtils;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.Locale;

/**
 * Finds the PostgreSQL binary archive the way zonky's default resolver does, but takes the first
 * copy on the classpath instead of refusing to start when there are two. Two copies of the same jar
 * are common and harmless: our runnable jar's manifest lists {@code lib/*.jar}, so any classpath
 * that holds both the jar and its dependencies (a test depending on the server module, {@code -cp
 * 'lib/*:...'}) sees the binaries twice.
 */
final class FirstOnClasspathBinaryResolver implements PgBinaryResolver {
  @Override
  public InputStream getPgBinary(String system, String machineHardware) throws IOException {
    String name =
        ("postgres-" + system + "-" + ArchUtils.normalize(machineHardware) + ".txz")
            .replace(' ', '_')
            .toLowerCase(Locale.ROOT);
    URL url = FirstOnClasspathBinaryResolver.class.getClassLoader().getResource(name);
    if (url == null) {
      throw new IllegalStateException(
          "No embedded PostgreSQL binaries for "
              + system
              + "/"
              + machineHardware
              + " on the classpath (looked for "
              + name
              + "); configure an external database with a JDBC URL instead");
    }
    return url.openStream();
  }
}
