package dev.parley.server.tools;

import dev.parley.common.db.EmbeddedPostgresServer;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the embedded PostgreSQL on its own, for a local cluster on one machine (scripts/cluster-local.sh):
 * {@code java -cp parley-server.jar dev.parley.server.tools.PostgresMain DATA_DIR PORT}. Stops on
 * SIGTERM. Production clusters use a real PostgreSQL with replication instead.
 */
public final class PostgresMain {
  private PostgresMain() {}

  public static void main(String[] args) throws InterruptedException {
    if (args.length != 2) {
      System.err.println("usage: PostgresMain DATA_DIR PORT");
      System.exit(2);
    }
    EmbeddedPostgresServer pg = EmbeddedPostgresServer.start(Path.of(args[0]).toAbsolutePath(), Integer.parseInt(args[1]), true);
    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      pg.close();
      stop.countDown();
    }));
    System.out.println("PostgreSQL ready: " + pg.jdbcUrl("postgres") + " (user postgres)");
    stop.await();
  }
}
