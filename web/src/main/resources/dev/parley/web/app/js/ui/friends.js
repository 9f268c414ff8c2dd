// Friends: add by e-mail (lookup_user, then send_friend_request), requests both ways, the friend
// list (message, block) and the blocklist (protocol §13).
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { who } from './common.js';
import { newGroupForm } from './group.js';

export function renderFriends(client, ui) {
  const r = client.relations;
  const email = h('input', { id: 'friend-email', type: 'email', 'aria-label': t('addFriend'), placeholder: t('addFriend'), required: true });
  const status = h('p', { class: 'status', role: 'status' }, ui.friendStatus || '');
  const run = (op) => client.request(op).then(() => client.refreshRelations(), (e) => { ui.friendStatus = t('errorPrefix', e.reason); client.changed(); });
  const add = async (e) => {
    e.preventDefault();
    try {
      const found = await client.request({ lookupUser: { email: email.value.trim() } });
      await client.request({ sendFriendRequest: { userId: String(found.profile.userId) } });
      await client.rememberProfiles([found.profile]);
      ui.friendStatus = t('requestSent');
    } catch (err) {
      ui.friendStatus = err.reason === 'NOT_FOUND' ? t('noSuchUser') : t('errorPrefix', err.reason);
    }
    client.refreshRelations();
  };
  const section = (title, id, items) => (items.length ? h('section', { class: 'rel', id }, h('h3', {}, title), h('ul', {}, items)) : null);
  const person = (userId, ...buttons) => h('li', { 'data-user-id': userId }, h('span', { class: 'who' }, who(client, userId)), h('span', { class: 'actions' }, buttons));
  const btn = (label, onclick, cls = '') => h('button', { type: 'button', class: cls, onclick }, label);
  return h(
    'div',
    { class: 'friends' },
    h('form', { class: 'row', onsubmit: add }, email, h('button', { type: 'submit', id: 'add-friend' }, t('add'))),
    status,
    section(t('incoming'), 'incoming', r.incoming.map((q) => person(q.fromUserId, btn(t('accept'), () => run({ acceptFriendRequest: { userId: q.fromUserId } }), 'accept primary'), btn(t('decline'), () => run({ declineFriendRequest: { userId: q.fromUserId } }))))),
    section(t('outgoing'), 'outgoing', r.outgoing.map((q) => person(q.toUserId, btn(t('cancel'), () => run({ cancelFriendRequest: { userId: q.toUserId } }))))),
    section(t('friendList'), 'friend-list', r.friends.map((f) => person(f, btn(t('message'), () => ui.open({ userId: f }), 'message'), btn(t('block'), () => run({ blockUser: { userId: f } }), 'danger')))),
    section(t('blocked'), 'blocked', r.blocked.map((b) => person(b, btn(t('unblock'), () => run({ unblockUser: { userId: b } }))))),
    ui.newGroup
      ? newGroupForm(client, ui.newGroup, (cid) => { ui.newGroup = null; ui.open({ cid }); })
      : h('button', { type: 'button', id: 'new-group', onclick: () => { ui.newGroup = {}; client.changed(); } }, t('newGroup')),
  );
}
