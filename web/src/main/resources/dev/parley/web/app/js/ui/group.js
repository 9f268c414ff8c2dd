// Group management: the members panel of an open group (invite, remove, leave) and the dialog
// that creates a group from friends.
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { who } from './common.js';
import { avatar } from './avatar.js';

export function membersPanel(client, c, rerender) {
  const panel = h('aside', { class: 'members', 'aria-label': t('members') });
  if (!c.members) {
    client.loadMembers(c.id).then(rerender, () => {});
    return panel;
  }
  const mine = c.members.find((m) => m.userId === client.me);
  const canRemove = (m) => mine && m.userId !== client.me && m.role !== 'ROLE_OWNER' && (mine.role === 'ROLE_OWNER' || (mine.role === 'ROLE_ADMIN' && m.role === 'ROLE_MEMBER'));
  const act = (op) => client.request(op).then(() => client.loadMembers(c.id)).then(rerender, (e) => alertError(panel, e));
  panel.append(
    h('h3', {}, t('members')),
    h(
      'ul',
      {},
      c.members.map((m) =>
        h('li', { 'data-user-id': m.userId }, avatar(client, { userId: m.userId, name: client.name(m.userId), size: 'small' }), h('span', { class: 'member-name' }, who(client, m.userId)), m.role !== 'ROLE_MEMBER' ? h('small', {}, ` (${m.role.replace('ROLE_', '').toLowerCase()})`) : null,
          canRemove(m) ? h('button', { type: 'button', class: 'remove', onclick: () => act({ removeMember: { conversationId: c.id, userId: m.userId } }) }, t('remove')) : null),
      ),
    ),
  );
  if (!c.left) {
    const candidates = client.relations.friends.filter((f) => !c.members.some((m) => m.userId === f));
    if (candidates.length) {
      const select = h('select', { id: 'invite-select', 'aria-label': t('invite') }, candidates.map((f) => h('option', { value: f }, who(client, f))));
      panel.append(h('div', { class: 'row' }, select, h('button', { type: 'button', id: 'invite', onclick: () => act({ inviteMembers: { conversationId: c.id, userIds: [select.value] } }) }, t('invite'))));
    }
    panel.append(h('button', { type: 'button', id: 'leave', class: 'danger', onclick: () => act({ leaveGroup: { conversationId: c.id } }) }, t('leave')));
  }
  return panel;
}

function alertError(panel, e) {
  panel.append(h('p', { class: 'error', role: 'alert' }, t('errorPrefix', e.reason || e.message)));
}

/** The "new group" form: a title and friends to add, kept in draft. onCreated(cid). */
export function newGroupForm(client, draft, onCreated) {
  // The draft outlives re-renders (a friend accepted meanwhile rebuilds this form).
  const title = h('input', { id: 'group-title', maxlength: 128, required: true, value: draft.title || '', oninput: () => (draft.title = title.value) });
  draft.picked = draft.picked || new Set();
  const boxes = client.relations.friends.map((f) =>
    h('input', { type: 'checkbox', value: f, id: `pick-${f}`, checked: draft.picked.has(f), onchange: (e) => (e.target.checked ? draft.picked.add(f) : draft.picked.delete(f)) }),
  );
  const status = h('p', { class: 'status', role: 'status' });
  return h(
    'form',
    {
      class: 'new-group',
      onsubmit: async (e) => {
        e.preventDefault();
        try {
          const userIds = boxes.filter((b) => b.checked).map((b) => b.value);
          const r = await client.request({ createGroup: { title: title.value.trim(), userIds } });
          onCreated(String(r.conversation.conversationId));
        } catch (err) {
          status.textContent = t('errorPrefix', err.reason);
        }
      },
    },
    h('h3', {}, t('newGroup')),
    h('label', { class: 'field' }, h('span', {}, t('groupTitle')), title),
    h('fieldset', {}, h('legend', {}, t('friendList')), boxes.map((b) => h('label', { class: 'check' }, b, ' ', who(client, b.value)))),
    h('button', { type: 'submit', class: 'primary', id: 'create-group' }, t('create')),
    status,
  );
}
