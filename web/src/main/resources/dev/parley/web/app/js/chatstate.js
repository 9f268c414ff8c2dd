// Pure functions of the chat list state of protocol §18–19 (your own ChatState of a conversation):
// mute, pins, archive, unread mark; which chats a folder shows and in what order; what the chat
// menu offers. The state itself only ever comes from the server (sync.js applies it), never from a
// guess of what an action will do: see applyChatState.

export const MUTE_HOUR_MS = 3600 * 1000;

export function stateOf(c) {
  return c.chatState || {};
}

export function pinRank(c) {
  return Number(stateOf(c).pinRank || 0);
}

export function isArchived(c) {
  return !!stateOf(c).archived;
}

export function isMarkedUnread(c) {
  return !!stateOf(c).markedUnread;
}

/** 'forever', the time the mute ends (ms), or 0 when not muted (a timed mute that passed is none). */
export function mutedUntil(c, now) {
  const s = stateOf(c);
  if (s.mutedForever) return 'forever';
  const until = Number(s.mutedUntilMs || 0);
  return until > now ? until : 0;
}

/**
 * The chats of a folder ('main' or 'archived'): pinned ones first, highest pin_rank on top (§19),
 * then the others, most recent first.
 */
export function chatsIn(convs, folder) {
  const archived = folder === 'archived';
  return [...convs]
    .filter((c) => isArchived(c) === archived)
    .sort((a, b) => pinRank(b) - pinRank(a) || b.lastActivityMs - a.lastActivityMs || b.lastSeq - a.lastSeq);
}

/** What the "Archived" entry of the main list shows: how many chats, how many of them unread. */
export function archiveSummary(convs) {
  const archived = [...convs].filter(isArchived);
  return { count: archived.length, unread: archived.filter((c) => c.unread > 0 || isMarkedUnread(c)).length };
}

/** The set_conversation_mute arguments (§18.1) of the menu's choices. */
export function muteRequest(choice, now) {
  switch (choice) {
    case '1h':
      return { untilMs: String(now + MUTE_HOUR_MS) };
    case '8h':
      return { untilMs: String(now + 8 * MUTE_HOUR_MS) };
    case 'forever':
      return { forever: true };
    default:
      return { off: true };
  }
}

/**
 * How a mute reads: {key, arg} for i18n ('mutedForever', 'mutedUntil' with the end as a time of
 * day when it is today, else date and time), or null when the chat is not muted.
 */
export function muteLabel(c, now, locale) {
  const until = mutedUntil(c, now);
  if (!until) return null;
  if (until === 'forever') return { key: 'mutedForever', arg: '' };
  const end = new Date(until);
  const time = end.toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' });
  const today = end.toDateString() === new Date(now).toDateString();
  return { key: 'mutedUntil', arg: today ? time : `${end.toLocaleDateString(locale)} ${time}` };
}

/**
 * The pinned chats' ids, top first, with cid moved one place up (reorder_pinned_chats, §19.2);
 * null when cid is not pinned or already on top.
 */
export function movedUp(convs, cid) {
  const ids = [...convs].filter((c) => pinRank(c) > 0).sort((a, b) => pinRank(b) - pinRank(a)).map((c) => c.id);
  const i = ids.indexOf(cid);
  if (i <= 0) return null;
  [ids[i - 1], ids[i]] = [ids[i], ids[i - 1]];
  return ids;
}

/**
 * Applies a chat_state update of the feed to conversation c. Only the feed changes a known
 * conversation's state, in pts order (sync.js applies feed updates in order and holds live ones
 * while get_difference runs), so the last state applied is the newest: no answer of an action and
 * no get_conversation answer, each computed at an unknown point of the feed, can overwrite it.
 * Returns whether c changed.
 */
export function applyChatState(c, state, pts) {
  if (pts <= (c.chatStatePts || 0)) return false;
  c.chatState = state || {};
  c.chatStatePts = pts;
  return true;
}
