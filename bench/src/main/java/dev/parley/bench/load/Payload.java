package dev.parley.bench.load;

import org.jspecify.annotations.Nullable;

/**
 * The text of every bench message: {@code "pb1 <run> <sender> <counter> <intendedNanos> "} padded
 * with {@code x} to the payload size (ASCII, so characters are bytes). It carries all the receiver
 * needs to check correctness and measure latency without asking the sender: which run it belongs to
 * (messages of other runs in the same conversations are ignored), who sent it (the bench index of
 * the sender), the sender's counter (one sequence per sender over all its conversations) and the
 * send time the schedule intended ({@link System#nanoTime()} of this process: sender and receivers
 * share one clock).
 */
public final class Payload {
  private static final String MAGIC = "pb1";

  private Payload() {}

  /** What a message text says about the message. */
  public record Tag(String runId, int sender, int counter, long intendedNanos) {}

  public static String text(String runId, int sender, int counter, long intendedNanos, int size) {
    StringBuilder b = new StringBuilder(Math.max(size, 48));
    b.append(MAGIC)
        .append(' ')
        .append(runId)
        .append(' ')
        .append(sender)
        .append(' ')
        .append(counter)
        .append(' ')
        .append(intendedNanos)
        .append(' ');
    while (b.length() < size) b.append('x');
    return b.toString();
  }

  /**
   * The idempotency key: a retry of the same message carries the same id, so the server stores it
   * once.
   */
  public static String clientMsgId(String runId, int sender, int counter) {
    return runId + ":" + sender + ":" + counter;
  }

  /** The tag of a bench message text, or null for any other text. */
  public static @Nullable Tag parse(String text) {
    if (!text.startsWith(MAGIC + " ")) return null;
    String[] f = text.split(" ", 6);
    if (f.length < 5) return null;
    try {
      return new Tag(f[1], Integer.parseInt(f[2]), Integer.parseInt(f[3]), Long.parseLong(f[4]));
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
