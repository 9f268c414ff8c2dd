// Presence of the people on screen (protocol §21.3–21.4): get_presence when a one-to-one chat opens
// (and after each reconnect), then presence_changed events. Ephemeral, so kept in memory only.

export class PresenceBoard {
  constructor() {
    this.byUser = new Map(); // userId -> {online} | {lastSeenMs} | {coarse}
  }

  /** A UserPresence from get_presence or presence_changed; returns whether anything changed. */
  receive(p) {
    const id = String(p.userId || '0');
    const v = p.online ? { online: true } : p.lastSeenMs ? { lastSeenMs: Number(p.lastSeenMs) } : { coarse: p.coarse || 'LAST_SEEN_LONG_AGO' };
    const before = this.byUser.get(id);
    this.byUser.set(id, v);
    return JSON.stringify(before) !== JSON.stringify(v);
  }

  get(userId) {
    return this.byUser.get(userId);
  }
}

const COARSE_KEYS = {
  LAST_SEEN_RECENTLY: 'seenRecently',
  LAST_SEEN_WITHIN_WEEK: 'seenWithinWeek',
  LAST_SEEN_WITHIN_MONTH: 'seenWithinMonth',
  LAST_SEEN_LONG_AGO: 'seenLongAgo',
};

/**
 * How a presence reads in a chat's head: {key, arg} for i18n ('presenceOnline'; 'seenAt' with
 * the time when today, 'seenOn' with date and time otherwise, 'seenJustNow' within a minute; a
 * coarse value's own key), or null when unknown.
 */
export function presenceText(p, now, locale) {
  if (!p) return null;
  if (p.online) return { key: 'presenceOnline', arg: '' };
  if (p.lastSeenMs) {
    if (now - p.lastSeenMs < 60 * 1000) return { key: 'seenJustNow', arg: '' };
    const d = new Date(p.lastSeenMs);
    const time = d.toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' });
    if (d.toDateString() === new Date(now).toDateString()) return { key: 'seenAt', arg: time };
    return { key: 'seenOn', arg: `${d.toLocaleDateString(locale)} ${time}` };
  }
  return { key: COARSE_KEYS[p.coarse] || 'seenLongAgo', arg: '' };
}
