// Unit tests of the chat list state (chatstate.js) and of how sync.js keeps it (run by WebLogicIT):
// folders and order, mute labels, and the race of a chat menu action, the feed and a
// get_conversation answer computed earlier.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chatsIn, archiveSummary, muteLabel, muteRequest, mutedUntil, movedUp, applyChatState } from '../../main/resources/dev/parley/web/app/js/chatstate.js';
import { Client } from '../../main/resources/dev/parley/web/app/js/sync.js';

globalThis.addEventListener ??= () => {};

const conv = (id, lastActivityMs, chatState = {}, extra = {}) => ({ id, type: 'direct', lastActivityMs, lastSeq: 1, unread: 0, chatState, ...extra });

test('the main folder shows pinned chats first, highest rank on top, and no archived chat', () => {
  const convs = [conv('a', 10), conv('b', 30), conv('c', 20, { pinRank: 1 }), conv('d', 5, { pinRank: 4 }), conv('e', 50, { archived: true })];
  assert.deepEqual(chatsIn(convs, 'main').map((c) => c.id), ['d', 'c', 'b', 'a']);
  assert.deepEqual(chatsIn(convs, 'archived').map((c) => c.id), ['e']);
});

test('a pinned archived chat is first in the archive, and the archive entry counts unread chats', () => {
  const convs = [conv('a', 10, { archived: true }), conv('b', 5, { archived: true, pinRank: 2 }), conv('c', 20, { archived: true, markedUnread: true }), conv('d', 1, { archived: true }, { unread: 3 }), conv('e', 1)];
  assert.deepEqual(chatsIn(convs, 'archived').map((c) => c.id), ['b', 'c', 'a', 'd']);
  assert.deepEqual(archiveSummary(convs), { count: 4, unread: 2 });
});

test('mute choices become set_conversation_mute arguments', () => {
  const now = 1_765_000_000_000;
  assert.deepEqual(muteRequest('1h', now), { untilMs: String(now + 3_600_000) });
  assert.deepEqual(muteRequest('8h', now), { untilMs: String(now + 8 * 3_600_000) });
  assert.deepEqual(muteRequest('forever', now), { forever: true });
  assert.deepEqual(muteRequest('off', now), { off: true });
});

test('a mute reads as forever, until a time today, until a date and time, or not at all once passed', () => {
  const now = new Date(2026, 11, 6, 10, 0).getTime();
  assert.deepEqual(muteLabel(conv('a', 0, { mutedForever: true }), now, 'en-GB'), { key: 'mutedForever', arg: '' });
  const today = new Date(2026, 11, 6, 18, 30).getTime();
  assert.deepEqual(muteLabel(conv('a', 0, { mutedUntilMs: String(today) }), now, 'en-GB'), { key: 'mutedUntil', arg: '18:30' });
  const tomorrow = new Date(2026, 11, 7, 2, 5).getTime();
  assert.deepEqual(muteLabel(conv('a', 0, { mutedUntilMs: String(tomorrow) }), now, 'en-GB'), { key: 'mutedUntil', arg: '07/12/2026 02:05' });
  const passed = conv('a', 0, { mutedUntilMs: String(now - 1) });
  assert.equal(muteLabel(passed, now, 'en-GB'), null);
  assert.equal(mutedUntil(passed, now), 0);
  assert.equal(muteLabel(conv('a', 0), now, 'en-GB'), null);
});

test('moving a pinned chat up swaps it with the one above; the top one and unpinned ones cannot move', () => {
  const convs = [conv('a', 0, { pinRank: 3 }), conv('b', 0, { pinRank: 2 }), conv('c', 0, { pinRank: 1 }), conv('d', 0)];
  assert.deepEqual(movedUp(convs, 'c'), ['a', 'c', 'b']);
  assert.deepEqual(movedUp(convs, 'b'), ['b', 'a', 'c']);
  assert.equal(movedUp(convs, 'a'), null);
  assert.equal(movedUp(convs, 'd'), null);
});

test('a chat state older than the one applied is ignored', () => {
  const c = conv('a', 0);
  assert.ok(applyChatState(c, { pinRank: 2 }, 70));
  assert.ok(!applyChatState(c, { pinRank: 1 }, 69));
  assert.deepEqual(c.chatState, { pinRank: 2 });
  assert.ok(applyChatState(c, undefined, 71));
  assert.deepEqual(c.chatState, {});
});

// The race of a previous attempt: a pin showed only after a reconnect. Here: get_conversation is
// asked (members), the pin is made, its chat_state arrives live and by the feed, and then the
// get_conversation answer computed before the pin comes back. The pin must stay.
test('a menu action, the feed and an older get_conversation answer end with the newest state', async () => {
  const db = { put: async () => {}, get: async () => undefined, all: async () => [] };
  const client = new Client(db, {}, { userId: '1' });
  client.status = 'online';
  client.pts = 60;
  client.convs.set('5', { id: '5', type: 'direct', peerUserId: '2', lastSeq: 3, readSeq: 3, held: 3, chatState: {}, chatStatePts: 50 });
  const pinned = { pts: '61', chatState: { conversationId: '5', state: { pinRank: 1 } } };
  const pending = [];
  client.request = (op) => {
    if (op.ack) return Promise.resolve({});
    return new Promise((resolve) => pending.push({ op, resolve }));
  };
  const answer = (name, value) => {
    const i = pending.findIndex((p) => p.op[name]);
    assert.ok(i >= 0, `${name} was asked`);
    pending.splice(i, 1)[0].resolve(value);
  };
  const flush = () => new Promise((r) => setTimeout(r, 0));

  const members = client.loadMembers('5');
  const action = client.changeChatState({ setChatPinned: { conversationId: '5', pinned: true } });
  await flush();
  answer('setChatPinned', { state: { pinRank: 1 } });
  await flush();
  // The live update arrives while get_difference runs: held, then applied after its answer.
  const live = client.liveUpdate(pinned);
  answer('getDifference', { updates: [pinned], pts: '61' });
  await action;
  await live;
  assert.deepEqual(client.convs.get('5').chatState, { pinRank: 1 });
  // The get_conversation answer computed before the pin.
  answer('getConversation', { conversation: { conversationId: '5', type: 'CONVERSATION_TYPE_DIRECT', peerUserId: '2', lastSeq: '3' }, members: [] });
  await members;
  assert.deepEqual(client.convs.get('5').chatState, { pinRank: 1 });
  assert.equal(client.pts, 61);
  clearTimeout(client.ackTimer);
});

test('a conversation learnt of by get_conversation takes its state from the answer', async () => {
  const db = { put: async () => {}, get: async () => undefined, all: async () => [] };
  const client = new Client(db, {}, { userId: '1' });
  client.request = async () => ({ conversation: { conversationId: '9', type: 'CONVERSATION_TYPE_DIRECT', lastSeq: '2', chatState: { archived: true } }, members: [] });
  const c = await client.fetchConversation('9', []);
  assert.deepEqual(c.chatState, { archived: true });
});
