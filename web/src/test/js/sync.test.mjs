// Unit tests of the feed rules of sync.js (run by WebLogicIT): the order in which updates are
// applied when live updates arrive while get_difference is running.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from '../../main/resources/dev/parley/web/app/js/sync.js';

// The connection listens to the window's online/offline events; Node has no window.
globalThis.addEventListener ??= () => {};
const db = { put: async () => {}, get: async () => undefined, all: async () => [] };
const chatState = (pts, state) => ({ pts: String(pts), chatState: { conversationId: '5', state } });

function client() {
  const c = new Client(db, {}, { userId: '1' });
  c.convs.set('5', { id: '5', type: 'direct', chatState: {} });
  c.pts = 60;
  return c;
}

test('live updates that arrive while get_difference runs are applied after its answer, never under it', async () => {
  const c = client();
  let answer;
  c.request = (op) => {
    if (op.ack) return Promise.resolve({});
    assert.ok(op.getDifference);
    return new Promise((resolve) => (answer = resolve));
  };
  const loop = c.feedLoop();
  // Meanwhile the same changes come live, one more than the difference will hold.
  await c.liveUpdate(chatState(61, { mutedForever: true }));
  await c.liveUpdate(chatState(62, {}));
  await c.liveUpdate(chatState(63, { mutedUntilMs: '1796617397203' }));
  // The difference was computed before 63 was written.
  answer({ updates: [chatState(61, { mutedForever: true }), chatState(62, {})], pts: '62' });
  await loop;
  assert.equal(c.pts, 63);
  assert.deepEqual(c.convs.get('5').chatState, { mutedUntilMs: '1796617397203' });
  clearTimeout(c.ackTimer);
});
