// One open conversation: its entries (oldest at the top, older ones loaded when scrolled to the
// top), the outbox entries still pending, and the composer (Enter sends, Shift+Enter is a newline).
import { h, clear, fmtTime } from '../dom.js';
import { t } from '../i18n.js';
import { conversationTitle, describe, who } from './common.js';
import { displayable } from '../state.js';
import { membersPanel } from './group.js';

const RECALL_WINDOW_MS = 24 * 3600 * 1000;

export class ChatView {
  constructor(client, target, onBack) {
    this.client = client;
    this.target = target; // {cid} or {userId} (a direct chat not started yet)
    this.onBack = onBack;
    this.loading = false;
    this.showMembers = false;
    this.title = h('h2', { id: 'chat-title' });
    this.subtitle = h('p', { class: 'subtitle' });
    this.membersButton = h('button', { type: 'button', id: 'members-button', onclick: () => { this.showMembers = !this.showMembers; this.render(); } }, t('members'));
    this.list = h('ol', { class: 'msgs', role: 'log', 'aria-live': 'polite', tabindex: '0', 'aria-labelledby': 'chat-title' });
    this.list.addEventListener('scroll', () => this.maybeLoadOlder());
    this.side = h('div', { class: 'members-side' });
    this.input = h('textarea', { id: 'composer', rows: 1, 'aria-label': t('messagePlaceholder'), placeholder: t('messagePlaceholder'), maxlength: 4000 });
    this.input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        this.send();
      }
    });
    this.closedNote = h('p', { class: 'closed-note' }, t('leftGroup'));
    this.composer = h('form', { class: 'composer', onsubmit: (e) => { e.preventDefault(); this.send(); } }, this.input, h('button', { type: 'submit', class: 'primary', id: 'send' }, t('send')));
    this.el = h(
      'section',
      { class: 'chat-view', 'aria-label': t('chats') },
      h('header', { class: 'chat-head' }, h('button', { type: 'button', class: 'back', onclick: onBack, 'aria-label': t('back') }, '←'), h('div', { class: 'chat-head-text' }, this.title, this.subtitle), this.membersButton),
      h('div', { class: 'chat-body' }, this.list, this.side),
      this.closedNote,
      this.composer,
    );
    this.firstRender = true;
  }

  conversation() {
    const { cid, userId } = this.target;
    if (cid) return this.client.convs.get(cid);
    const c = [...this.client.convs.values()].find((x) => x.type === 'direct' && x.peerUserId === userId);
    if (c) this.target = { cid: c.id };
    return c;
  }

  async send() {
    const text = this.input.value;
    if (!text.trim()) return;
    this.input.value = '';
    const c = this.conversation();
    await this.client.sendText(c ? { cid: c.id } : this.target, text);
    this.stickToBottom = true;
  }

  async maybeLoadOlder() {
    const c = this.conversation();
    if (!c || this.loading || c.historyDone || this.list.scrollTop > 80) return;
    if (this.client.status !== 'online') return;
    this.loading = true;
    const before = this.list.scrollHeight - this.list.scrollTop;
    let more = false;
    try {
      more = await this.client.loadOlder(c.id);
    } catch {
      // offline: tried again on the next scroll
    } finally {
      this.loading = false;
    }
    this.render();
    this.list.scrollTop = this.list.scrollHeight - before;
    // Not enough to fill the view: nothing to scroll, so load the next page now.
    if (more && this.list.scrollHeight <= this.list.clientHeight + 80) setTimeout(() => this.maybeLoadOlder(), 0);
  }

  render() {
    const client = this.client;
    const c = this.conversation();
    const atBottom = this.firstRender || this.stickToBottom || this.list.scrollHeight - this.list.scrollTop - this.list.clientHeight < 40;
    this.stickToBottom = false;
    this.title.textContent = c ? conversationTitle(client, c) : this.target.userId ? who(client, this.target.userId) : '';
    this.subtitle.textContent = c && c.type === 'group' ? t('membersCount', c.memberCount || c.members?.length || '') : '';
    this.membersButton.hidden = !c || c.type !== 'group';
    const closed = !!c && c.left;
    this.closedNote.hidden = !closed;
    this.composer.hidden = closed;
    clear(this.side);
    if (this.showMembers && c && c.type === 'group') this.side.append(membersPanel(client, c, () => this.render()));
    clear(this.list);
    const entries = c ? [...client.entries(c.id).values()].filter(displayable).sort((a, b) => a.seq - b.seq) : [];
    for (const m of entries) this.list.append(this.entry(c, m));
    const cid = c?.id;
    for (const o of client.outbox.values()) {
      if ((cid && o.cid === cid) || (!cid && (o.cid === this.target.cid || o.userId === this.target.userId))) {
        if (o.seq && client.entries(o.cid).has(o.seq)) continue;
        this.list.append(this.pending(o));
      }
    }
    if (atBottom) this.list.scrollTop = this.list.scrollHeight;
    if (c && this.firstRender) {
      this.firstRender = false;
      if (!entries.length) this.maybeLoadOlder();
    }
    if (c && document.visibilityState === 'visible' && c.lastSeq > c.readSeq) client.markRead(c.id).catch(() => {});
  }

  entry(c, m) {
    const client = this.client;
    if (m.kind === 'service') return h('li', { class: 'service', 'data-seq': m.seq }, describe(client, m));
    const mine = m.senderId === client.me;
    const state = mine ? (c.peerReadSeq >= m.seq ? 'read' : 'sent') : null;
    const canRecall = mine && !m.recalled && !c.left && Date.now() - m.sentAtMs < RECALL_WINDOW_MS;
    return h(
      'li',
      { class: 'msg' + (mine ? ' mine' : '') + (m.recalled ? ' recalled' : ''), 'data-seq': m.seq, 'data-state': state },
      h(
        'div',
        { class: 'bubble' },
        !mine && c.type === 'group' ? h('span', { class: 'sender' }, who(client, m.senderId)) : null,
        h('span', { class: 'text' }, describe(client, m)),
        h(
          'span',
          { class: 'meta' },
          m.edited && !m.recalled ? t('edited') + ' · ' : '',
          fmtTime(m.sentAtMs),
          state ? h('span', { class: 'state ' + state, title: t(state), 'aria-label': t(state) }, state === 'read' ? ' ✓✓' : ' ✓') : null,
        ),
      ),
      canRecall ? h('button', { type: 'button', class: 'recall', onclick: () => client.recall(c.id, m.seq).catch(() => {}) }, t('recall')) : null,
    );
  }

  pending(o) {
    const state = o.failed ? 'failed' : o.seq ? 'sent' : 'sending';
    return h(
      'li',
      { class: 'msg mine pending', 'data-state': state, 'data-client-msg-id': o.clientMsgId },
      h('div', { class: 'bubble' }, h('span', { class: 'text' }, o.text), h('span', { class: 'meta' }, h('span', { class: 'state ' + state, 'aria-label': t(state) }, state === 'sending' ? ' 🕓' : state === 'sent' ? ' ✓' : ' ⚠ ' + t('failed')))),
      o.failed ? h('button', { type: 'button', onclick: () => this.client.discard(o.clientMsgId) }, t('close')) : null,
    );
  }
}
