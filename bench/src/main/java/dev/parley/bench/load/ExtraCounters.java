package dev.parley.bench.load;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** What the devices' {@link Extras} did, for the whole fleet. */
public final class ExtraCounters {
  public final LongAdder edits = new LongAdder();
  public final LongAdder reactions = new LongAdder();
  public final LongAdder typing = new LongAdder();

  /** typing events that reached devices (each indicator goes to every other member's devices). */
  public final LongAdder typingReceived = new LongAdder();

  /** Asked for an edit or reaction while it had nothing to edit or react to, or was offline. */
  public final LongAdder skipped = new LongAdder();

  private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();

  void error(String op, String reason) {
    errors.computeIfAbsent(op + " " + reason, k -> new LongAdder()).increment();
  }

  /** "edit_message RATE_LIMITED" → count. */
  public Map<String, Long> errors() {
    Map<String, Long> out = new TreeMap<>();
    errors.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }
}
