package dev.parley.common.db;

import java.time.Duration;

/**
 * Where PostgreSQL is. With an empty {@code url} the single node starts an embedded PostgreSQL in
 * {@code embedded.data-dir} (relative paths are under the node's data directory).
 */
public record DatabaseConfig(
    String url,
    String user,
    String password,
    int poolSize,
    Duration connectionTimeout,
    Embedded embedded) {

  public boolean isEmbedded() {
    return url == null || url.isBlank();
  }

  /**
   * @param dataDir PostgreSQL's data directory
   * @param port 0 picks a free port at every start
   * @param fsync off only for throwaway test databases: without it a power loss can lose commits
   * @param maxWalSizeMb PostgreSQL's {@code max_wal_size}: the WAL written between two checkpoints
   *     before PostgreSQL forces one (see {@link EmbeddedPostgresServer#DEFAULT_MAX_WAL_SIZE_MB})
   */
  public record Embedded(String dataDir, int port, boolean fsync, int maxWalSizeMb) {
    public Embedded {
      if (maxWalSizeMb < EmbeddedPostgresServer.MIN_MAX_WAL_SIZE_MB)
        throw new IllegalArgumentException(
            "database.embedded.max-wal-size-mb must be at least "
                + EmbeddedPostgresServer.MIN_MAX_WAL_SIZE_MB
                + ", not "
                + maxWalSizeMb);
    }
  }
}
