package dev.parley.client;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/** The default {@link TokenStore}: nothing survives the process. */
final class InMemoryTokenStore implements TokenStore {
  private final AtomicReference<Credentials> current;

  InMemoryTokenStore(Credentials initial) {
    this.current = new AtomicReference<>(initial);
  }

  @Override
  public Optional<Credentials> load() {
    return Optional.ofNullable(current.get());
  }

  @Override
  public void save(Credentials credentials) {
    current.set(credentials);
  }

  @Override
  public void clear() {
    current.set(null);
  }
}
