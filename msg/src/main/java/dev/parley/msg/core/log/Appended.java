package dev.parley.msg.core.log;

import dev.parley.msg.store.Entry;
import io.opentelemetry.api.trace.SpanContext;

/**
 * An entry appended to a conversation log and who is told: recipients[i] (ascending) gets it live;
 * pts[i] is its position in that recipient's feed, or 0 when their feed does not hold it (a group
 * entry that does not change their own membership: design.md 8.3). Produced inside the transaction,
 * published after the commit.
 *
 * @param trace the span of the command that wrote it, when that command is traced (its publication
 *     continues the trace); invalid otherwise
 */
public record Appended(Entry entry, long[] recipients, long[] pts, SpanContext trace) {
  public Appended(Entry entry, long[] recipients, long[] pts) {
    this(entry, recipients, pts, SpanContext.getInvalid());
  }

  Appended tracedBy(SpanContext span) {
    return new Appended(entry, recipients, pts, span);
  }
}
