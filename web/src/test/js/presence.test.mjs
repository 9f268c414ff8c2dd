// Unit tests of presence.js (run by WebLogicIT): what a chat's head says of the other user.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PresenceBoard, presenceText } from '../../main/resources/dev/parley/web/app/js/presence.js';

test('online, last seen just now, today, another day, and the coarse values', () => {
  const now = new Date(2026, 11, 6, 12, 0).getTime();
  assert.deepEqual(presenceText({ online: true }, now, 'en-GB'), { key: 'presenceOnline', arg: '' });
  assert.deepEqual(presenceText({ lastSeenMs: now - 20_000 }, now, 'en-GB'), { key: 'seenJustNow', arg: '' });
  assert.deepEqual(presenceText({ lastSeenMs: new Date(2026, 11, 6, 9, 7).getTime() }, now, 'en-GB'), { key: 'seenAt', arg: '09:07' });
  assert.deepEqual(presenceText({ lastSeenMs: new Date(2026, 11, 4, 23, 59).getTime() }, now, 'en-GB'), { key: 'seenOn', arg: '04/12/2026 23:59' });
  assert.deepEqual(presenceText({ coarse: 'LAST_SEEN_WITHIN_WEEK' }, now, 'en-GB'), { key: 'seenWithinWeek', arg: '' });
  assert.deepEqual(presenceText({ coarse: 'LAST_SEEN_RECENTLY' }, now, 'en-GB'), { key: 'seenRecently', arg: '' });
  assert.equal(presenceText(undefined, now, 'en-GB'), null);
});

test('the board keeps the latest value per user and tells whether it changed', () => {
  const b = new PresenceBoard();
  assert.ok(b.receive({ userId: '7', online: true }));
  assert.ok(!b.receive({ userId: '7', online: true }), 'the same value twice changes nothing');
  assert.ok(b.receive({ userId: '7', lastSeenMs: '1765036900000' }));
  assert.deepEqual(b.get('7'), { lastSeenMs: 1765036900000 });
  assert.ok(b.receive({ userId: '8' }));
  assert.deepEqual(b.get('8'), { coarse: 'LAST_SEEN_LONG_AGO' });
});
