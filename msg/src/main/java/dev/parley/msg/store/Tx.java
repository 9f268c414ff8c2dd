package dev.parley.msg.store;

import java.sql.SQLException;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;

/**
 * Runs write transactions, retrying the ones PostgreSQL aborted for a deadlock or a serialization
 * failure. Our own transactions take locks in one global order (conversation, member rows,
 * feed_heads by ascending user id) and should never deadlock each other; the retry covers the rest.
 */
public final class Tx {
  private static final int ATTEMPTS = 5;
  private final Jdbi jdbi;

  public Tx(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  public Jdbi jdbi() {
    return jdbi;
  }

  public <T> T write(HandleCallback<T, RuntimeException> work) {
    for (int attempt = 1; ; attempt++) {
      try {
        // READ COMMITTED: the pool sets it on every connection (Database).
        return jdbi.inTransaction(work);
      } catch (RuntimeException e) {
        if (attempt >= ATTEMPTS || !retryable(e)) throw e;
      }
    }
  }

  public <T> T read(HandleCallback<T, RuntimeException> work) {
    return jdbi.withHandle(work);
  }

  /** 40P01 deadlock_detected, 40001 serialization_failure. */
  static boolean retryable(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s
          && ("40P01".equals(s.getSQLState()) || "40001".equals(s.getSQLState()))) {
        return true;
      }
    }
    return false;
  }

  /** 23505 unique_violation. */
  public static boolean uniqueViolation(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s && "23505".equals(s.getSQLState())) return true;
    }
    return false;
  }

  /** Handle type re-exported so callers need only this class for transaction work. */
  public interface Work<T> extends HandleCallback<T, RuntimeException> {
    @Override
    T withHandle(Handle handle);
  }
}
