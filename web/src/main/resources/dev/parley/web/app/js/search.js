// Search as the user types (protocol §22), without the DOM: the marked parts of a snippet or name,
// and the queue that sends the searches.
//
// The queue waits for a pause in typing (DEBOUNCE_MS) and keeps at most one search in flight: the
// next is sent only once the last has answered, as §22.1 asks of a client that searches as the user
// types, and it is always the newest query (those typed meanwhile are never sent). After
// UNAVAILABLE it waits the server's retry_after_ms (asking sooner is pointless, §4), then tries
// once more, or sends the query typed meanwhile instead. The answer of a search the user has since
// cleared is dropped.
export const DEBOUNCE_MS = 250;
const BUSY_WAIT_MS = 1000; // when UNAVAILABLE comes without retry_after_ms

/**
 * text cut into parts [{text, mark}] that cover it once, in order, the highlights marked.
 * Highlights are {offset, length} in UTF-16 code units (§22.1), which are JavaScript string
 * indices; a missing field is 0, as proto3 JSON leaves zeros out. Overlaps and overruns are clipped.
 */
export function markedParts(text, highlights = []) {
  const spans = highlights
    .map((x) => ({ from: Number(x.offset || 0), to: Number(x.offset || 0) + Number(x.length || 0) }))
    .sort((a, b) => a.from - b.from);
  const parts = [];
  let at = 0;
  for (const { from, to } of spans) {
    const start = Math.max(at, Math.min(from, text.length));
    const end = Math.min(to, text.length);
    if (end <= start) continue;
    if (start > at) parts.push({ text: text.slice(at, start), mark: false });
    parts.push({ text: text.slice(start, end), mark: true });
    at = end;
  }
  if (at < text.length) parts.push({ text: text.slice(at), mark: false });
  return parts;
}

/** The answer to a query with nothing to search for: only spaces, punctuation or emoji (§22). */
export function nothingToSearch(error) {
  return error?.reason === 'INVALID_ARGUMENT' && error.field === 'query';
}

/**
 * The answers of several requests sent together, once every one has answered (so that nothing of
 * a search is still in flight when the next is sent); rejects with the first error, if any.
 */
export async function allAnswered(requests) {
  const settled = await Promise.allSettled(requests);
  const failed = settled.find((s) => s.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((s) => s.value);
}

export class SearchQueue {
  /** timers: {set(fn, ms) → id, clear(id)}, the page's timers unless a test brings its clock. */
  constructor(timers = { set: (fn, ms) => setTimeout(fn, ms), clear: (id) => clearTimeout(id) }, debounceMs = DEBOUNCE_MS) {
    this.timers = timers;
    this.debounceMs = debounceMs;
    this.next = null; // the job to send once the one in flight has answered
    this.pause = null; // the timer of the pause in typing
    this.inFlight = false;
    this.epoch = 0; // moved by cancel(): answers of an earlier epoch are dropped
  }

  /**
   * A job is {run() → Promise, done(result), failed(error), busy()}: busy() says that the server
   * answered UNAVAILABLE and the job will be tried again. later() sends it after a pause in typing,
   * now() at once (both after the one in flight); either replaces a job not sent yet.
   */
  later(job) {
    this.next = job;
    this.timers.clear(this.pause);
    this.pause = this.timers.set(() => {
      this.pause = null;
      this.pump();
    }, this.debounceMs);
  }

  now(job) {
    this.next = job;
    this.timers.clear(this.pause);
    this.pause = null;
    this.pump();
  }

  /** Drops the job not sent yet and the answer of the one in flight. */
  cancel() {
    this.next = null;
    this.timers.clear(this.pause);
    this.pause = null;
    this.epoch++;
  }

  /** Whether a search is in flight or waiting to be sent. */
  busy() {
    return this.inFlight || !!this.next;
  }

  async pump() {
    if (this.inFlight || this.pause !== null || !this.next) return;
    const job = this.next;
    const epoch = this.epoch;
    this.next = null;
    this.inFlight = true;
    let result;
    let error = null;
    try {
      result = await job.run();
    } catch (e) {
      error = e;
    }
    if (error?.reason === 'UNAVAILABLE' && !job.retried) {
      if (epoch === this.epoch && !this.next) job.busy();
      await new Promise((resolve) => this.timers.set(resolve, error.retryAfterMs || BUSY_WAIT_MS));
      job.retried = true;
      if (epoch === this.epoch && !this.next) this.next = job;
      this.inFlight = false;
      return this.pump();
    }
    this.inFlight = false;
    try {
      if (epoch !== this.epoch) return;
      if (error) job.failed(error);
      else job.done(result);
    } finally {
      this.pump(); // also when done() failed: the queue never stops
    }
  }
}
