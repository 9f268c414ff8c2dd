// The composer of an open chat: the text area (Enter sends, Shift+Enter is a newline), the reply or
// edit it is in (a bar above it, Escape or ✕ leaves it), "@" suggestions of group members (arrows
// and Enter or Tab pick, the pick is kept as a mention until the name is edited away), and the
// typing indicator this device sends while the user writes (§20, TypingSender's rules).
import { h, clear } from '../dom.js';
import { t } from '../i18n.js';
import { who } from './common.js';
import { buildMentions, insertMention, matchMembers, mentionQuery } from '../mentions.js';
import { snippet } from '../messaging.js';
import { TypingSender } from '../typing.js';
import { attachButton, attachmentsOf } from './attach.js';

export class Composer {
  /** view: the ChatView (conversation(), target, fail(e), afterSend()). */
  constructor(client, view) {
    this.client = client;
    this.view = view;
    this.mode = null; // {kind: 'reply' | 'edit', m}
    this.picked = []; // [{userId, name}] chosen from the suggestions
    this.options = [];
    this.active = 0;
    this.typing = new TypingSender();
    this.input = h('textarea', { id: 'composer', rows: 1, 'aria-label': t('messagePlaceholder'), placeholder: t('messagePlaceholder'), maxlength: 4000, 'aria-autocomplete': 'list', 'aria-controls': 'mention-suggestions' });
    this.input.addEventListener('keydown', (e) => this.keydown(e));
    this.input.addEventListener('input', () => this.changed());
    this.input.addEventListener('blur', () => setTimeout(() => this.showSuggestions([]), 150));
    this.contextText = h('span', { class: 'context-text' });
    this.context = h('div', { class: 'composer-context', hidden: true }, this.contextText, h('button', { type: 'button', id: 'cancel-context', 'aria-label': t('cancelReplyEdit'), title: t('cancelReplyEdit'), onclick: () => this.leaveMode() }, '✕'));
    this.suggestions = h('ul', { class: 'mention-suggestions', id: 'mention-suggestions', role: 'listbox', 'aria-label': t('mentionSuggestions'), hidden: true });
    this.sendButton = h('button', { type: 'submit', class: 'primary', id: 'send' }, t('send'));
    this.form = h('form', { class: 'composer', onsubmit: (e) => { e.preventDefault(); this.send(); } }, attachButton((files) => this.attach(files)), this.input, this.sendButton);
    this.el = h('div', { class: 'composer-box' }, this.context, this.suggestions, this.form);
  }

  reply(m) {
    this.mode = { kind: 'reply', m };
    this.showMode();
  }

  edit(m) {
    this.mode = { kind: 'edit', m };
    this.input.value = m.text;
    this.picked = (m.mentionRanges || []).map((r) => ({ userId: r.userId, name: m.text.slice(r.offset + 1, r.offset + r.length) }));
    this.showMode();
  }

  leaveMode() {
    if (this.mode?.kind === 'edit') this.input.value = '';
    this.mode = null;
    this.showMode();
  }

  showMode() {
    const m = this.mode;
    this.context.hidden = !m;
    this.context.dataset.mode = m?.kind || '';
    this.contextText.textContent = !m ? '' : m.kind === 'edit' ? t('editing') : `${t('replyingTo', who(this.client, m.m.senderId))}: ${snippet(m.m.text) || t('aMessage')}`;
    this.sendButton.textContent = m?.kind === 'edit' ? t('saveEdit') : t('send');
    this.input.focus();
  }

  keydown(e) {
    if (!this.suggestions.hidden && this.options.length) {
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        this.active = (this.active + (e.key === 'ArrowDown' ? 1 : this.options.length - 1)) % this.options.length;
        this.showSuggestions(this.options);
        return;
      }
      if ((e.key === 'Enter' || e.key === 'Tab') && !e.shiftKey) {
        e.preventDefault();
        this.pick(this.options[this.active]);
        return;
      }
      if (e.key === 'Escape') {
        e.stopPropagation();
        this.showSuggestions([]);
        return;
      }
    }
    if (e.key === 'Escape' && this.mode) {
      e.stopPropagation();
      this.leaveMode();
    } else if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      this.send();
    }
  }

  /** The input changed: the typing indicator, and the "@" suggestions in groups. */
  changed() {
    const c = this.view.conversation();
    if (!c) return;
    this.sendTyping(c, this.typing.input(c.id, this.input.value));
    const q = c.type === 'group' ? mentionQuery(this.input.value, this.input.selectionStart) : null;
    this.active = 0;
    this.showSuggestions(q ? matchMembers(this.candidates(c), q.query) : []);
  }

  sendTyping(c, action) {
    if (!action || this.client.status !== 'online' || c.left) return;
    this.client.request({ setTyping: { conversationId: c.id, action } }).catch(() => {});
  }

  /** Who can be mentioned: the other members, and "@all" for admins and the owner (§10.8). */
  candidates(c) {
    if (!c.members) {
      // Suggest as soon as they are known, without waiting for the next keystroke.
      this.client.loadMembers(c.id).then((x) => x?.members && this.changed(), () => {});
      return [];
    }
    const list = c.members.filter((m) => m.userId !== this.client.me).map((m) => ({ userId: m.userId, name: who(this.client, m.userId) }));
    if (c.role === 'ROLE_ADMIN' || c.role === 'ROLE_OWNER') list.push({ userId: '0', name: t('mentionAll') });
    return list;
  }

  showSuggestions(options) {
    this.options = options;
    clear(this.suggestions);
    this.suggestions.hidden = !options.length;
    options.forEach((o, i) =>
      this.suggestions.append(
        h('li', { role: 'option', 'aria-selected': String(i === this.active) },
          h('button', { type: 'button', class: 'mention-option', 'data-user-id': o.userId, tabindex: '-1', onmousedown: (e) => e.preventDefault(), onclick: () => this.pick(o) }, '@' + o.name)),
      ),
    );
  }

  pick(o) {
    const q = mentionQuery(this.input.value, this.input.selectionStart);
    if (!q) return;
    const r = insertMention(this.input.value, q.start, this.input.selectionStart, o.name);
    this.input.value = r.text;
    this.input.setSelectionRange(r.caret, r.caret);
    this.picked.push(o);
    this.showSuggestions([]);
    this.input.focus();
  }

  /** Sends files (attach button, drop, paste); the text typed so far becomes the first one's caption. */
  attach(files) {
    const c = this.view.conversation();
    if (!files.length || this.mode?.kind === 'edit' || c?.left) return;
    const target = c ? { cid: c.id } : this.view.target;
    const caption = this.input.value.trim().slice(0, 1024);
    this.input.value = '';
    if (c) this.sendTyping(c, this.typing.stop(c.id));
    files.forEach((f, i) => attachmentsOf(this.client).add(target, f, i === 0 ? caption : ''));
    this.view.afterSend();
  }

  async send() {
    const text = this.input.value;
    if (!text.trim()) return;
    const c = this.view.conversation();
    const mentions = c?.type === 'group' && (this.mode?.kind !== 'edit' || this.mode.m.kind === 'text') ? buildMentions(text, this.picked) : [];
    const mode = this.mode;
    this.input.value = '';
    this.picked = [];
    this.mode = null;
    this.showMode();
    this.showSuggestions([]);
    if (c) this.sendTyping(c, this.typing.stop(c.id));
    if (mode?.kind === 'edit') {
      // An edit is not queued like a message: it needs the connection, and a failure is shown.
      const req = { conversationId: c.id, seq: String(mode.m.seq), text, ...(mentions.length ? { mentions } : {}) };
      await this.client.request({ editMessage: req }).catch((e) => this.view.fail(e));
      return;
    }
    const extra = { ...(mode?.kind === 'reply' ? { replyToSeq: mode.m.seq } : {}), ...(mentions.length ? { mentions } : {}) };
    await this.client.sendText(c ? { cid: c.id } : this.view.target, text, extra);
    this.view.afterSend();
  }
}
