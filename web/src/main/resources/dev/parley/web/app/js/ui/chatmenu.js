// The chat list's menu of one chat (protocol §18–19): mute for 1 h / 8 h / forever or unmute, pin
// or unpin (and move a pinned chat up), archive or unarchive, mark as unread or read. An action
// only sends its request: the list shows the state the feed brings back (Client.changeChatState),
// on this tab, the other tabs and the user's other devices alike.
import { h } from '../dom.js';
import { t, language } from '../i18n.js';
import { pinRank, isArchived, isMarkedUnread, mutedUntil, muteRequest, muteLabel, movedUp } from '../chatstate.js';

/** The "⋯" button beside a chat of the list; ui.menuCid is the chat whose menu is open. */
export function chatMenuButton(ui, c) {
  const open = ui.menuCid === c.id;
  return h(
    'button',
    {
      type: 'button',
      class: 'chat-menu-button',
      'data-cid': c.id,
      'aria-label': t('chatMenu'),
      'aria-haspopup': 'menu',
      'aria-expanded': String(open),
      onclick: () => {
        ui.menuCid = open ? null : c.id;
        ui.render(true);
        if (!open) ui.side.querySelector('.chat-menu [role=menuitem]')?.focus();
      },
    },
    '⋯',
  );
}

export function chatMenu(ui, client, c) {
  const now = Date.now();
  const muted = mutedUntil(c, now);
  const cid = c.id;
  const item = (action, label, op, before) =>
    h('button', { type: 'button', role: 'menuitem', 'data-action': action, onclick: () => run(ui, client, op, before) }, label);
  const label = muteLabel(c, now, language());
  const items = muted
    ? [item('unmute', t('unmute'), { setConversationMute: { conversationId: cid, ...muteRequest('off', now) } })]
    : ['1h', '8h', 'forever'].map((k) =>
        // The end of a timed mute counts from the click, not from when the menu was drawn.
        item(`mute-${k}`, t(k === 'forever' ? 'muteForever' : `mute${k}`), () => ({ setConversationMute: { conversationId: cid, ...muteRequest(k, Date.now()) } })),
      );
  const pinned = pinRank(c) > 0;
  items.push(item(pinned ? 'unpin' : 'pin', t(pinned ? 'unpinChat' : 'pinChat'), { setChatPinned: { conversationId: cid, pinned: !pinned } }));
  const order = movedUp(client.convs.values(), cid);
  if (order) items.push(item('move-up', t('moveUp'), { reorderPinnedChats: { conversationIds: order } }));
  items.push(item(isArchived(c) ? 'unarchive' : 'archive', t(isArchived(c) ? 'unarchive' : 'archive'), { setChatArchived: { conversationId: cid, archived: !isArchived(c) } }));
  if (isMarkedUnread(c) || c.unread > 0) {
    items.push(h('button', { type: 'button', role: 'menuitem', 'data-action': 'mark-read', onclick: () => markRead(ui, client, cid) }, t('markRead')));
  } else {
    // An open chat would read itself again at once, which clears the mark: it closes first.
    items.push(item('mark-unread', t('markUnread'), { setMarkedUnread: { conversationId: cid, markedUnread: true } }, () => ui.chat?.conversation()?.id === cid && ui.closeChat()));
  }
  return h(
    'div',
    { class: 'chat-menu', role: 'menu', 'aria-label': t('chatMenu'), 'data-cid': cid },
    label ? h('p', { class: 'mute-state' }, t(label.key, label.arg)) : null,
    items,
  );
}

function close(ui) {
  ui.menuCid = null;
  ui.listNotice = null;
  ui.render(true);
}

function run(ui, client, op, before) {
  before?.();
  close(ui);
  client.changeChatState(typeof op === 'function' ? op() : op).catch((e) => showError(ui, e));
}

function markRead(ui, client, cid) {
  close(ui);
  const c = client.convs.get(cid);
  client.request({ markRead: { conversationId: cid, seq: String(c?.lastSeq || 0) } }).then(() => client.feedLoop().catch(() => {}), (e) => showError(ui, e));
}

function showError(ui, e) {
  ui.listNotice = t('errorPrefix', e.reason || e.message);
  ui.render(true);
}
