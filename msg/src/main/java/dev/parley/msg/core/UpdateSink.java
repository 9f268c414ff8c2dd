package dev.parley.msg.core;

import dev.parley.msg.core.log.Appended;
import dev.parley.msg.feed.FeedItem;
import java.util.List;

/**
 * Where committed updates go to reach connected devices (the delivery bus, through the gRPC edge
 * that knows the wire format). Called only after the transaction that wrote them has committed, on
 * the {@link Publisher}'s thread; delivery is best effort, since every update is also in a feed or
 * a log that devices sync from.
 */
public interface UpdateSink {
  void appended(Appended appended);

  /** Feed items other than entries (read markers, receipts, relation changes), with their pts. */
  void published(List<FeedItem> items, long[] pts);
}
