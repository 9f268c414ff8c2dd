// The search field above the chat list, and the results shown in the list's place while it holds a
// query (protocol §22): the chats (search_chats), contacts (search_contacts) and messages
// (search_messages, newest first, paged with "More") that match, the typed parts marked. What is
// sent, and when, is the queue's (search.js). A chat opens; a contact opens the one-to-one chat
// with them, as the friends list does; a message opens its chat at that message.
import { h, fmtTime } from '../dom.js';
import { t } from '../i18n.js';
import { conversationTitle, who } from './common.js';
import { avatar } from './avatar.js';
import { SearchQueue, markedParts, nothingToSearch, allAnswered } from '../search.js';

const NAMES_SHOWN = 10; // chats, and contacts, per query
const HITS_PAGE = 20; // messages per page (the server's default)
const MAX_QUERY = 128; // the longest query search_chats and search_contacts take (§22.2)

export class ChatSearch {
  /** ui: the shell (tab, open, openAt, renderSide). */
  constructor(client, ui) {
    this.client = client;
    this.ui = ui;
    this.queue = new SearchQueue();
    this.results = null; // {query, chats, contacts, hits, cursor} of the last answer shown
    this.note = null; // {key, arg, error}: searching, busy, nothing to search for, an error
    this.input = h('input', {
      id: 'search',
      type: 'search',
      maxlength: MAX_QUERY,
      autocomplete: 'off',
      oninput: () => this.typed(),
      onkeydown: (e) => {
        if (e.key !== 'Escape' || !this.input.value) return;
        e.stopPropagation(); // Escape here clears the search, and closes no chat
        e.preventDefault();
        this.clear();
      },
    });
    this.el = h('div', { class: 'search-bar', role: 'search' }, this.input);
  }

  /** The field's words in the current language, and whether it shows (with the chat list only). */
  render(shown) {
    this.el.hidden = !shown;
    this.input.placeholder = t('search');
    this.input.setAttribute('aria-label', t('searchLabel'));
  }

  /** Whether the results show in the chat list's place. */
  active() {
    return this.input.value.trim() !== '';
  }

  typed() {
    const query = this.input.value;
    if (!query.trim()) return this.clear();
    this.queue.later(this.search(query));
    if (!this.results && this.note?.key !== 'searching') this.show({ key: 'searching' }, null);
  }

  clear() {
    this.input.value = '';
    this.queue.cancel();
    this.results = null;
    this.note = null;
    this.refresh();
  }

  /** Draws the results again, unless another tab (friends, settings, with inputs of its own) shows. */
  refresh() {
    if (this.ui.tab === 'chats') this.ui.renderSide(true);
  }

  show(note, results = this.results) {
    this.note = note;
    this.results = results;
    this.refresh();
  }

  /** The job of one search: the three requests sent together, shown once all have answered. */
  search(query) {
    const names = { query, limit: NAMES_SHOWN };
    return this.job(
      () =>
        allAnswered([
          this.client.request({ searchChats: names }),
          this.client.request({ searchContacts: names }),
          this.client.request({ searchMessages: { query, limit: HITS_PAGE } }),
        ]),
      ([chats, contacts, page]) => this.add({ query, chats: chats.chats || [], contacts: contacts.contacts || [], hits: [] }, page),
    );
  }

  /** The next page of messages, for the results shown. */
  more() {
    const r = this.results;
    if (!r?.cursor || this.queue.busy()) return;
    const next = { query: r.query, cursor: r.cursor, limit: HITS_PAGE };
    this.queue.now(this.job(() => this.client.request({ searchMessages: next }), (page) => this.add(r, page)));
    this.refresh(); // "More" waits
  }

  /** A job of the queue (search.js); its failures and UNAVAILABLE show alike. */
  job(run, done) {
    return { run, done, failed: (e) => this.failed(e), busy: () => this.show({ key: 'searchBusy' }) };
  }

  /** Shows results with a page of messages added; senders not known yet are read for the next render. */
  add(results, page) {
    const hits = page.hits || [];
    this.show(null, { ...results, hits: results.hits.concat(hits), cursor: page.nextCursor || '' });
    this.client.fetchMissingProfiles(false, hits.map((x) => String(x.senderId || '0'))).catch(() => {});
  }

  failed(e) {
    if (nothingToSearch(e)) return this.show({ key: 'nothingToSearch' }, null);
    if (e.reason === 'UNAVAILABLE') return this.show({ key: 'searchBusyLater', error: true });
    this.show({ key: 'errorPrefix', arg: e.reason || e.message, error: true });
  }

  /** What shows in the chat list's place. */
  panel() {
    const r = this.results;
    const n = this.note;
    const note = n ? h('p', { class: 'search-note' + (n.error ? ' error' : ''), role: 'status' }, t(n.key, n.arg)) : null;
    const group = (id, title, rows, after = null) =>
      rows.length ? h('section', { class: 'search-group', id }, h('h3', {}, title), h('ul', {}, rows), after) : null;
    const waiting = this.queue.busy();
    return h(
      'div',
      { class: 'search-results', id: 'search-results' },
      note,
      r && group('search-chats', t('chats'), r.chats.map((c) => this.chatRow(c))),
      r && group('search-contacts', t('contacts'), r.contacts.map((c) => this.contactRow(c))),
      r &&
        group(
          'search-messages',
          t('messages'),
          r.hits.map((x) => this.hitRow(x)),
          r.cursor ? h('button', { type: 'button', id: 'search-more', disabled: waiting, onclick: () => this.more() }, t('moreResults')) : null,
        ),
      r && !n && !r.chats.length && !r.contacts.length && !r.hits.length ? h('p', { class: 'empty' }, t('noResults')) : null,
    );
  }

  chatRow(chat) {
    const client = this.client;
    const cid = String(chat.conversationId);
    const known = client.convs.get(cid);
    const peer = chat.peerUserId && chat.peerUserId !== '0' ? String(chat.peerUserId) : '';
    const title = chat.title || (known ? conversationTitle(client, known) : '');
    const m = chat.match || {};
    // The row's own name matched (the title, the peer's display name): marked there; else the line
    // under it says whose name did.
    const own = m.field !== 'USERNAME' && m.text === title;
    return h(
      'li',
      {},
      h(
        'button',
        { type: 'button', class: 'search-item search-chat', 'data-cid': cid, onclick: () => this.ui.open(known || !peer ? { cid } : { userId: peer }) },
        avatar(client, { userId: peer, name: title }),
        h(
          'span',
          { class: 'chat-main' },
          h('span', { class: 'chat-title' }, own ? marked(m.text, m.highlights) : title, chat.former ? h('span', { class: 'former-mark' }, ' · ', t('formerChat')) : null),
          own || !m.text ? null : h('span', { class: 'chat-last' }, nameMatch(m)),
        ),
        h('span', { class: 'chat-side' }, h('span', { class: 'chat-time' }, fmtTime(chat.lastActivityMs))),
      ),
    );
  }

  contactRow(contact) {
    const p = contact.profile || {};
    const userId = String(p.userId);
    const m = contact.match || {};
    const name = p.displayName || who(this.client, userId);
    return h(
      'li',
      {},
      h(
        'button',
        { type: 'button', class: 'search-item search-contact', 'data-user-id': userId, onclick: () => this.ui.open({ userId }) },
        avatar(this.client, { userId, name }),
        h(
          'span',
          { class: 'chat-main' },
          h('span', { class: 'chat-title' }, m.field === 'DISPLAY_NAME' ? marked(m.text, m.highlights) : name),
          p.username ? h('span', { class: 'chat-last' }, m.field === 'USERNAME' ? nameMatch(m) : '@' + p.username) : null,
        ),
      ),
    );
  }

  hitRow(hit) {
    const client = this.client;
    const cid = String(hit.conversationId);
    const seq = Number(hit.seq);
    const c = client.convs.get(cid);
    return h(
      'li',
      {},
      h(
        'button',
        { type: 'button', class: 'search-item search-hit', 'data-cid': cid, 'data-seq': seq, onclick: () => this.ui.openAt(cid, seq) },
        h(
          'span',
          { class: 'chat-main' },
          h('span', { class: 'hit-head' }, h('span', { class: 'chat-title' }, c ? conversationTitle(client, c) : ''), h('span', { class: 'chat-time' }, fmtTime(hit.sentAtMs))),
          h('span', { class: 'hit-text' }, h('span', { class: 'hit-sender' }, t('hitSender', who(client, String(hit.senderId || '0')))), ' ', h('span', { class: 'hit-snippet' }, marked(hit.snippet || '', hit.highlights))),
        ),
      ),
    );
  }
}

/** Text with its highlights in <mark>: text nodes and elements only, never HTML. */
function marked(text, highlights = []) {
  return markedParts(text, highlights).map((p) => (p.mark ? h('mark', {}, p.text) : p.text));
}

/** A matched name under a row: a username with its "@". */
function nameMatch(m) {
  return [m.field === 'USERNAME' ? '@' : '', ...marked(m.text, m.highlights)];
}
