package dev.parley.cli;

import dev.parley.client.TransferProgress;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * A transfer's progress on one line of stderr ({@code uploading beach.jpg 42% 2.1/5.0 MB}),
 * rewritten with a carriage return each time the percentage changes, and ended with a newline by
 * {@link #done()}. Stderr, so that stdout stays the command's result for scripts.
 */
final class ProgressLine implements TransferProgress {
  private final PrintWriter err;
  private final String label;
  private int shown = -1;
  private boolean started;

  ProgressLine(PrintWriter err, String label) {
    this.err = err;
    this.label = label;
  }

  @Override
  public synchronized void update(long done, long total) {
    int percent = total <= 0 ? 0 : (int) Math.min(100, done * 100 / total);
    if (percent == shown) return;
    shown = percent;
    started = true;
    err.print(
        String.format(
            Locale.ROOT,
            "\r%s %3d%%  %.1f/%.1f MB",
            label,
            percent,
            done / 1e6,
            Math.max(total, 0) / 1e6));
    err.flush();
  }

  /** Ends the line, if one was started. */
  synchronized void done() {
    if (started) {
      err.println();
      err.flush();
    }
  }
}
