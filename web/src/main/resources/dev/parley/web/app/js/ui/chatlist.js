// The chat list: pinned chats first, then the most recent, with the last entry, unread and mention
// badges, muted, pinned and unread marks, each chat's menu (chatmenu.js), and an "Archived" entry
// that switches to the archived chats (ui.folder).
import { h, fmtTime } from '../dom.js';
import { t } from '../i18n.js';
import { conversationTitle, describe, isMuted } from './common.js';
import { chatsIn, archiveSummary, pinRank, isMarkedUnread } from '../chatstate.js';
import { chatMenuButton, chatMenu } from './chatmenu.js';
import { avatar } from './avatar.js';

export function renderChatList(client, openId, onOpen, ui = {}) {
  const folder = ui.folder || 'main';
  const convs = chatsIn(client.convs.values(), folder);
  const head = folderHead(client, ui, folder);
  const notice = ui.listNotice ? h('p', { class: 'error', role: 'alert' }, ui.listNotice) : null;
  if (!convs.length) return h('div', {}, head, notice, folder === 'main' && !head ? h('p', { class: 'empty' }, t('noChats')) : null);
  return h(
    'div',
    {},
    head,
    notice,
    h(
      'ul',
      { class: 'chat-list', 'aria-label': folder === 'main' ? t('chats') : t('archived') },
      convs.map((c) => {
        const muted = isMuted(c);
        const pinned = pinRank(c) > 0;
        const marked = isMarkedUnread(c) && !(c.unread > 0);
        return h(
          'li',
          { class: 'chat-row' },
          h(
            'button',
            {
              class: 'chat-item' + (c.id === openId ? ' open' : ''),
              'data-cid': c.id,
              'data-pinned': String(pinned),
              'data-muted': String(muted),
              'aria-current': c.id === openId ? 'true' : null,
              onclick: () => onOpen({ cid: c.id }),
            },
            avatar(client, { userId: c.type === 'direct' ? c.peerUserId : '', name: conversationTitle(client, c) }),
            h(
              'span',
              { class: 'chat-main' },
              h(
                'span',
                { class: 'chat-title' },
                conversationTitle(client, c),
                muted ? h('span', { class: 'muted-mark', title: t('muted') }, ' 🔕') : null,
                pinned ? h('span', { class: 'pinned-mark', title: t('pinnedChat'), 'aria-label': t('pinnedChat') }, ' 📌') : null,
              ),
              h('span', { class: 'chat-last' }, describe(client, c.lastMessage)),
            ),
            h(
              'span',
              { class: 'chat-side' },
              h('span', { class: 'chat-time' }, fmtTime(c.lastActivityMs)),
              c.unreadMentions > 0 ? h('span', { class: 'badge mention', 'aria-label': t('mentionsLabel') }, t('mentionBadge')) : null,
              c.unread > 0 ? h('span', { class: 'badge unread' + (muted ? ' quiet' : ''), 'data-unread': c.unread }, String(c.unread)) : null,
              marked ? h('span', { class: 'badge marked-unread', title: t('markedUnread'), 'aria-label': t('markedUnread') }) : null,
            ),
          ),
          ui.render ? chatMenuButton(ui, c) : null,
          ui.menuCid === c.id ? chatMenu(ui, client, c) : null,
        );
      }),
    ),
  );
}

/** In the main list, the entry of the archive (when it holds chats); in the archive, the way back. */
function folderHead(client, ui, folder) {
  if (folder === 'archived') {
    return h('button', { type: 'button', class: 'folder-entry', id: 'archive-back', onclick: () => switchTo(ui, 'main') }, '← ', t('archived'));
  }
  const { count, unread } = archiveSummary(client.convs.values());
  if (!count) return null;
  return h(
    'button',
    { type: 'button', class: 'folder-entry', id: 'archived-folder', 'data-count': count, onclick: () => switchTo(ui, 'archived') },
    '🗄 ',
    t('archivedCount', count),
    unread ? h('span', { class: 'badge unread quiet' }, String(unread)) : null,
  );
}

function switchTo(ui, folder) {
  ui.folder = folder;
  ui.menuCid = null;
  ui.render(true);
}
