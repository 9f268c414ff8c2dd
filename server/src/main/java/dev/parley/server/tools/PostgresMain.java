package dev.parley.server.tools;

import dev.parley.common.db.EmbeddedPostgresServer;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the embedded PostgreSQL on its own, for a local cluster on one machine
 * (scripts/cluster-local.sh): {@code java -cp parley-server.jar
 * dev.parley.server.tools.PostgresMain DATA_DIR KEYS_DIR PORT}. The application role's password is
 * generated into {@code KEYS_DIR/postgres-app.password} (0600). Stops on SIGTERM. Production
 * clusters use a real PostgreSQL with replication instead.
 */
public final class PostgresMain {
  private PostgresMain() {}

  public static void main(String[] args) throws InterruptedException {
    if (args.length != 3) {
      System.err.println("usage: PostgresMain DATA_DIR KEYS_DIR PORT");
      System.exit(2);
    }
    Path keys = Path.of(args[1]).toAbsolutePath();
    EmbeddedPostgresServer pg =
        EmbeddedPostgresServer.start(
            Path.of(args[0]).toAbsolutePath(), keys, Integer.parseInt(args[2]), true);
    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  pg.close();
                  stop.countDown();
                }));
    System.out.println(
        "PostgreSQL ready: "
            + pg.jdbcUrl("postgres")
            + " (user "
            + pg.user()
            + ", password in "
            + keys.resolve("postgres-app.password")
            + ")");
    stop.await();
  }
}
