// The device's state and how it follows the server (protocol §9). Everything shown comes from
// here; every change is written to IndexedDB together with the position it advances, then the UI
// is told ('change' event). Ids are strings (64-bit); seqs and pts are Numbers (far below 2^53).
//
// After each authenticate: rebuild if no pts is stored (get_state, get_conversations), then the
// feed loop (get_difference), then the group loop (sync_groups), then ack and resend the outbox.
// Live updates that arrive meanwhile are buffered and applied afterwards by the same rules: by pts
// for the feed (a gap waits 0.5 s, then runs the feed loop) and by seq for each group (a gap waits
// 0.5 s, then sync_groups for that group).
import { Connection, RequestError } from './connection.js';
import { toConversation, applyEntry, takeCount } from './state.js';
import { noteMemberRead } from './messaging.js';
import { TypingBoard } from './typing.js';
import { applyChatState, isMarkedUnread } from './chatstate.js';
import { PresenceBoard } from './presence.js';

const GAP_WAIT_MS = 500;
// Entries kept per conversation across reloads (the "recent messages" of the store).
const KEEP_ENTRIES = 300;

export class Client extends EventTarget {
  constructor(db, tokens, account) {
    super();
    this.db = db;
    this.me = account.userId;
    this.convs = new Map();
    this.msgs = new Map(); // cid -> Map(seq -> entry)
    this.outbox = new Map();
    this.profiles = new Map();
    this.pts = undefined;
    this.status = 'connecting';
    this.syncing = false;
    this.live = [];
    this.feedAhead = [];
    this.groupAhead = new Map(); // cid -> [entries]
    this.gapTimers = new Map();
    this.relations = { incoming: [], outgoing: [], friends: [], blocked: [] };
    this.typing = new TypingBoard(); // who is typing where (ephemeral, §20)
    this.presence = new PresenceBoard(); // who is online (ephemeral, §21)
    this.conn = new Connection(tokens, {
      onOpen: () => this.synchronize(),
      onEvent: (e) => this.event(e),
      onStatus: (s) => this.setStatus(s),
      onSignedOut: (why) => this.emit('signedout', why),
    });
  }

  emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }

  changed() {
    if (this.changeQueued) return;
    this.changeQueued = true;
    queueMicrotask(() => {
      this.changeQueued = false;
      this.emit('change');
    });
  }

  setStatus(s) {
    this.status = s;
    if (s !== 'online') this.typing.clear(); // indicators die with the connection
    this.changed();
  }

  /** Shows what the store holds at once, before any network. */
  async load() {
    for (const c of await this.db.all('conversations')) this.convs.set(c.id, c);
    for (const o of await this.db.all('outbox')) this.outbox.set(o.clientMsgId, o);
    for (const p of await this.db.all('profiles')) this.profiles.set(p.userId, p);
    for (const m of await this.db.all('messages')) this.entries(m.cid).set(m.seq, m);
    this.pts = await this.db.get('meta', 'pts');
    await this.trim();
    this.changed();
  }

  /** Keeps the newest KEEP_ENTRIES of each conversation; older ones are loaded again on scroll. */
  async trim() {
    const ops = [];
    for (const [cid, entries] of this.msgs) {
      if (entries.size <= KEEP_ENTRIES) continue;
      const seqs = [...entries.keys()].sort((a, b) => a - b);
      for (const seq of seqs.slice(0, seqs.length - KEEP_ENTRIES)) {
        entries.delete(seq);
        ops.push({ store: 'messages', del: [cid, seq] });
      }
      const c = this.convs.get(cid);
      if (c) {
        c.historyDone = false;
        ops.push({ store: 'conversations', put: c });
      }
    }
    await this.db.put(ops);
  }

  start() {
    this.conn.start();
  }

  stop() {
    this.conn.stop();
  }

  entries(cid) {
    let m = this.msgs.get(cid);
    if (!m) this.msgs.set(cid, (m = new Map()));
    return m;
  }

  request(op) {
    return this.conn.send(op);
  }

  // ---- sync (§9) ----

  async synchronize() {
    this.syncs = (this.syncs || 0) + 1; // one per connection: what was asked before may be stale
    this.syncing = true;
    try {
      if (this.pts === undefined) await this.rebuild();
      await this.feedLoop();
      await this.groupLoop();
      this.syncing = false;
      const live = this.live.splice(0);
      for (const u of live) await this.liveUpdate(u);
      await this.request({ ack: { pts: String(this.pts) } }).catch(() => {});
      this.resendOutbox();
      this.refreshRelations();
      this.fetchMissingProfiles(true);
      this.emit('synced');
    } catch (e) {
      this.syncing = false;
      if (e instanceof RequestError && e.reason === 'DISCONNECTED') return; // reconnect resyncs
      console.warn('sync failed', e);
    }
  }

  async rebuild() {
    await this.db.reset(true);
    this.convs.clear();
    this.msgs.clear();
    const keepOutbox = [...this.outbox.values()];
    const state = await this.request({ getState: {} });
    const P = Number(state.pts || 0);
    let cursor = '';
    const ops = [];
    do {
      const page = await this.request({ getConversations: { limit: 100, ...(cursor ? { cursor } : {}) } });
      for (const c of page.conversations || []) {
        const conv = toConversation(c, this.convs.get(String(c.conversationId)));
        conv.held = conv.lastSeq;
        this.convs.set(conv.id, conv);
      }
      cursor = page.nextCursor || '';
    } while (cursor);
    for (const c of this.convs.values()) ops.push({ store: 'conversations', put: c });
    for (const o of keepOutbox) ops.push({ store: 'outbox', put: o });
    this.pts = P;
    ops.push({ store: 'meta', key: 'pts', put: P });
    await this.db.put(ops);
    this.changed();
  }

  async feedLoop() {
    if (this.feedRunning) return this.feedRunning;
    this.feedRunning = (async () => {
      for (;;) {
        const d = await this.request({ getDifference: { pts: String(this.pts) } });
        if (d.tooLong) {
          this.pts = undefined;
          await this.rebuild();
          continue;
        }
        const ops = [];
        for (const u of d.updates || []) await this.applyUpdate(u, ops, true);
        this.pts = Math.max(this.pts, Number(d.pts || 0));
        ops.push({ store: 'meta', key: 'pts', put: this.pts });
        await this.db.put(ops);
        this.changed();
        if (!d.more) break;
      }
      this.feedAhead = this.feedAhead.filter((u) => Number(u.pts) > this.pts);
    })();
    try {
      await this.feedRunning;
    } finally {
      this.feedRunning = null;
    }
    const ahead = this.feedAhead.splice(0).sort((a, b) => Number(a.pts) - Number(b.pts));
    for (const u of ahead) await this.liveUpdate(u);
  }

  async groupLoop(only) {
    let list = only
      ? [this.convs.get(only)].filter(Boolean)
      : [...this.convs.values()].filter((c) => c.type === 'group' && (!c.left || c.held < c.end));
    while (list.length) {
      const more = [];
      for (let i = 0; i < list.length; i += 2000) {
        const part = list.slice(i, i + 2000);
        const r = await this.request({
          syncGroups: { conversationIds: part.map((c) => c.id), seqs: part.map((c) => String(c.held)) },
        });
        const ops = [];
        for (const id of r.notFound || []) {
          this.convs.delete(String(id));
          ops.push({ store: 'conversations', del: String(id) });
        }
        for (const m of r.messages || []) {
          const c = this.convs.get(String(m.conversationId));
          if (c && Number(m.seq) > c.held) this.storeEntry(c, m, ops);
        }
        for (const g of r.groups || []) {
          const c = this.convs.get(String(g.conversationId));
          if (!c) continue;
          c.held = Math.max(c.held, Number(g.syncedSeq || 0));
          c.lastSeq = Math.max(c.lastSeq, Number(g.lastSeq || 0));
          if (g.left) {
            c.left = true;
            c.end = Number(g.lastSeq || 0);
          }
          ops.push({ store: 'conversations', put: c });
          if (c.held < Number(g.lastSeq || 0)) more.push(c);
        }
        await this.db.put(ops);
        this.changed();
      }
      list = more;
    }
    for (const cid of only ? [only] : [...this.groupAhead.keys()]) await this.drainGroup(cid);
  }

  // ---- live updates ----

  event(e) {
    if (e.update) {
      if (this.syncing) this.live.push(e.update);
      else this.liveUpdate(e.update);
    } else if (e.profileUpdated) {
      this.rememberProfiles([e.profileUpdated.profile]);
    } else if (e.sessionAdded || e.sessionRevoked) {
      this.emit('sessions');
    } else if (e.typing) {
      if (this.typing.receive(e.typing)) this.changed();
    } else if (e.presenceChanged) {
      if (this.presence.receive(e.presenceChanged)) this.changed();
    }
  }

  async liveUpdate(u) {
    const pts = Number(u.pts || 0);
    if (!pts) return this.groupEntry(u.message);
    if (this.feedRunning) {
      // get_difference is running: its answer may stop short of this update (computed before it
      // was written) and is applied after it, so applying this now would let older updates
      // overwrite it (a chat state set twice in a row ended as the first one). Held, applied after.
      this.feedAhead.push(u);
      return;
    }
    if (pts <= this.pts) return;
    if (pts > this.pts + 1) {
      // Maybe a gap: positions may skip numbers, so wait a little, then ask the feed.
      this.feedAhead.push(u);
      if (!this.feedGapTimer) {
        this.feedGapTimer = setTimeout(() => {
          this.feedGapTimer = null;
          this.feedLoop().catch(() => {});
        }, GAP_WAIT_MS);
      }
      return;
    }
    const ops = [];
    await this.applyUpdate(u, ops, false);
    this.pts = pts;
    ops.push({ store: 'meta', key: 'pts', put: pts });
    await this.db.put(ops);
    this.changed();
    this.scheduleAck();
  }

  scheduleAck() {
    clearTimeout(this.ackTimer);
    this.ackTimer = setTimeout(() => this.request({ ack: { pts: String(this.pts) } }).catch(() => {}), 2000);
  }

  /** Applies one feed update, adding its writes to ops. */
  async applyUpdate(u, ops, fromDifference) {
    if (u.message) {
      const m = u.message;
      const cid = String(m.conversationId);
      let c = this.convs.get(cid);
      if (!c) c = await this.fetchConversation(cid, ops);
      if (!c) return;
      if (c.type === 'group') return this.groupEntry(m, ops, fromDifference);
      if (Number(m.seq) > c.held || !this.entries(cid).has(Number(m.seq))) this.storeEntry(c, m, ops);
      c.held = Math.max(c.held, Number(m.seq));
      ops.push({ store: 'conversations', put: c });
    } else if (u.readMarker) {
      const r = u.readMarker;
      const c = this.convs.get(String(r.conversationId));
      if (!c) return;
      takeCount(c, Number(r.readSeq || 0), Number(r.unreadCount || 0), Number(r.lastSeq || 0), this.entries(c.id), this.me);
      c.unreadMentions = Number(r.unreadMentions || 0);
      ops.push({ store: 'conversations', put: c });
    } else if (u.readReceipt) {
      const r = u.readReceipt;
      const c = this.convs.get(String(r.conversationId));
      if (!c) return;
      c.peerReadSeq = Math.max(c.peerReadSeq || 0, Number(r.readSeq || 0));
      noteMemberRead(c, String(r.userId || '0'), Number(r.readSeq || 0));
      ops.push({ store: 'conversations', put: c });
    } else if (u.chatState) {
      const c = this.convs.get(String(u.chatState.conversationId));
      if (c && applyChatState(c, u.chatState.state, Number(u.pts || 0))) ops.push({ store: 'conversations', put: c });
    } else if (u.friendRequest || u.friend || u.block) {
      this.refreshRelations();
    }
  }

  /** The group rule (§9) for one entry of a group. */
  async groupEntry(m, ops, fromDifference) {
    const cid = String(m.conversationId);
    const seq = Number(m.seq);
    const own = !ops;
    ops = ops || [];
    let c = this.convs.get(cid);
    if (!c) {
      this.bufferGroup(cid, m);
      c = await this.fetchConversation(cid, ops);
      if (own) await this.db.put(ops);
      if (c) await this.drainGroup(cid);
      return;
    }
    if (seq <= c.held) return;
    if (seq === c.held + 1) {
      this.storeEntry(c, m, ops);
      c.held = seq;
      ops.push({ store: 'conversations', put: c });
      if (own) {
        await this.db.put(ops);
        this.changed();
        await this.drainGroup(cid);
      }
      return;
    }
    this.bufferGroup(cid, m);
    if (fromDifference) return; // the group loop that follows the feed loop fills the gap
    if (!this.gapTimers.has(cid)) {
      this.gapTimers.set(
        cid,
        setTimeout(() => {
          this.gapTimers.delete(cid);
          this.groupLoop(cid).catch(() => {});
        }, GAP_WAIT_MS),
      );
    }
  }

  bufferGroup(cid, m) {
    let b = this.groupAhead.get(cid);
    if (!b) this.groupAhead.set(cid, (b = []));
    b.push(m);
  }

  async drainGroup(cid) {
    const b = this.groupAhead.get(cid);
    const c = this.convs.get(cid);
    if (!b || !c) return;
    b.sort((x, y) => Number(x.seq) - Number(y.seq));
    const ops = [];
    while (b.length && Number(b[0].seq) <= c.held + 1) {
      const m = b.shift();
      if (Number(m.seq) === c.held + 1) {
        this.storeEntry(c, m, ops);
        c.held = Number(m.seq);
      }
    }
    if (!b.length) this.groupAhead.delete(cid);
    ops.push({ store: 'conversations', put: c });
    await this.db.put(ops);
    this.changed();
  }

  async fetchConversation(cid, ops) {
    try {
      const r = await this.request({ getConversation: { conversationId: cid } });
      const c = toConversation(r.conversation, this.convs.get(cid));
      // A group learnt of now starts at the entry that added us (§9, "a group you do not know yet").
      c.held = c.type === 'group' ? Math.max(0, Number(r.conversation.firstVisibleSeq || 1) - 1) : c.lastSeq;
      c.members = (r.members || []).map((m) => ({ userId: String(m.userId), role: m.role || 'ROLE_MEMBER', readSeq: Number(m.readSeq || 0) }));
      this.convs.set(cid, c);
      ops.push({ store: 'conversations', put: c });
      this.fetchMissingProfiles();
      return c;
    } catch (e) {
      if (e.reason === 'NOT_FOUND') return null;
      throw e;
    }
  }

  /** Stores one entry of a conversation and applies what it says (recall, edit, membership). */
  storeEntry(c, raw, ops) {
    const entries = this.entries(c.id);
    const m = applyEntry(c, raw, entries, this.me);
    if (!m) return;
    entries.set(m.seq, m);
    ops.push({ store: 'messages', put: m });
    for (const changed of m.touched || []) ops.push({ store: 'messages', put: entries.get(changed) });
    delete m.touched;
    this.typing.heard(c.id, m.senderId);
    const o = m.clientMsgId && this.outbox.get(m.clientMsgId);
    if (o && m.senderId === this.me) {
      this.outbox.delete(m.clientMsgId);
      ops.push({ store: 'outbox', del: m.clientMsgId });
    }
  }

  // ---- operations used by the UI ----

  /** Sends a text: into the outbox first (shown as "sending"), then to the server. */
  async sendText(target, text, extra = {}) {
    const o = {
      clientMsgId: crypto.randomUUID(),
      cid: target.cid || null,
      userId: target.userId || null,
      text,
      createdAt: Date.now(),
      ...extra, // replyToSeq, mentions (§10.8); content and fileName for an image or file (ui/attach.js)
    };
    this.outbox.set(o.clientMsgId, o);
    await this.db.put([{ store: 'outbox', put: o }]);
    this.changed();
    this.trySend(o);
  }

  async trySend(o) {
    const to = o.cid ? { conversationId: o.cid } : { userId: o.userId };
    try {
      const extra = { ...(o.replyToSeq ? { replyToSeq: String(o.replyToSeq) } : {}), ...(o.mentions?.length ? { mentions: o.mentions } : {}) };
      const content = o.content || { text: { text: o.text } };
      const r = await this.request({ sendMessage: { ...to, clientMsgId: o.clientMsgId, ...content, ...extra } });
      const cur = this.outbox.get(o.clientMsgId);
      if (cur) {
        // Answered: the entry itself arrives as an update; until then it shows as sent.
        cur.cid = String(r.conversationId);
        cur.seq = Number(r.seq);
        cur.sentAtMs = Number(r.sentAtMs);
        await this.db.put([{ store: 'outbox', put: cur }]);
        if (!this.convs.has(cur.cid)) {
          const ops = [];
          await this.fetchConversation(cur.cid, ops);
          await this.db.put(ops);
        }
        this.changed();
      }
    } catch (e) {
      if (e.reason === 'DISCONNECTED' || e.reason === 'TIMEOUT' || e.reason === 'UNAVAILABLE' || e.reason === 'TOO_MANY_IN_FLIGHT') return; // resent after the next sync
      const cur = this.outbox.get(o.clientMsgId);
      if (cur) {
        cur.failed = e.reason;
        await this.db.put([{ store: 'outbox', put: cur }]);
        this.changed();
      }
    }
  }

  resendOutbox() {
    for (const o of this.outbox.values()) if (!o.failed && !o.seq) this.trySend(o);
  }

  async discard(clientMsgId) {
    this.outbox.delete(clientMsgId);
    await this.db.put([{ store: 'outbox', del: clientMsgId }]);
    this.changed();
  }

  /** Loads older entries of a conversation; resolves to false when there are none. */
  async loadOlder(cid) {
    const c = this.convs.get(cid);
    if (!c || c.historyDone) return false;
    const have = [...this.entries(cid).keys()];
    const before = have.length ? Math.min(...have) : 0;
    if (before === 1) {
      c.historyDone = true;
      return false;
    }
    const r = await this.request({ getHistory: { conversationId: cid, ...(before ? { beforeSeq: String(before) } : {}), limit: 50 } });
    const ops = [];
    const entries = this.entries(cid);
    for (const raw of (r.messages || []).slice().reverse()) {
      if (entries.has(Number(raw.seq))) continue;
      // History never moves the held seq; it only fills in what the device shows (§9).
      const m = applyEntry(c, raw, entries, this.me, true);
      if (m) {
        entries.set(m.seq, m);
        ops.push({ store: 'messages', put: m });
        for (const s of m.touched || []) ops.push({ store: 'messages', put: entries.get(s) });
        delete m.touched;
      }
    }
    if (!r.more) c.historyDone = true;
    ops.push({ store: 'conversations', put: c });
    await this.db.put(ops);
    this.fetchMissingProfiles();
    this.changed();
    return !!r.more;
  }

  async markRead(cid) {
    const c = this.convs.get(cid);
    // A chat marked unread is read again even with nothing new: that clears the mark (§19.4).
    if (!c || (c.lastSeq <= (c.readSeq || 0) && !isMarkedUnread(c)) || this.status !== 'online') return;
    const seq = c.lastSeq;
    if (this.markingRead === `${cid}:${seq}`) return;
    this.markingRead = `${cid}:${seq}`;
    try {
      await this.request({ markRead: { conversationId: cid, seq: String(seq) } });
    } finally {
      this.markingRead = null;
    }
  }

  /**
   * A chat list action (§18–19: mute, pin, archive, unread mark). Its answer is not applied: the
   * new state reaches every device, this one too, as a chat_state update of the feed, applied in
   * pts order (chatstate.js); reading the feed right after the answer shows it at once.
   */
  async changeChatState(op) {
    await this.request(op);
    await this.feedLoop().catch(() => {}); // done; the live update or the next sync shows it
  }

  /** Asks for the presence of users on screen (§21.3); presence_changed keeps it current. */
  async askPresence(userIds) {
    const ids = [...new Set(userIds)].filter((id) => id && id !== '0' && id !== this.me).slice(0, 100);
    if (!ids.length || this.status !== 'online') return;
    const r = await this.request({ getPresence: { userIds: ids } });
    let changed = false;
    for (const p of r.presences || []) changed = this.presence.receive(p) || changed;
    if (changed) this.changed();
  }

  recall(cid, seq) {
    return this.request({ recallMessage: { conversationId: cid, seq: String(seq) } });
  }

  // ---- relations and profiles ----

  async refreshRelations() {
    try {
      const [req, fr, bl] = await Promise.all([
        this.request({ listFriendRequests: {} }),
        this.request({ listFriends: {} }),
        this.request({ listBlocked: {} }),
      ]);
      this.relations = {
        incoming: (req.incoming || []).map((r) => ({ ...r, fromUserId: String(r.fromUserId) })),
        outgoing: (req.outgoing || []).map((r) => ({ ...r, toUserId: String(r.toUserId) })),
        friends: (fr.friends || []).map((f) => String(f.userId)),
        blocked: (bl.userIds || []).map(String),
      };
      this.fetchMissingProfiles();
      this.changed();
    } catch {
      // offline: refreshed after the next sync
    }
  }

  name(userId) {
    return this.profiles.get(userId)?.displayName || '';
  }

  async rememberProfiles(list) {
    const ops = [];
    for (const p of list || []) {
      const v = { userId: String(p.userId), displayName: p.displayName || '', username: p.username || '', avatarFileId: p.avatarFileId || '' };
      this.profiles.set(v.userId, v);
      ops.push({ store: 'profiles', put: v });
    }
    await this.db.put(ops);
    this.changed();
  }

  /**
   * Reads the profiles of the users the device shows (and of `extra`) and does not know yet; all of
   * them with `again` (after each sync: others' profile changes, such as a new avatar, reach nobody
   * by event).
   */
  async fetchMissingProfiles(again = false, extra = []) {
    const ids = new Set([this.me, ...extra]);
    for (const c of this.convs.values()) {
      if (c.peerUserId) ids.add(c.peerUserId);
      for (const m of c.members || []) ids.add(m.userId);
    }
    for (const entries of this.msgs.values()) for (const m of entries.values()) ids.add(m.senderId);
    for (const r of this.relations.incoming) ids.add(r.fromUserId);
    for (const r of this.relations.outgoing) ids.add(r.toUserId);
    for (const f of this.relations.friends) ids.add(f);
    for (const b of this.relations.blocked) ids.add(b);
    const missing = [...ids].filter((id) => id && id !== '0' && (again || (!this.profiles.has(id) && !this.asked?.has(id))));
    if (!missing.length || this.status !== 'online') return;
    this.asked = this.asked || new Set();
    missing.forEach((id) => this.asked.add(id));
    for (let i = 0; i < missing.length; i += 100) {
      try {
        const r = await this.request({ getProfiles: { userIds: missing.slice(i, i + 100) } });
        await this.rememberProfiles(r.profiles);
      } catch {
        missing.slice(i, i + 100).forEach((id) => this.asked.delete(id));
      }
    }
  }

  async loadMembers(cid) {
    const ops = [];
    const c = await this.fetchConversationKeepHeld(cid, ops);
    await this.db.put(ops);
    this.changed();
    return c;
  }

  /** Re-reads a known conversation (members, roles) without moving where its log is followed. */
  async fetchConversationKeepHeld(cid, ops) {
    const held = this.convs.get(cid)?.held;
    const c = await this.fetchConversation(cid, ops);
    if (c && held !== undefined) c.held = held;
    return c;
  }
}


