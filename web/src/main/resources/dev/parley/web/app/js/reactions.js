// Reactions as protocol §10.10 has them. Pure functions (no DOM). A message holds its counts as
// [{emoji, count, mine}]; a `reaction` entry replaces them with the counts it carries, and says
// which emoji are "mine" only when the entry is mine (otherwise my earlier marks are kept).
// Emoji are compared without variation selectors (U+FE0F), as the server compares them.

// What the picker offers: emoji of the server's default allowed set (msg.reactions.allowed). The
// protocol has no request that lists a server's set; a server configured without one of these
// answers REACTION_NOT_ALLOWED, which the chat shows.
export const QUICK_REACTIONS = ['👍', '❤', '🔥', '🎉', '😁', '😢', '🤔', '👎'];
export const MAX_PER_USER = 3; // the server's default msg.reactions.max-per-user

export function normalizeEmoji(e) {
  return String(e).replace(/\uFE0F/g, '');
}

/** Wire ReactionCount list → the stored form (zero counts dropped). */
export function toReactions(list) {
  return (list || [])
    .map((r) => ({ emoji: normalizeEmoji(r.emoji), count: Number(r.count || 0), mine: !!r.reactedByMe }))
    .filter((r) => r.count > 0);
}

/** The counts of a message after a `reaction` entry: {emoji, reactions} by senderId. */
export function applyReaction(current, reaction, senderId, me) {
  const mineBefore = new Set((current || []).filter((r) => r.mine).map((r) => r.emoji));
  const mineNow = senderId === me ? new Set((reaction.emoji || []).map(normalizeEmoji)) : mineBefore;
  return toReactions(reaction.reactions).map((r) => ({ ...r, mine: mineNow.has(r.emoji) }));
}

/** My full new set after toggling emoji on a message (what set_reactions takes). */
export function toggleReaction(current, emoji) {
  const e = normalizeEmoji(emoji);
  const mine = (current || []).filter((r) => r.mine).map((r) => r.emoji);
  return mine.includes(e) ? mine.filter((x) => x !== e) : [...mine, e];
}
