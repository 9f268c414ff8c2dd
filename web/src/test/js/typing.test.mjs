// Unit tests of the web client's typing rules (run by WebLogicIT with `node --test`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TypingBoard, TypingSender, RENEW_MS } from '../../main/resources/dev/parley/web/app/js/typing.js';

test('an indicator shows for expires_in_ms, is renewed, and cleared by CANCEL or a message', () => {
  let now = 1000;
  const board = new TypingBoard(() => now);
  board.receive({ conversationId: '5', userId: '7', action: 'TYPING', expiresInMs: 6000 });
  assert.deepEqual(board.typing('5'), [{ userId: '7', action: 'TYPING' }]);
  now += 5000;
  board.receive({ conversationId: '5', userId: '7', action: 'TYPING', expiresInMs: 6000 });
  now += 5000; // 10 s after the first, 5 s after the renewal
  assert.equal(board.typing('5').length, 1);
  now += 1000;
  assert.deepEqual(board.typing('5'), []);
  board.receive({ conversationId: '5', userId: '7', action: 'TYPING', expiresInMs: 6000 });
  board.receive({ conversationId: '5', userId: '7', action: 'CANCEL' });
  assert.deepEqual(board.typing('5'), []);
  board.receive({ conversationId: '5', userId: '8', action: 'UPLOADING_PHOTO', expiresInMs: 6000 });
  assert.equal(board.nextExpiry(), 6000);
  assert.equal(board.heard('5', '8'), true);
  assert.equal(board.nextExpiry(), null);
});

test('the sender sends TYPING once per renewal period and CANCEL only after TYPING', () => {
  let now = 0;
  const s = new TypingSender(() => now);
  assert.equal(s.stop('5'), null);
  assert.equal(s.input('5', 'h'), 'TYPING');
  now += 1000;
  assert.equal(s.input('5', 'he'), null);
  now += RENEW_MS;
  assert.equal(s.input('5', 'hel'), 'TYPING');
  assert.equal(s.input('5', ''), 'CANCEL');
  assert.equal(s.input('5', ''), null);
  assert.equal(s.input('5', 'again'), 'TYPING');
  assert.equal(s.stop('5'), 'CANCEL');
});
