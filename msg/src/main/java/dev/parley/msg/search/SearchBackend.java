package dev.parley.msg.search;

import dev.parley.msg.store.SearchDocs.Filter;
import dev.parley.msg.store.SearchDocs.Position;
import dev.parley.msg.store.SearchProgress;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jspecify.annotations.Nullable;

/**
 * Where the message search index lives (design.md 14.6, {@code msg.search.backend}): the keyed
 * tokens in PostgreSQL, or OpenSearch. The seam is narrow on purpose: {@link SearchIndexer} decides
 * what each log entry means for the index and hands over {@link IndexChange}s; {@link
 * MessageSearch} asks for candidates and decides, against the log, membership and the decrypted
 * text, which of them the caller gets. A backend only narrows; it never decides visibility.
 */
public interface SearchBackend extends AutoCloseable {

  /** This index's durable position per conversation (its own table). */
  SearchProgress progress();

  /**
   * Makes the index ready to be written (creates it when missing). Called by the indexer before its
   * first pass, and again until it succeeds.
   *
   * @return true when the index was created empty, so every position must go back to the start
   */
  boolean prepare();

  /**
   * Applies the changes in order. {@code h} is the indexer's transaction, which moves the position
   * after this returns: a PostgreSQL backend writes in it; another store must have applied the
   * changes durably before returning (a failure throws, the transaction rolls back, and the batch
   * is applied again later; applying a change twice gives the same index).
   */
  void apply(Handle h, List<IndexChange> changes);

  /**
   * Positions of messages that may match {@code q} for {@code userId}, newest first after {@code
   * after}: a superset in the conversations the user is or was a member of, inside the member's
   * window as far as the backend can tell. {@code h} is the query's read transaction.
   */
  List<Position> candidates(
      Handle h, long userId, SearchQuery q, Filter filter, @Nullable Position after, int limit);

  /**
   * Forgets every message sent before {@code cutoff}: history retention deleted their entries
   * (called after, so a row outlives its entry for a moment: harmless, every candidate is read back
   * from the log before it is shown).
   */
  default void forgetBefore(Instant cutoff) {}

  @Override
  default void close() {}
}
