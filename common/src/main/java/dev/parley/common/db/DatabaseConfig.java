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
   */
  public record Embedded(String dataDir, int port, boolean fsync) {}
}
