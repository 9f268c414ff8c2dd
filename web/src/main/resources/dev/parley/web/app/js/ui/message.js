// What a message shows beyond its text and time: "Forwarded from …", the quote it replies to (a
// recalled original shows "message deleted"), mentions highlighted, "read by n" on own group
// messages, reactions, and its actions (reply, edit, react, pin, forward, recall), which appear on
// hover or keyboard focus.
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { who } from './common.js';
import { splitMentions } from '../mentions.js';
import { readBy } from '../messaging.js';
import { reactionsRow, reactionPicker } from './reactions.js';
import { canPin, togglePin } from './pins.js';
import { forwardedFrom } from './forward.js';

const EDIT_WINDOW_MS = 48 * 3600 * 1000; // the server's default msg.edit-window; later: EDIT_WINDOW_PASSED

export function messageHead(view, c, m) {
  const r = m.replyTo;
  const quote = r
    ? h(
        'button',
        { type: 'button', class: 'reply-quote' + (r.deleted ? ' deleted' : ''), 'data-reply-seq': r.seq, onclick: () => view.jumpTo(r.seq) },
        h('span', { class: 'reply-sender' }, who(view.client, r.senderId)),
        h('span', { class: 'reply-snippet' }, r.deleted ? t('messageDeleted') : r.snippet || t('aMessage')),
      )
    : null;
  return [forwardedFrom(view.client, m), quote];
}

/** The text with its mentions as highlighted spans (mentions of me stand out); null: plain. */
export function mentionText(view, m) {
  if (m.recalled || m.kind !== 'text' || !m.mentionRanges?.length) return null;
  return splitMentions(m.text, m.mentionRanges).map((p) =>
    p.userId === undefined ? p.text : h('span', { class: 'mention' + (p.userId === view.client.me || p.userId === '0' ? ' me' : ''), 'data-user-id': p.userId }, p.text),
  );
}

export function readByLabel(c, m) {
  if (c.type !== 'group' || m.recalled) return null;
  const n = readBy(c, m);
  return n ? h('span', { class: 'read-by', 'data-read-by': n }, ' · ' + t('readBy', n)) : null;
}

export function messageFooter(view, c, m) {
  return [reactionsRow(view, c, m), view.pickerSeq === m.seq && !m.recalled ? reactionPicker(view, c, m) : null];
}

export function messageActions(view, c, m, canRecall) {
  if (m.recalled) return null;
  const mine = m.senderId === view.client.me;
  const open = !c.left;
  // A caption can be edited while it has one (§10.8: an emptied caption cannot be edited again).
  const canEdit = open && mine && (m.kind === 'text' || !!m.text) && Date.now() - m.sentAtMs < EDIT_WINDOW_MS;
  const pinned = (c.pins || []).some((p) => p.seq === m.seq);
  const button = (cls, label, icon, onclick) => h('button', { type: 'button', class: cls, title: label, 'aria-label': label, onclick }, icon);
  return h(
    'span',
    { class: 'msg-actions' },
    open ? button('reply-button', t('reply'), '↩', () => view.composerUi.reply(m)) : null,
    canEdit ? button('edit-button', t('edit'), '✎', () => view.composerUi.edit(m)) : null,
    open ? button('react-button', t('react'), '☺', () => { view.pickerSeq = view.pickerSeq === m.seq ? null : m.seq; view.render(); }) : null,
    canPin(c) ? button(pinned ? 'unpin-button' : 'pin-button', t(pinned ? 'unpin' : 'pin'), pinned ? '📍' : '📌', () => togglePin(view, c, m)) : null,
    button('forward-button', t('forward'), '↪', () => view.openForward(c, m)),
    canRecall ? h('button', { type: 'button', class: 'recall', onclick: () => view.client.recall(c.id, m.seq).catch(() => {}) }, t('recall')) : null,
  );
}
