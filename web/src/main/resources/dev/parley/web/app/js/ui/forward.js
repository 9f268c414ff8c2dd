// Forwarding a message (§10.9) to another chat: a small form under the message with the chats one
// can still write to. The copy arrives in the target like any message, marked "Forwarded from …".
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { conversationTitle, who } from './common.js';

/** close() removes the form (after the forward, or on Cancel). */
export function forwardForm(view, c, m, close) {
  const client = view.client;
  const targets = [...client.convs.values()].filter((x) => x.id !== c.id && !x.left);
  if (!targets.length) return h('p', { class: 'forward-form status', onclick: close }, t('noForwardTargets'));
  const select = h('select', { id: 'forward-select', 'aria-label': t('forwardTo') }, targets.map((x) => h('option', { value: x.id }, conversationTitle(client, x))));
  const status = h('span', { class: 'status', role: 'status' });
  return h(
    'form',
    {
      class: 'forward-form',
      onsubmit: async (e) => {
        e.preventDefault();
        const req = { fromConversationId: c.id, seqs: [String(m.seq)], toConversationIds: [select.value], clientMsgId: crypto.randomUUID() };
        try {
          const r = await client.request({ forwardMessages: req });
          const err = (r.results || []).find((x) => x.error)?.error;
          if (err) throw err;
          close();
        } catch (err) {
          status.textContent = t('errorPrefix', err.reason || err.message);
        }
      },
    },
    h('label', {}, t('forwardTo'), ' ', select),
    h('button', { type: 'submit', id: 'forward-send' }, t('forward')),
    h('button', { type: 'button', onclick: close }, t('cancel')),
    status,
  );
}

/** "Forwarded from …" of a copy (sender 0: the original's sender hides themselves, §10.9). */
export function forwardedFrom(client, m) {
  const f = m.forwardedFrom;
  if (!f) return null;
  const from = f.senderId === '0' ? t('hiddenUser') : who(client, f.senderId);
  const group = f.groupId !== '0' ? client.convs.get(f.groupId) : null;
  return h('span', { class: 'forwarded' }, t('forwardedFrom', group ? `${from} (${group.title})` : from));
}
