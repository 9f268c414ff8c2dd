// Typing indicators (protocol §20 and the typing event of §14). Pure, with the clock passed in, so
// the rules are testable without waiting.
//
// TypingBoard keeps who is typing where, each until its expires_in_ms runs out (restarted by every
// new indicator; never hard-coded), and forgets at once on CANCEL, on a message from that user in
// that conversation, and when the connection drops.
//
// TypingSender decides what this device sends while the user writes: TYPING when they start and
// again every RENEW_MS while they go on (the server forwards the same action at most every 2 s and
// members show it for 6 s, so 4.5 s keeps the indicator alive with margin), CANCEL when they send
// or empty the input, and nothing on the other keystrokes.
export const RENEW_MS = 4500;

export class TypingBoard {
  constructor(now = () => Date.now()) {
    this.now = now;
    this.byConv = new Map(); // cid -> Map(userId -> {action, until})
  }

  /** A typing event; returns true when what is shown changed. */
  receive(e) {
    const cid = String(e.conversationId);
    const userId = String(e.userId);
    const ms = Number(e.expiresInMs || 0);
    if (e.action === 'CANCEL' || ms <= 0) return this.heard(cid, userId);
    let m = this.byConv.get(cid);
    if (!m) this.byConv.set(cid, (m = new Map()));
    m.set(userId, { action: e.action || 'TYPING', until: this.now() + ms });
    return true;
  }

  /** A message of userId arrived in cid (or they cancelled): they are not typing any more. */
  heard(cid, userId) {
    const m = this.byConv.get(cid);
    if (!m || !m.delete(userId)) return false;
    if (!m.size) this.byConv.delete(cid);
    return true;
  }

  clear() {
    const had = this.byConv.size > 0;
    this.byConv.clear();
    return had;
  }

  /** Who is typing in cid now: [{userId, action}], in the order they started. */
  typing(cid) {
    const m = this.byConv.get(cid);
    if (!m) return [];
    const now = this.now();
    return [...m].filter(([, v]) => v.until > now).map(([userId, v]) => ({ userId, action: v.action }));
  }

  /** Milliseconds until the next indicator expires (null: none shown). */
  nextExpiry() {
    let next = null;
    const now = this.now();
    for (const m of this.byConv.values()) for (const v of m.values()) if (v.until > now) next = Math.min(next ?? Infinity, v.until - now);
    return next;
  }
}

export class TypingSender {
  constructor(now = () => Date.now()) {
    this.now = now;
    this.last = new Map(); // cid -> {action, at}
  }

  /** The input of cid changed; returns the action to send ('TYPING', 'CANCEL') or null. */
  input(cid, text) {
    if (!text.trim()) return this.stop(cid);
    const l = this.last.get(cid);
    if (l && l.action === 'TYPING' && this.now() - l.at < RENEW_MS) return null;
    this.last.set(cid, { action: 'TYPING', at: this.now() });
    return 'TYPING';
  }

  /** The user sent or cleared the input of cid: CANCEL if an indicator is out, else null. */
  stop(cid) {
    const l = this.last.get(cid);
    if (!l || l.action !== 'TYPING') return null;
    this.last.set(cid, { action: 'CANCEL', at: this.now() });
    return 'CANCEL';
  }
}
