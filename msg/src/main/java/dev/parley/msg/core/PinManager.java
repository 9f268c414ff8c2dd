package dev.parley.msg.core;

import dev.parley.common.error.ParleyException;
import dev.parley.msg.core.log.LogCommand;
import dev.parley.msg.core.log.LogOutcome;
import dev.parley.msg.core.log.LogWriter;
import dev.parley.msg.store.ConversationRow;
import dev.parley.msg.store.Conversations;
import dev.parley.msg.store.Entries;
import dev.parley.msg.store.Entry;
import dev.parley.msg.store.MemberRow;
import dev.parley.msg.store.Members;
import dev.parley.msg.store.Pins;
import dev.parley.msg.store.Tx;
import dev.parley.proto.client.Error.Reason;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Pinned messages (design.md 13.5): pins and unpins go through the log writer as PIN entries
 * (decided under the conversation's lock), the list reads msg.pins within the caller's membership
 * window.
 */
public final class PinManager {
  private final Tx tx;
  private final Conversations conversations;
  private final Members members;
  private final Entries entries;
  private final LogWriter writer;
  private final Pins pins = new Pins();

  public PinManager(
      Tx tx, Conversations conversations, Members members, Entries entries, LogWriter writer) {
    this.tx = tx;
    this.conversations = conversations;
    this.members = members;
    this.entries = entries;
    this.writer = writer;
  }

  /** A pinned message as get_pinned_messages lists it. */
  public record Pinned(Pins.Row pin, Entry message) {}

  /** A page of pins, most recently pinned first; {@code more}: older pins follow. */
  public record Page(List<Pinned> pinned, boolean more) {}

  /**
   * Pins ({@code pinned}) or unpins message {@code seq}; returns the seq of the PIN entry, or 0
   * when the message already was in that state.
   */
  public long pin(Caller caller, long conversationId, long seq, boolean pinned) {
    return switch (writer.submit(
        new LogCommand.Pin(caller.userId(), conversationId, seq, pinned))) {
      case LogOutcome.Stored s -> s.last().seq();
      case LogOutcome.Unchanged u -> 0;
      case LogOutcome.Refused r -> throw r.error();
      case LogOutcome.Duplicate d -> throw new IllegalStateException("a pin has no duplicates");
    };
  }

  /**
   * The pinned messages the caller can see (a former member: within their window), pinned before
   * the pin entry {@code beforePinSeq} (0: the newest), at most {@code limit}.
   */
  public Page pinned(Caller caller, long conversationId, long beforePinSeq, int limit) {
    return tx.read(
        h -> {
          ConversationRow conv =
              conversations.find(h, conversationId).orElseThrow(PinManager::noConversation);
          MemberRow me =
              members
                  .find(h, conversationId, caller.userId())
                  .orElseThrow(PinManager::noConversation);
          List<Pins.Row> rows =
              pins.page(
                  h,
                  conversationId,
                  me.firstVisibleSeq(),
                  me.visibleUpTo(conv.lastSeq()),
                  beforePinSeq,
                  limit + 1);
          boolean more = rows.size() > limit;
          if (more) rows = rows.subList(0, limit);
          Map<Long, Entry> bySeq = new HashMap<>();
          for (Entry e :
              entries.byKeys(
                  h,
                  rows.stream().mapToLong(Pins.Row::conversationId).toArray(),
                  rows.stream().mapToLong(Pins.Row::seq).toArray())) bySeq.put(e.seq(), e);
          List<Pinned> out = new ArrayList<>(rows.size());
          for (Pins.Row r : rows) {
            // A message that fell to history retention is no longer listed.
            Entry e = bySeq.get(r.seq());
            if (e != null) out.add(new Pinned(r, e));
          }
          return new Page(out, more);
        });
  }

  private static ParleyException noConversation() {
    return new ParleyException(Reason.NOT_FOUND, "No such conversation");
  }
}
