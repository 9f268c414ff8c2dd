package dev.parley.server;

import dev.parley.common.db.Database;
import dev.parley.common.db.DatabaseConfig;
import dev.parley.common.db.EmbeddedPostgresServer;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;

/**
 * The connection pool to the configured PostgreSQL, starting the embedded one when no URL is set.
 */
public final class ServerDatabase {
  private ServerDatabase() {}

  /** Opens the pool; the embedded server (if any) is closed together with it. */
  public static Database open(DatabaseConfig db, Path dataDir, MeterRegistry metrics) {
    if (!db.isEmbedded()) {
      return new Database(
          db.url(),
          db.user(),
          db.password(),
          db.poolSize(),
          db.connectionTimeout(),
          "parley",
          metrics);
    }
    // The embedded server's passwords are generated beside the node's other development secrets;
    // database.user and database.password apply to an external database only.
    EmbeddedPostgresServer pg =
        EmbeddedPostgresServer.start(
            dataDir.resolve(db.embedded().dataDir()),
            dataDir.resolve("keys"),
            db.embedded().port(),
            db.embedded().fsync(),
            db.embedded().maxWalSizeMb());
    try {
      return new Database(
              pg.jdbcUrl("postgres"),
              pg.user(),
              pg.password(),
              db.poolSize(),
              db.connectionTimeout(),
              "parley",
              metrics)
          .alsoClosing(pg);
    } catch (RuntimeException e) {
      pg.close();
      throw e;
    }
  }
}
