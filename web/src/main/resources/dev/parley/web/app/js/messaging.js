// What edits, replies, mentions, reactions, pins and forwards (protocol §10.8–10.11) add to the
// entries and conversations the device holds. Pure functions (no DOM), called by state.js when an
// entry is applied, so the same rules hold live, at sync and for history.
//
// Entries from history (fromHistory) carry their current state already (the latest text, reply
// quote and reaction counts), so their `reaction` and `pin` entries, which are older than what is
// held, are not applied: they would put back earlier counts or pins.
import { toReactions, applyReaction } from './reactions.js';

const SNIPPET_CODE_POINTS = 100; // what the server quotes of an original (§10.8)

/** The fields an entry gets beyond state.js's: reply quote, mention ranges, reactions, origin. */
export function extraFields(m) {
  const r = m.replyTo;
  const f = m.forwardedFrom;
  return {
    replyTo: r ? { seq: Number(r.seq || 0), senderId: String(r.senderId || '0'), snippet: r.snippet || '', deleted: !!r.deleted } : null,
    mentionRanges: toRanges(m.mentions || m.edit?.mentions),
    reactions: toReactions(m.reactions),
    forwardedFrom: f ? { senderId: String(f.senderId || '0'), groupId: String(f.groupId || '0'), sentAtMs: Number(f.sentAtMs || 0) } : null,
    reaction: m.reaction ? { emoji: m.reaction.emoji || [], reactions: m.reaction.reactions || [] } : null,
    pinned: m.pin ? !!m.pin.pinned : null,
    editedAtMs: Number(m.editedAtMs || 0),
  };
}

function toRanges(list) {
  return (list || []).map((x) => ({ userId: String(x.userId || '0'), offset: Number(x.offset || 0), length: Number(x.length || 0) }));
}

export function snippet(text) {
  return [...(text || '')].slice(0, SNIPPET_CODE_POINTS).join('');
}

/**
 * Applies what entry m (already in stored form) does beyond recall and edit of the target's text:
 * reply quotes, mention ranges, reaction counts, the pinned list. Adds changed seqs to m.touched.
 */
export function applyExtras(c, m, entries, me, fromHistory) {
  const target = entries.get(m.targetSeq);
  const touch = (e) => m.touched.includes(e.seq) || m.touched.push(e.seq);
  if (m.kind === 'recall') {
    if (target) {
      target.reactions = [];
      target.mentionRanges = [];
      touch(target);
    }
    forReplies(entries, m.targetSeq, (e) => (e.replyTo = { ...e.replyTo, snippet: '', deleted: true }), touch);
    if (c.pins) c.pins = c.pins.filter((p) => p.seq !== m.targetSeq);
  } else if (m.kind === 'edit' && !m.recalled) {
    if (target && !target.recalled) {
      target.mentionRanges = m.mentionRanges;
      target.editedAtMs = m.sentAtMs; // the edit entry's time is the edit time (§10.8)
      touch(target);
    }
    forReplies(entries, m.targetSeq, (e) => !e.replyTo.deleted && (e.replyTo = { ...e.replyTo, snippet: snippet(m.text) }), touch);
    if (c.pins) c.pins = c.pins.map((p) => (p.seq === m.targetSeq ? { ...p, text: m.text } : p));
  } else if (m.kind === 'reaction' && !fromHistory && m.reaction) {
    if (target && !target.recalled) {
      target.reactions = applyReaction(target.reactions, m.reaction, m.senderId, me);
      touch(target);
    }
  } else if (m.kind === 'pin' && !fromHistory && c.pins) {
    const rest = c.pins.filter((p) => p.seq !== m.targetSeq);
    c.pins = m.pinned && !target?.recalled ? [{ seq: m.targetSeq, text: target?.text || '', senderId: target?.senderId || '' }, ...rest] : rest;
  }
}

function forReplies(entries, seq, change, touch) {
  for (const e of entries.values()) {
    if (e.replyTo && e.replyTo.seq === seq) {
      change(e);
      touch(e);
    }
  }
}

/** The pinned list from get_pinned_messages (most recently pinned first). */
export function toPins(list) {
  return (list || []).map((p) => ({
    seq: Number(p.message?.seq || 0),
    text: p.message?.text?.text ?? p.message?.image?.caption ?? p.message?.file?.caption ?? p.message?.file?.name ?? '',
    senderId: String(p.message?.senderId || '0'),
  }));
}

/** A member's read marker moved (get_conversation's members, then read_receipt updates). */
export function noteMemberRead(c, userId, readSeq) {
  const member = c.members?.find((x) => x.userId === userId);
  if (member) member.readSeq = Math.max(member.readSeq || 0, readSeq);
}

/** In a group: how many members other than the sender have read entry m (null: members unknown). */
export function readBy(c, m) {
  if (!c.members) return null;
  return c.members.filter((x) => x.userId !== m.senderId && (x.readSeq || 0) >= m.seq).length;
}
