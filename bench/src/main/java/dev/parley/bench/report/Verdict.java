package dev.parley.bench.report;

import dev.parley.bench.load.RunCounters;
import java.util.ArrayList;
import java.util.List;

/** The correctness verdict of a run: the list of failed checks (empty: PASSED). */
public final class Verdict {
  private Verdict() {}

  public static List<String> failures(List<PhaseReport> phases, RunCounters c) {
    long lost = 0, causal = 0, unanswered = 0;
    long dups = c.duplicates.sum();
    for (PhaseReport p : phases) {
      lost += p.lost();
      causal += p.causalViolations();
      unanswered += p.unanswered();
    }
    List<String> f = new ArrayList<>();
    if (lost > 0)
      f.add(
          lost + " deliveries lost (answered messages some recipient never got, live or by sync)");
    if (dups > 0)
      f.add(dups + " duplicate deliveries (a (sender, counter) applied twice on one device)");
    if (causal > 0)
      f.add(
          causal
              + " causal order violations (a seq below one the sender already had when sending)");
    if (c.seqGaps.sum() > 0)
      f.add(
          c.seqGaps.sum()
              + " seq gaps (an entry applied was not its conversation's previous seq + 1)");
    if (c.corrupt.sum() > 0)
      f.add(c.corrupt.sum() + " corrupt messages (text sender differs from sender_id)");
    if (c.unexpected.sum() > 0)
      f.add(
          c.unexpected.sum()
              + " unexpected deliveries (of messages that failed or were never sent)");
    if (c.tooLong.sum() > 0) f.add(c.tooLong.sum() + " get_difference answers with too_long");
    if (unanswered > 0) f.add(unanswered + " sends never answered");
    return f;
  }
}
