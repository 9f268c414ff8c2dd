// Pinned messages (§10.11): the bar at the top of a chat (the most recently pinned first; a click
// shows the message and moves on to the next pin), the "pinned" lines of the log, and pin/unpin.
// The list is read once per opened chat with get_pinned_messages (pins older than the entries the
// device holds are only known that way); pin and recall entries keep it current afterwards.
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { who } from './common.js';
import { toPins } from '../messaging.js';

export function canPin(c) {
  return !c.left && (c.type === 'direct' || c.role === 'ROLE_ADMIN' || c.role === 'ROLE_OWNER');
}

/** Reads the pinned list of c (first page: the bar shows the newest pins). */
export async function loadPins(client, c) {
  const r = await client.request({ getPinnedMessages: { conversationId: c.id, limit: 100 } });
  // The record may have been replaced meanwhile (a re-read conversation): set the current one.
  const cur = client.convs.get(c.id) || c;
  cur.pins = toPins(r.pinned);
  await client.db.put([{ store: 'conversations', put: cur }]);
  client.changed();
}

export function pinnedBar(view, c) {
  const pins = c.pins || [];
  if (!pins.length) return null;
  const i = Math.min(view.pinIndex || 0, pins.length - 1);
  const p = pins[i];
  return h(
    'button',
    {
      type: 'button',
      class: 'pinned-bar',
      id: 'pinned-bar',
      'data-seq': p.seq,
      onclick: () => {
        view.pinIndex = (i + 1) % pins.length;
        view.jumpTo(p.seq);
      },
    },
    h('span', { class: 'pinned-label' }, pins.length > 1 ? t('pinnedCount', i + 1, pins.length) : t('pinned')),
    h('span', { class: 'pinned-text' }, p.text || t('aMessage')),
  );
}

export function pinLine(client, m, entries) {
  const target = entries.get(m.targetSeq);
  const text = target && !target.recalled ? target.text || t('aMessage') : t('aMessage');
  return t(m.pinned ? 'pinnedEntry' : 'unpinnedEntry', who(client, m.senderId), text);
}

export function togglePin(view, c, m) {
  const pinned = (c.pins || []).some((p) => p.seq === m.seq);
  const op = pinned ? { unpinMessage: { conversationId: c.id, seq: String(m.seq) } } : { pinMessage: { conversationId: c.id, seq: String(m.seq) } };
  return view.client.request(op).catch((e) => view.fail(e));
}
