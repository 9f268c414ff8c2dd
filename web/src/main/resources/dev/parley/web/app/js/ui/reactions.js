// Reactions under a message (§10.10): the aggregated counts (pressed when one is mine; a click
// toggles it) and the picker of the emoji offered. Sending the new set is all a click does: the
// `reaction` entry that follows updates every device, this one included.
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { QUICK_REACTIONS, toggleReaction } from '../reactions.js';
import { whoReactedButton, reactorsPanel } from './reactors.js';

export function reactionsRow(view, c, m) {
  if (!m.reactions?.length || m.recalled) return null;
  return h(
    'div',
    { class: 'reactions', 'aria-label': t('reactions') },
    m.reactions.map((r) =>
      h('button', { type: 'button', class: 'reaction' + (r.mine ? ' mine' : ''), 'data-emoji': r.emoji, 'aria-pressed': String(r.mine), disabled: c.left, onclick: () => react(view, c, m, r.emoji) }, `${r.emoji} ${r.count}`),
    ),
    whoReactedButton(view, c, m),
    reactorsPanel(view, c, m),
  );
}

export function reactionPicker(view, c, m) {
  return h(
    'div',
    { class: 'reaction-picker', role: 'group', 'aria-label': t('react') },
    QUICK_REACTIONS.map((e) => h('button', { type: 'button', class: 'pick-reaction', 'data-emoji': e, onclick: () => react(view, c, m, e) }, e)),
  );
}

function react(view, c, m, emoji) {
  view.pickerSeq = null;
  view.client
    .request({ setReactions: { conversationId: c.id, seq: String(m.seq), emoji: toggleReaction(m.reactions, emoji) } })
    .then(() => view.render(), (e) => view.fail(e));
}
