// "Who reacted" (protocol §10.10, get_reactors 308): a button at the end of a message's reactions
// opens the list of who reacted with what, oldest first; a second click closes it. The list is read
// when opened (a few pages at most) and not kept: counts change with every reaction entry.
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { who } from './common.js';

const MAX_PAGES = 5;

export function whoReactedButton(view, c, m) {
  const open = view.reactors?.seq === m.seq && view.reactors.cid === c.id;
  return h(
    'button',
    { type: 'button', class: 'who-reacted', 'aria-expanded': String(open), title: t('whoReacted'), 'aria-label': t('whoReacted'), onclick: () => toggle(view, c, m, open) },
    '👥',
  );
}

/** The open list under message m, or null. */
export function reactorsPanel(view, c, m) {
  const r = view.reactors;
  if (!r || r.seq !== m.seq || r.cid !== c.id) return null;
  return h(
    'ul',
    { class: 'reactors', 'aria-label': t('whoReacted') },
    r.list.length
      ? r.list.map((x) => h('li', { 'data-user-id': x.userId }, h('span', { class: 'reactor-emoji' }, x.emoji), ' ', who(view.client, x.userId)))
      : h('li', {}, r.loading ? '…' : t('noReactors')),
  );
}

async function toggle(view, c, m, open) {
  if (open) {
    view.reactors = null;
    view.render();
    return;
  }
  const state = { cid: c.id, seq: m.seq, list: [], loading: true };
  view.reactors = state;
  view.render();
  try {
    let cursor = '';
    for (let page = 0; page < MAX_PAGES; page++) {
      const r = await view.client.request({ getReactors: { conversationId: c.id, seq: String(m.seq), limit: 100, ...(cursor ? { cursor } : {}) } });
      for (const x of r.reactors || []) state.list.push({ userId: String(x.userId), emoji: x.emoji });
      cursor = r.nextCursor || '';
      if (!cursor) break;
    }
    view.client.fetchMissingProfiles(false, state.list.map((x) => x.userId));
  } catch (e) {
    view.fail(e);
  } finally {
    state.loading = false;
    if (view.reactors === state) view.render();
  }
}
