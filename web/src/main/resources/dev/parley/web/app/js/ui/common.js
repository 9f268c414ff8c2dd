import { h } from '../dom.js';
import { t, language, setLanguage, LANGUAGES } from '../i18n.js';

/** The language switch; onChange re-renders with the new strings. */
export function languageSwitch(onChange) {
  const select = h(
    'select',
    { id: 'language', 'aria-label': t('language'), onchange: () => { setLanguage(select.value); onChange(); } },
    Object.entries(LANGUAGES).map(([code, label]) => h('option', { value: code, selected: code === language() }, label)),
  );
  return h('label', { class: 'lang' }, h('span', {}, t('language')), select);
}

/** A user's name as shown: display name, "You", or a placeholder until the profile is known. */
export function who(client, userId) {
  if (userId === client.me) return t('you');
  return client.name(userId) || t('unknownUser', userId.slice(-4));
}

export function conversationTitle(client, c) {
  if (c.type === 'group') return c.title;
  return c.peerUserId ? who(client, c.peerUserId) : '';
}

export function isMuted(c, now = Date.now()) {
  const s = c.chatState || {};
  return !!s.mutedForever || Number(s.mutedUntilMs || 0) > now;
}

/** One line describing an entry, for the chat list and for service entries in a chat. */
export function describe(client, m) {
  if (!m) return '';
  if (m.recalled) return t('recalled');
  if (m.kind === 'text') return m.text;
  if (m.kind === 'image') return m.text || t('image');
  if (m.kind === 'file') return m.fileName || m.text || t('file');
  if (m.kind === 'service') {
    const s = m.service;
    const actor = who(client, s.actorId);
    const users = s.userIds.map((u) => who(client, u)).join(', ');
    switch (s.action) {
      case 'GROUP_CREATED': return t('groupCreated', actor, s.title);
      case 'MEMBERS_ADDED': return t('membersAdded', actor, users);
      case 'MEMBER_REMOVED': return t('memberRemoved', actor, users);
      case 'MEMBER_LEFT': return t('memberLeft', actor);
      case 'TITLE_CHANGED': return t('titleChanged', actor, s.title);
      case 'OWNER_CHANGED': return t('ownerChanged', users);
      case 'GROUP_DISBANDED': return t('disbanded');
      default: return t('roleChanged', actor);
    }
  }
  return '';
}
