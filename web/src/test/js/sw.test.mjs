// Unit tests of the service worker's handlers (sw.js, run by WebLogicIT) with the payloads of
// protocol §14 ("Browsers (Web Push)"). The browser's registration, notifications and clients
// are stand-ins recording what the handlers do; the browser test runs the real ones.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { onPush, onNotificationClick } from '../../main/resources/dev/parley/web/app/sw.js';

function registration(shown = []) {
  return {
    shown,
    async showNotification(title, options) {
      shown.push({ title, ...options, closed: false, close() { this.closed = true; } });
    },
    async getNotifications({ tag }) {
      return shown.filter((n) => n.tag === tag && !n.closed);
    },
  };
}

const message = { title: 'Alice', body: 'See you at 8?', sound: true, badge: 3, tag: 'c:42', thread_id: 'c:42', data: { kind: 'message', conversation_id: '42', seq: '7', pts: '118' } };

test('a visible push shows a notification with its title, body, tag and data, and sets the badge', async () => {
  const reg = registration();
  const badges = [];
  await onPush(message, reg, { setAppBadge: async (n) => badges.push(n), clearAppBadge: async () => badges.push(0) });
  assert.equal(reg.shown.length, 1);
  assert.equal(reg.shown[0].title, 'Alice');
  assert.equal(reg.shown[0].body, 'See you at 8?');
  assert.equal(reg.shown[0].tag, 'c:42');
  assert.equal(reg.shown[0].data.seq, '7');
  assert.deepEqual(badges, [3]);
});

test('a silent read push withdraws the chat notifications up to its seq, and clears the badge', async () => {
  const reg = registration();
  await onPush(message, reg, {});
  await onPush({ ...message, data: { ...message.data, seq: '12' } }, reg, {});
  await onPush({ ...message, tag: 'c:43', data: { ...message.data, conversation_id: '43' } }, reg, {});
  const badges = [];
  await onPush({ badge: 0, tag: 'c:42', thread_id: 'c:42', data: { kind: 'read', conversation_id: '42', seq: '9' } }, reg, { setAppBadge: async () => {}, clearAppBadge: async () => badges.push('cleared') });
  assert.deepEqual(reg.shown.map((n) => [n.tag, n.data.seq, n.closed]), [['c:42', '7', true], ['c:42', '12', false], ['c:43', '7', false]]);
  assert.deepEqual(badges, ['cleared']);
  assert.equal(reg.shown.length, 3, 'a silent push shows nothing');
});

test('a silent recall push withdraws only the notification of that seq', async () => {
  const reg = registration();
  await onPush(message, reg, {});
  await onPush({ ...message, data: { ...message.data, seq: '8' } }, reg, {});
  await onPush({ tag: 'c:42', data: { kind: 'recall', conversation_id: '42', seq: '8' } }, reg, {});
  assert.deepEqual(reg.shown.map((n) => n.closed), [false, true]);
});

test('a click focuses an open window and tells it which chat to open; with none, opens one there', async () => {
  const posted = [];
  const notification = { data: message.data, closed: false, close() { this.closed = true; } };
  const win = { focus: async () => win, postMessage: (m) => posted.push(m) };
  await onNotificationClick(notification, { matchAll: async () => [win], openWindow: async () => assert.fail('no new window') });
  assert.ok(notification.closed);
  assert.deepEqual(posted, [{ openChat: '42' }]);
  const opened = [];
  await onNotificationClick({ ...notification }, { matchAll: async () => [], openWindow: async (url) => opened.push(url) });
  assert.deepEqual(opened, ['/#chat=42']);
});
