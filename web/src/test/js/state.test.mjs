// Unit tests of applying edits, replies, reactions and pins to the entries held (run by WebLogicIT).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toConversation, applyEntry } from '../../main/resources/dev/parley/web/app/js/state.js';
import { readBy } from '../../main/resources/dev/parley/web/app/js/messaging.js';

const conv = () => toConversation({ conversationId: '9', type: 'CONVERSATION_TYPE_GROUP', lastSeq: '0' });
const msg = (seq, fields) => ({ conversationId: '9', seq: String(seq), senderId: '1', sentAtMs: '1', ...fields });

function held(c, list, me = '1') {
  const entries = new Map();
  for (const raw of list) {
    const m = applyEntry(c, raw, entries, me);
    delete m.touched;
    entries.set(m.seq, m);
  }
  return entries;
}

test('an edit changes the text and the quote in replies; a recall marks the quote deleted', () => {
  const c = conv();
  const e = held(c, [
    msg(1, { text: { text: 'Lunch at one?' } }),
    msg(2, { senderId: '2', text: { text: 'Yes' }, replyTo: { seq: '1', senderId: '1', snippet: 'Lunch at one?' } }),
    msg(3, { edit: { targetSeq: '1', text: 'Lunch at two?' } }),
  ]);
  assert.equal(e.get(1).text, 'Lunch at two?');
  assert.equal(e.get(1).edited, true);
  assert.equal(e.get(1).editedAtMs, 1); // the edit entry's sent_at_ms
  assert.equal(e.get(2).replyTo.snippet, 'Lunch at two?');
  const m = applyEntry(c, msg(4, { recall: { targetSeq: '1' } }), e, '1');
  assert.deepEqual(m.touched.sort(), [1, 2]);
  assert.deepEqual(e.get(2).replyTo, { seq: 1, senderId: '1', snippet: '', deleted: true });
});

test('reaction entries set the counts; my own reaction and pin entries do not move my read marker', () => {
  const c = conv();
  const e = held(c, [
    msg(1, { text: { text: 'Hi' } }),
    msg(2, { senderId: '2', text: { text: 'Unread for 1' } }),
    msg(3, { reaction: { targetSeq: '1', emoji: ['👍'], reactions: [{ emoji: '👍', count: 1 }] } }),
  ]);
  assert.deepEqual(e.get(1).reactions, [{ emoji: '👍', count: 1, mine: true }]);
  assert.equal(c.readSeq, 1);
  assert.equal(c.unread, 1);
});

test('pin entries keep the pinned list, a recall unpins', () => {
  const c = conv();
  c.pins = [];
  const e = held(c, [msg(1, { text: { text: 'Meeting at 10' } }), msg(2, { text: { text: 'Other' } }), msg(3, { pin: { targetSeq: '1', pinned: true } }), msg(4, { pin: { targetSeq: '2', pinned: true } })]);
  assert.deepEqual(c.pins.map((p) => [p.seq, p.text]), [[2, 'Other'], [1, 'Meeting at 10']]);
  applyEntry(c, msg(5, { pin: { targetSeq: '2' } }), e, '1');
  applyEntry(c, msg(6, { recall: { targetSeq: '1' } }), e, '1');
  assert.deepEqual(c.pins, []);
});

test('"read by" counts the members other than the sender whose marker reached the entry', () => {
  const c = conv();
  c.members = [{ userId: '1', readSeq: 9 }, { userId: '2', readSeq: 5 }, { userId: '3', readSeq: 4 }];
  assert.equal(readBy(c, { seq: 5, senderId: '1' }), 1);
  assert.equal(readBy({}, { seq: 5, senderId: '1' }), null);
});

test('unread mentions: a live mention of me (or @all) counts, its recall and my own message clear it', () => {
  const c = conv();
  const e = held(c, [
    msg(1, { senderId: '2', text: { text: '@Carol hi' }, mentions: [{ userId: '3', offset: 0, length: 6 }] }),
    msg(2, { senderId: '2', text: { text: '@all hi' }, mentions: [{ userId: '0', offset: 0, length: 4 }] }),
    msg(3, { senderId: '2', text: { text: '@Bob hi' }, mentions: [{ userId: '4', offset: 0, length: 4 }] }),
  ], '3');
  assert.equal(c.unreadMentions, 2);
  applyEntry(c, msg(4, { senderId: '2', recall: { targetSeq: '1' } }), e, '3');
  assert.equal(c.unreadMentions, 1);
  applyEntry(c, msg(5, { senderId: '3', text: { text: 'ok' } }), e, '3');
  assert.equal(c.unreadMentions, 0);
});
