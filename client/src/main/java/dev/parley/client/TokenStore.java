package dev.parley.client;

import java.util.Optional;

/**
 * Where a {@link Connection} keeps its session's credentials, so that an application can persist
 * them (refresh tokens are single use: after every refresh the new pair must replace the old one).
 *
 * <p>A connection reads the store before each connection attempt, saves refreshed credentials at
 * once, and clears the store when the session is gone (logout, revocation, a rejected refresh
 * token). Calls come from the connection's control thread, one at a time; an implementation may
 * block briefly.
 */
public interface TokenStore {
  Optional<Credentials> load();

  void save(Credentials credentials);

  void clear();

  /** A store that keeps the credentials in memory only. */
  static TokenStore inMemory(Credentials initial) {
    return new InMemoryTokenStore(initial);
  }
}
