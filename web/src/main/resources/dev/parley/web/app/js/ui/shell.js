// The app's frame: a side panel (chats, friends, settings) and the open chat. On a narrow screen
// only one of the two is shown (data-view on the frame). The connection state is always visible.
// Above the chat list, the search field (search.js): while it holds a query, the results show in
// the list's place.
import { h, clear } from '../dom.js';
import { t } from '../i18n.js';
import { renderChatList } from './chatlist.js';
import { ChatView } from './chat.js';
import { renderFriends } from './friends.js';
import { renderSettings } from './settings.js';
import { who } from './common.js';
import { ChatSearch } from './search.js';

const JUMP_PAGES = 20; // history pages loaded at most to reach a search hit (ChatView.jumpTo)

export class Shell {
  constructor(root, client, signOut) {
    this.root = root;
    this.client = client;
    this.tab = 'chats';
    this.folder = 'main'; // or 'archived' (chatlist.js)
    this.menuCid = null; // the chat whose menu is open (chatmenu.js)
    this.chat = null;
    this.signOut = signOut;
    this.open = (target) => this.openChat(target);
    this.search = new ChatSearch(client, this);
  }

  mount() {
    this.status = h('span', { class: 'conn', id: 'conn-status', role: 'status' });
    this.meName = h('span', { class: 'me', id: 'me-name' });
    this.tabButtons = ['chats', 'friends', 'settings'].map((tab) =>
      h('button', { type: 'button', role: 'tab', id: `tab-${tab}`, onclick: () => this.selectTab(tab) }),
    );
    this.side = h('div', { class: 'side-panel', role: 'tabpanel' });
    this.main = h('main', { class: 'main', id: 'main' });
    this.frame = h(
      'div',
      { class: 'app', 'data-view': 'side' },
      h('aside', { class: 'side' }, h('header', { class: 'side-head' }, this.meName, this.status), h('nav', { class: 'tabs', role: 'tablist' }, this.tabButtons), this.search.el, this.side),
      this.main,
    );
    clear(this.root).append(this.frame);
    this.client.addEventListener('change', () => this.render());
    document.addEventListener('visibilitychange', () => this.render());
    document.addEventListener('keydown', (e) => {
      if (e.key === 'Escape' && this.menuCid) {
        this.menuCid = null;
        this.render(true);
      } else if (e.key === 'Escape' && this.chat) this.closeChat();
    });
    this.render(true);
  }

  selectTab(tab) {
    this.tab = tab;
    this.render(true);
  }

  openChat(target) {
    this.tab = 'chats';
    this.chat = new ChatView(this.client, target, () => this.closeChat());
    clear(this.main).append(this.chat.el);
    this.frame.dataset.view = 'chat';
    this.render(true);
    this.chat.input.focus();
  }

  /** Opens a chat at one of its messages (a search hit), loading older pages until it is held. */
  openAt(cid, seq) {
    this.openChat({ cid });
    this.chat.jumpTo(seq, JUMP_PAGES);
  }

  closeChat() {
    this.chat = null;
    clear(this.main);
    this.frame.dataset.view = 'side';
    this.render(true);
  }

  render(force = false) {
    const c = this.client;
    this.status.textContent = c.status === 'online' ? t('online') : t('connecting');
    this.status.dataset.state = c.status;
    this.meName.textContent = who(c, c.me) === t('you') ? c.name(c.me) || t('you') : '';
    this.tabButtons.forEach((b, i) => {
      const tab = ['chats', 'friends', 'settings'][i];
      b.textContent = t(tab);
      b.setAttribute('aria-selected', String(tab === this.tab));
    });
    this.search.render(this.tab === 'chats');
    this.renderSide(force);
    this.chat?.render();
  }

  renderSide(force) {
    const c = this.client;
    // Panels with inputs are rebuilt only when what they show changed, so typing is not lost.
    const key =
      this.tab === 'chats'
        ? null
        : this.tab === 'friends'
          ? JSON.stringify([c.relations, [...c.profiles.values()].map((p) => p.displayName), this.friendStatus, !!this.newGroup])
          : 'settings';
    if (!force && key !== null && key === this.sideKey) return;
    this.sideKey = key;
    const ui = this;
    const panel =
      this.tab === 'chats'
        ? this.search.active()
          ? this.search.panel()
          : renderChatList(c, this.chat?.conversation()?.id, this.open, this)
        : this.tab === 'friends'
          ? renderFriends(c, ui)
          : renderSettings(c, ui);
    clear(this.side).append(panel);
  }
}
