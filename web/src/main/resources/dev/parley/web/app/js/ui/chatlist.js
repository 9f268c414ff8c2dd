// The chat list: most recent first, with the last entry, unread and mention badges and a muted mark.
import { h, fmtTime } from '../dom.js';
import { t } from '../i18n.js';
import { conversationTitle, describe, isMuted } from './common.js';
import { avatar } from './avatar.js';

export function renderChatList(client, openId, onOpen) {
  const convs = [...client.convs.values()].sort((a, b) => b.lastActivityMs - a.lastActivityMs || b.lastSeq - a.lastSeq);
  if (!convs.length) return h('p', { class: 'empty' }, t('noChats'));
  return h(
    'ul',
    { class: 'chat-list', 'aria-label': t('chats') },
    convs.map((c) => {
      const muted = isMuted(c);
      return h(
        'li',
        {},
        h(
          'button',
          {
            class: 'chat-item' + (c.id === openId ? ' open' : ''),
            'data-cid': c.id,
            'aria-current': c.id === openId ? 'true' : null,
            onclick: () => onOpen({ cid: c.id }),
          },
          avatar(client, { userId: c.type === 'direct' ? c.peerUserId : '', name: conversationTitle(client, c) }),
          h(
            'span',
            { class: 'chat-main' },
            h('span', { class: 'chat-title' }, conversationTitle(client, c), muted ? h('span', { class: 'muted-mark', title: t('muted') }, ' 🔕') : null),
            h('span', { class: 'chat-last' }, describe(client, c.lastMessage)),
          ),
          h(
            'span',
            { class: 'chat-side' },
            h('span', { class: 'chat-time' }, fmtTime(c.lastActivityMs)),
            c.unreadMentions > 0 ? h('span', { class: 'badge mention', 'aria-label': t('mentionsLabel') }, t('mentionBadge')) : null,
            c.unread > 0 ? h('span', { class: 'badge unread' + (muted ? ' quiet' : ''), 'data-unread': c.unread }, String(c.unread)) : null,
          ),
        ),
      );
    }),
  );
}
