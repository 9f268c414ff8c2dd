// One open conversation: its entries (oldest at the top, older ones loaded when scrolled to the
// top), the outbox entries still pending, and the composer (composer.js). Replies, reactions, pins,
// typing, "read by" and forwards are drawn by message.js, reactions.js, pins.js, typing.js, forward.js.
import { h, clear, fmtTime } from '../dom.js';
import { t } from '../i18n.js';
import { conversationTitle, describe, who } from './common.js';
import { displayable } from '../state.js';
import { membersPanel } from './group.js';
import { Composer } from './composer.js';
import { messageHead, mentionText, readByLabel, messageFooter, messageActions } from './message.js';
import { pinnedBar, pinLine, loadPins } from './pins.js';
import { typingText } from './typing.js';
import { forwardForm } from './forward.js';
import { presenceLine } from './presence.js';
import { isMarkedUnread } from '../chatstate.js';
import { mediaBlock } from './media.js';
import { acceptDropsAndPastes, attachmentsOf, uploadRow } from './attach.js';
import { avatar } from './avatar.js';

const RECALL_WINDOW_MS = 24 * 3600 * 1000;

export class ChatView {
  constructor(client, target, onBack) {
    this.client = client;
    this.target = target; // {cid} or {userId} (a direct chat not started yet)
    this.onBack = onBack;
    this.loading = false;
    this.showMembers = false;
    this.title = h('h2', { id: 'chat-title' });
    this.avatarSlot = h('span', { class: 'head-avatar' });
    this.subtitle = h('p', { class: 'subtitle' });
    this.membersButton = h('button', { type: 'button', id: 'members-button', onclick: () => { this.showMembers = !this.showMembers; this.render(); } }, t('members'));
    this.list = h('ol', { class: 'msgs', role: 'log', 'aria-live': 'polite', tabindex: '0', 'aria-labelledby': 'chat-title' });
    this.list.addEventListener('scroll', () => this.maybeLoadOlder());
    this.side = h('div', { class: 'members-side' });
    this.composerUi = new Composer(client, this);
    this.input = this.composerUi.input;
    this.closedNote = h('p', { class: 'closed-note' }, t('leftGroup'));
    this.composer = this.composerUi.el;
    this.pinSlot = h('div', { class: 'pin-slot' });
    this.notice = h('p', { class: 'chat-notice error', role: 'alert', hidden: true });
    this.forwardSlot = h('div', { class: 'forward-slot' });
    this.mentionButton = h('button', { type: 'button', id: 'next-mention', class: 'next-mention', hidden: true, title: t('nextMention'), 'aria-label': t('nextMention'), onclick: () => this.nextMention() }, '@');
    this.el = h(
      'section',
      { class: 'chat-view', 'aria-label': t('chats') },
      h('header', { class: 'chat-head' }, h('button', { type: 'button', class: 'back', onclick: onBack, 'aria-label': t('back') }, '←'), this.avatarSlot, h('div', { class: 'chat-head-text' }, this.title, this.subtitle), this.mentionButton, this.membersButton),
      this.pinSlot,
      h('div', { class: 'chat-body' }, this.list, this.side),
      this.notice,
      this.forwardSlot,
      this.closedNote,
      this.composer,
    );
    acceptDropsAndPastes(this.el, this.input, (files) => this.composerUi.attach(files));
    this.firstRender = true;
  }

  conversation() {
    const { cid, userId } = this.target;
    if (cid) return this.client.convs.get(cid);
    const c = [...this.client.convs.values()].find((x) => x.type === 'direct' && x.peerUserId === userId);
    if (c) this.target = { cid: c.id };
    return c;
  }

  afterSend() {
    this.stickToBottom = true;
  }

  /** An answer with an error to something the user did here. */
  fail(e) {
    this.notice.hidden = false;
    this.notice.textContent = t('errorPrefix', e.reason || e.message);
    clearTimeout(this.noticeTimer);
    this.noticeTimer = setTimeout(() => (this.notice.hidden = true), 6000);
  }

  /**
   * Scrolls to entry seq, loading older pages until it is held (`pages` at most), and highlights it
   * briefly (flashSeq: through the renders that follow, such as the one of the read marker).
   */
  async jumpTo(seq, pages = 10) {
    const c = this.conversation();
    for (let i = 0; c && i < pages && !this.client.entries(c.id).has(seq) && !c.historyDone; i++) {
      if (!(await this.client.loadOlder(c.id).catch(() => false))) break;
    }
    this.flashSeq = Number(seq);
    this.render();
    const el = this.list.querySelector(`[data-seq="${seq}"]`);
    if (el) el.scrollIntoView({ block: 'center' });
    clearTimeout(this.flashTimer);
    this.flashTimer = setTimeout(() => {
      this.flashSeq = null;
      this.list.querySelector('.flash')?.classList.remove('flash');
    }, 1500);
  }

  /** "Jump to the next mention" (§10.8): get_mentions after the last one shown. */
  async nextMention() {
    const c = this.conversation();
    if (!c) return;
    const r = await this.client.request({ getMentions: { conversationId: c.id, afterSeq: String(this.mentionAfter), limit: 1 } }).catch((e) => this.fail(e));
    const seq = Number(r?.seqs?.[0] || 0);
    if (!seq) {
      this.mentionAfter = undefined;
      this.render();
      return;
    }
    this.mentionAfter = seq;
    await this.jumpTo(seq);
  }

  openForward(c, m) {
    clear(this.forwardSlot);
    this.forwardSlot.append(forwardForm(this, c, m, () => clear(this.forwardSlot)));
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
    const peer = c ? (c.type === 'direct' ? c.peerUserId : '') : this.target.userId || '';
    this.avatarSlot.replaceChildren(avatar(client, { userId: peer, name: this.title.textContent, size: 'small' }));
    const typing = c ? typingText(this, c) : '';
    const presence = presenceLine(this, c);
    this.subtitle.textContent = typing || (c && c.type === 'group' ? t('membersCount', c.memberCount || c.members?.length || '') : presence.text);
    this.subtitle.dataset.presence = typing ? '' : presence.state;
    this.subtitle.classList.toggle('typing', !!typing);
    this.renderExtras(c);
    this.membersButton.hidden = !c || c.type !== 'group';
    const closed = !!c && c.left;
    this.closedNote.hidden = !closed;
    this.composer.hidden = closed;
    clear(this.side);
    if (this.showMembers && c && c.type === 'group') this.side.append(membersPanel(client, c, () => this.render()));
    clear(this.list);
    const entries = c ? [...client.entries(c.id).values()].filter((m) => displayable(m) || m.kind === 'pin').sort((a, b) => a.seq - b.seq) : [];
    for (const m of entries) this.list.append(this.entry(c, m));
    const cid = c?.id;
    for (const o of client.outbox.values()) {
      if ((cid && o.cid === cid) || (!cid && (o.cid === this.target.cid || o.userId === this.target.userId))) {
        if (o.seq && client.entries(o.cid).has(o.seq)) continue;
        this.list.append(this.pending(o));
      }
    }
    for (const item of attachmentsOf(client).forChat(c, this.target)) this.list.append(uploadRow(client, item));
    if (atBottom) this.list.scrollTop = this.list.scrollHeight;
    if (c && this.firstRender) {
      this.firstRender = false;
      if (!entries.length) this.maybeLoadOlder();
    }
    if (c && document.visibilityState === 'visible' && (c.lastSeq > c.readSeq || isMarkedUnread(c))) client.markRead(c.id).catch(() => {});
  }

  entry(c, m) {
    const client = this.client;
    if (m.kind === 'service') return h('li', { class: 'service', 'data-seq': m.seq }, describe(client, m));
    if (m.kind === 'pin') return h('li', { class: 'service pin-entry', 'data-seq': m.seq }, pinLine(client, m, client.entries(c.id)));
    const mine = m.senderId === client.me;
    const state = mine ? (c.peerReadSeq >= m.seq ? 'read' : 'sent') : null;
    const canRecall = mine && !m.recalled && !c.left && Date.now() - m.sentAtMs < RECALL_WINDOW_MS;
    return h(
      'li',
      { class: 'msg' + (mine ? ' mine' : '') + (m.recalled ? ' recalled' : '') + (m.seq === this.flashSeq ? ' flash' : ''), 'data-seq': m.seq, 'data-state': state },
      h(
        'div',
        { class: 'bubble' },
        !mine && c.type === 'group' ? h('span', { class: 'sender' }, who(client, m.senderId)) : null,
        ...messageHead(this, c, m),
        mediaBlock(this, m),
        h('span', { class: 'text' }, mentionText(this, m) || (m.media && !m.recalled ? m.text : describe(client, m))),
        h(
          'span',
          { class: 'meta' },
          m.edited && !m.recalled ? h('span', { class: 'edited', title: fmtTime(m.editedAtMs) }, t('edited') + ' · ') : '',
          fmtTime(m.sentAtMs),
          state ? h('span', { class: 'state ' + state, title: t(state), 'aria-label': t(state) }, state === 'read' ? ' ✓✓' : ' ✓') : null,
          mine ? readByLabel(c, m) : null,
        ),
        ...messageFooter(this, c, m),
      ),
      messageActions(this, c, m, canRecall),
    );
  }

  pending(o) {
    const state = o.failed ? 'failed' : o.seq ? 'sent' : 'sending';
    return h(
      'li',
      { class: 'msg mine pending', 'data-state': state, 'data-client-msg-id': o.clientMsgId },
      h('div', { class: 'bubble' }, h('span', { class: 'text' }, o.text || o.fileName || ''), h('span', { class: 'meta' }, h('span', { class: 'state ' + state, 'aria-label': t(state) }, state === 'sending' ? ' 🕓' : state === 'sent' ? ' ✓' : ' ⚠ ' + t('failed')))),
      o.failed ? h('button', { type: 'button', onclick: () => this.client.discard(o.clientMsgId) }, t('close')) : null,
    );
  }

  /** Once per opened chat: the members (mentions, "read by") and the pins; then the pinned bar. */
  renderExtras(c) {
    if (c && !this.extrasLoaded && this.client.status === 'online') {
      this.extrasLoaded = true;
      if (c.unreadMentions > 0) this.mentionAfter = c.readSeq;
      loadPins(this.client, c).catch(() => (this.extrasLoaded = false));
    }
    // Membership entries drop the members held (state.js): read them again, once per log position.
    if (c && c.type === 'group' && !c.members && this.membersAt !== c.lastSeq && this.client.status === 'online') {
      this.membersAt = c.lastSeq;
      this.client.loadMembers(c.id).catch(() => {});
    }
    this.mentionButton.hidden = this.mentionAfter === undefined;
    clear(this.pinSlot);
    const bar = c ? pinnedBar(this, c) : null;
    if (bar) this.pinSlot.append(bar);
  }
}
