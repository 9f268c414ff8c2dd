package dev.parley.msg.core.log;

import dev.parley.common.error.ParleyException;
import dev.parley.msg.store.Entry;
import java.util.List;

/** What became of one {@link LogCommand}. */
public sealed interface LogOutcome {

  /** Committed: the entries the command appended, in seq order (a group change may write two). */
  record Stored(List<Entry> entries) implements LogOutcome {
    public Entry last() {
      return entries.getLast();
    }
  }

  /**
   * Nothing new was written because it had been done before: the send with this client_msg_id
   * stored {@code original} earlier, or the recall of this entry was {@code original}.
   */
  record Duplicate(Entry original) implements LogOutcome {}

  /** A change that changes nothing (renaming to the current title): no entry. */
  record Unchanged() implements LogOutcome {}

  /** Refused by a check; nothing was written. */
  record Refused(ParleyException error) implements LogOutcome {}
}
