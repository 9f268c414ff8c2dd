// Unit tests of the web client's search logic (run by WebLogicIT with `node --test`): the marked
// parts of a snippet, and the queue that sends one search at a time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { markedParts, nothingToSearch, allAnswered, SearchQueue, DEBOUNCE_MS } from '../../main/resources/dev/parley/web/app/js/search.js';

const marks = (text, highlights) => markedParts(text, highlights).map((p) => (p.mark ? `[${p.text}]` : p.text)).join('');

test('highlights are marked in UTF-16 code units, as protocol §22.1 gives them', () => {
  assert.deepEqual(markedParts('我们明天去北京开会', [{ offset: 5, length: 2 }]), [
    { text: '我们明天去', mark: false },
    { text: '北京', mark: true },
    { text: '开会', mark: false },
  ]);
  assert.equal(marks('Meeting tomorrow with Herr Müller', [{ offset: 22, length: 4 }, { offset: 27, length: 6 }]), 'Meeting tomorrow with [Herr] [Müller]');
  // 😀 is two code units: 北京 starts at 3.
  assert.equal(marks('😀 北京', [{ offset: 3, length: 2 }]), '😀 [北京]');
});

test('a missing offset is 0 (proto3 JSON leaves zeros out); no highlight marks nothing', () => {
  assert.equal(marks('Jürgen Groß', [{ length: 6 }]), '[Jürgen] Groß');
  assert.deepEqual(markedParts('plain', []), [{ text: 'plain', mark: false }]);
  assert.deepEqual(markedParts('plain'), [{ text: 'plain', mark: false }]);
  assert.deepEqual(markedParts('', [{ offset: 0, length: 3 }]), []);
});

test('highlights out of order, overlapping or past the end are clipped; the text is kept whole', () => {
  assert.equal(marks('abcdef', [{ offset: 4, length: 1 }, { offset: 0, length: 2 }]), '[ab]cd[e]f');
  assert.equal(marks('abcdef', [{ offset: 1, length: 3 }, { offset: 2, length: 3 }]), 'a[bcd][e]f');
  assert.equal(marks('abc', [{ offset: 2, length: 10 }, { offset: 7, length: 1 }]), 'ab[c]');
});

test('nothing to search for is INVALID_ARGUMENT on the query only', () => {
  assert.equal(nothingToSearch({ reason: 'INVALID_ARGUMENT', field: 'query' }), true);
  assert.equal(nothingToSearch({ reason: 'INVALID_ARGUMENT', field: 'cursor' }), false);
  assert.equal(nothingToSearch({ reason: 'UNAVAILABLE' }), false);
  assert.equal(nothingToSearch(undefined), false);
});

test('allAnswered waits for every request, then fails with the first error', async () => {
  let lateAnswered = false;
  const late = new Promise((r) => setTimeout(() => ((lateAnswered = true), r('late')), 10));
  await assert.rejects(allAnswered([Promise.reject({ reason: 'UNAVAILABLE' }), late]), { reason: 'UNAVAILABLE' });
  assert.equal(lateAnswered, true);
  assert.deepEqual(await allAnswered([Promise.resolve(1), Promise.resolve(2)]), [1, 2]);
});

/** A clock the test moves; timers run in order, each followed by the promise callbacks it causes. */
function fakeClock() {
  let now = 0;
  let nextId = 1;
  const timers = new Map();
  const settle = () => new Promise((r) => setImmediate(r));
  return {
    set: (fn, ms) => (timers.set(nextId, { at: now + ms, fn }), nextId++),
    clear: (id) => timers.delete(id),
    async advance(ms) {
      const end = now + ms;
      for (;;) {
        await settle();
        const due = [...timers.entries()].filter(([, x]) => x.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) break;
        timers.delete(due[0]);
        now = due[1].at;
        due[1].fn();
      }
      now = end;
      await settle();
    },
  };
}

/** A server whose answers the test gives: sent lists the queries in the order they were sent. */
function fakeServer() {
  const sent = [];
  const waiting = [];
  return {
    sent,
    run: (query) => () => {
      sent.push(query);
      return new Promise((resolve, reject) => waiting.push({ resolve, reject }));
    },
    answer: (value) => waiting.shift().resolve(value),
    refuse: (error) => waiting.shift().reject(error),
    open: () => waiting.length,
  };
}

/** A queue on a fake clock and server; job(query) is a search for query that logs what it is told. */
function harness() {
  const clock = fakeClock();
  const server = fakeServer();
  const log = [];
  const job = (query) => ({
    run: server.run(query),
    done: (r) => log.push(`done ${query} ${r}`),
    failed: (e) => log.push(`failed ${query} ${e.reason}`),
    busy: () => log.push(`busy ${query}`),
  });
  return { clock, server, log, job, q: new SearchQueue(clock) };
}

test('typing sends one search, for the newest query, after a pause', async () => {
  const { clock, server, log, job, q } = harness();
  for (const query of ['北', '北京', '北京开']) {
    q.later(job(query));
    await clock.advance(100);
  }
  assert.deepEqual(server.sent, []);
  await clock.advance(DEBOUNCE_MS);
  assert.deepEqual(server.sent, ['北京开']);
  server.answer('r1');
  await clock.advance(0);
  assert.deepEqual(log, ['done 北京开 r1']);
  assert.equal(q.busy(), false);
});

test('at most one search in flight: the next, the newest typed, only once the last answered', async () => {
  const { clock, server, log, job, q } = harness();
  q.later(job('a'));
  await clock.advance(DEBOUNCE_MS);
  q.later(job('ab'));
  await clock.advance(DEBOUNCE_MS);
  q.later(job('abc'));
  await clock.advance(DEBOUNCE_MS * 4);
  assert.deepEqual(server.sent, ['a']);
  assert.equal(q.busy(), true);
  server.answer('r1');
  await clock.advance(0);
  assert.deepEqual(server.sent, ['a', 'abc']);
  assert.equal(server.open(), 1);
  server.answer('r2');
  await clock.advance(0);
  assert.deepEqual(log, ['done a r1', 'done abc r2']);
});

test('UNAVAILABLE: busy, then once more after retry_after_ms; a second one fails', async () => {
  const { clock, server, log, job, q } = harness();
  q.now(job('x'));
  server.refuse({ reason: 'UNAVAILABLE', retryAfterMs: 1000 });
  await clock.advance(999);
  assert.deepEqual(log, ['busy x']);
  assert.deepEqual(server.sent, ['x']);
  await clock.advance(1);
  assert.deepEqual(server.sent, ['x', 'x']);
  server.refuse({ reason: 'UNAVAILABLE', retryAfterMs: 1000 });
  await clock.advance(5000);
  assert.deepEqual(log, ['busy x', 'failed x UNAVAILABLE']);
  assert.deepEqual(server.sent, ['x', 'x']);
});

test('UNAVAILABLE: a query typed during the wait is sent instead of the retry, not sooner', async () => {
  const { clock, server, log, job, q } = harness();
  q.now(job('x'));
  server.refuse({ reason: 'UNAVAILABLE', retryAfterMs: 1000 });
  await clock.advance(100);
  q.later(job('xy'));
  await clock.advance(800);
  assert.deepEqual(server.sent, ['x']);
  await clock.advance(100);
  assert.deepEqual(server.sent, ['x', 'xy']);
  server.answer('r');
  await clock.advance(0);
  assert.deepEqual(log, ['busy x', 'done xy r']);
});

test('a cleared search drops the answer in flight and the query not sent', async () => {
  const { clock, server, log, job, q } = harness();
  q.now(job('a'));
  q.later(job('ab'));
  q.cancel();
  server.answer('r');
  await clock.advance(DEBOUNCE_MS * 2);
  assert.deepEqual(server.sent, ['a']);
  assert.deepEqual(log, []);
  q.later(job('b'));
  await clock.advance(DEBOUNCE_MS);
  server.answer('r2');
  await clock.advance(0);
  assert.deepEqual(log, ['done b r2']);
});

test('other errors are the job\'s to show, and the queue goes on', async () => {
  const { clock, server, log, job, q } = harness();
  q.now(job('!!!'));
  server.refuse({ reason: 'INVALID_ARGUMENT', field: 'query' });
  await clock.advance(0);
  q.now(job('ok'));
  server.answer('r');
  await clock.advance(0);
  assert.deepEqual(log, ['failed !!! INVALID_ARGUMENT', 'done ok r']);
});
