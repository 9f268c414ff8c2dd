package dev.parley.push.notify;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * At most one alert per key (a session and a conversation) per window (design 12.2, "Coalescing"):
 * the first alert goes at once and opens the window; what arrives inside it is held, the newest
 * replacing the older, and sent as one push, with the count, when the window closes, which opens
 * the next one. Thread-safe; the caller's clock decides, and the caller schedules the flush it is
 * told about.
 *
 * @param <T> what is held (the newest alert's parts)
 */
public final class Coalescer<T> {
  /** What to do with an offered alert. */
  public sealed interface Decision<T> {}

  /** Send it now: the window was closed. */
  public record SendNow<T>() implements Decision<T> {}

  /**
   * Held until the window closes.
   *
   * @param flushIn when to call {@link #flush}; null when a flush is already scheduled
   * @param replaced the alert it replaced (now carried by this one), or null
   */
  public record Held<T>(@Nullable Duration flushIn, @Nullable T replaced) implements Decision<T> {}

  /**
   * What a closing window sends: the newest alert, and how many alerts it stands for (the held ones
   * and the one that opened the window, which it replaces on the device).
   */
  public record Flushed<T>(T latest, int count) {}

  private static final class Window<T> {
    Instant opened;
    @Nullable T held;
    int count;

    Window(Instant opened) {
      this.opened = opened;
    }
  }

  private final Duration window;
  private final Map<Object, Window<T>> windows = new HashMap<>();

  public Coalescer(Duration window) {
    this.window = window;
  }

  public synchronized Decision<T> offer(Object key, T alert, Instant now) {
    Window<T> w = windows.get(key);
    if (w == null || (w.held == null && !now.isBefore(w.opened.plus(window)))) {
      if (windows.size() > 10_000) forgetClosed(now);
      windows.put(key, new Window<>(now));
      return new SendNow<>();
    }
    T replaced = w.held;
    w.held = alert;
    w.count++;
    Duration in = replaced == null ? Duration.between(now, w.opened.plus(window)) : null;
    if (in != null && in.isNegative()) in = Duration.ZERO;
    return new Held<>(in, replaced);
  }

  /** Closes the key's window: what it held (null if nothing), and a new window opens now. */
  public synchronized @Nullable Flushed<T> flush(Object key, Instant now) {
    Window<T> w = windows.get(key);
    if (w == null || w.held == null) return null;
    Flushed<T> out = new Flushed<>(w.held, w.count + 1);
    w.held = null;
    w.count = 0;
    w.opened = now;
    return out;
  }

  /**
   * Drops what the key's window holds if {@code stale} says so (a read on another device made it
   * old news); returns what was dropped, or null. The window stays open.
   */
  public synchronized @Nullable T discard(Object key, java.util.function.Predicate<T> stale) {
    Window<T> w = windows.get(key);
    if (w == null || w.held == null || !stale.test(w.held)) return null;
    T dropped = w.held;
    w.held = null;
    w.count = 0;
    return dropped;
  }

  /** Drops windows that closed with nothing held, so idle keys do not accumulate. */
  private void forgetClosed(Instant now) {
    windows.values().removeIf(w -> w.held == null && !now.isBefore(w.opened.plus(window)));
  }

  /** Keys with an open window (for tests and metrics). */
  public synchronized int size() {
    return windows.size();
  }
}
