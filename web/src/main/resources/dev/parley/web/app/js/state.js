// Pure functions over the device's records: turning wire objects into stored ones, applying an
// entry of a conversation's log, and the unread rule of protocol §9 ("Unread counts on the
// device"): a conversation keeps its count and the seq c it goes up to; a count from the server
// replaces it, and entries applied above c adjust it. Replies, mentions, reactions, pins and
// forwards are messaging.js's.
import { extraFields, applyExtras } from './messaging.js';
import { mediaFields } from './media.js';

const USER_KINDS = ['text', 'image', 'file'];

export function toConversation(c, prev) {
  const lastSeq = Number(c.lastSeq || 0);
  return {
    id: String(c.conversationId),
    type: c.type === 'CONVERSATION_TYPE_GROUP' ? 'group' : 'direct',
    title: c.title || '',
    peerUserId: c.peerUserId ? String(c.peerUserId) : '',
    lastSeq: Math.max(lastSeq, prev?.lastSeq || 0),
    lastMessage: c.lastMessage ? toEntry(c.lastMessage) : prev?.lastMessage || null,
    readSeq: Math.max(Number(c.readSeq || 0), prev?.readSeq || 0),
    unread: Number(c.unreadCount || 0),
    c: lastSeq,
    peerReadSeq: Math.max(Number(c.peerReadSeq || 0), prev?.peerReadSeq || 0),
    memberCount: Number(c.memberCount || 0),
    role: c.role || '',
    lastActivityMs: Number(c.lastActivityMs || 0),
    left: !!c.left,
    end: Number(c.lastVisibleSeq || 0),
    disbanded: !!c.disbanded,
    unreadMentions: Number(c.unreadMentions || 0),
    // A known conversation's chat state changes only by the feed (chatstate.js, applyChatState).
    chatState: prev ? prev.chatState || {} : c.chatState || {},
    chatStatePts: prev?.chatStatePts || 0,
    held: prev?.held ?? 0,
    members: prev?.members,
    pins: prev?.pins,
    historyDone: prev?.historyDone || false,
  };
}

export function toEntry(m) {
  const kind = ['text', 'image', 'file', 'service', 'recall', 'edit', 'reaction', 'pin'].find((k) => m[k]) || 'empty';
  return {
    cid: String(m.conversationId),
    seq: Number(m.seq),
    messageId: String(m.messageId || ''),
    senderId: String(m.senderId || '0'),
    clientMsgId: m.clientMsgId || '',
    sentAtMs: Number(m.sentAtMs || 0),
    kind,
    text: m.text?.text ?? m.image?.caption ?? m.file?.caption ?? m.edit?.text ?? '',
    fileName: m.file?.name || '',
    service: m.service
      ? { action: m.service.action, actorId: String(m.service.actorId || '0'), userIds: (m.service.userIds || []).map(String), title: m.service.title || '' }
      : null,
    targetSeq: Number(m.recall?.targetSeq || m.edit?.targetSeq || m.reaction?.targetSeq || m.pin?.targetSeq || 0),
    recalled: !!m.recalled,
    edited: !!m.editedAtMs,
    mentions: (m.mentions || []).map((x) => String(x.userId || '0')),
    ...extraFields(m),
    ...mediaFields(m),
  };
}

export function countsAsUnread(m, me, readSeq) {
  return USER_KINDS.includes(m.kind) && !m.recalled && m.senderId !== me && m.seq > readSeq;
}

function mentionsMe(m, me) {
  return !!m.mentions?.some((u) => u === me || u === '0');
}

export function displayable(m) {
  return USER_KINDS.includes(m.kind) || m.kind === 'service';
}

/**
 * Applies one entry of c's log to c and to the entries held; returns the stored form, with
 * `touched` listing the seqs of other entries it changed. fromHistory: an older entry loaded for
 * display, which moves no count (it is at or below c already).
 */
export function applyEntry(c, raw, entries, me, fromHistory = false) {
  const m = toEntry(raw);
  m.touched = [];
  const above = !fromHistory && m.seq > c.c;
  if (m.kind === 'recall' || m.kind === 'edit') {
    const target = entries.get(m.targetSeq);
    if (target && !target.recalled) {
      if (m.kind === 'recall') {
        if (above && countsAsUnread(target, me, c.readSeq) && target.seq <= c.c) {
          c.unread = Math.max(0, c.unread - 1);
          if (mentionsMe(target, me)) c.unreadMentions = Math.max(0, c.unreadMentions - 1);
        }
        target.recalled = true;
        target.text = '';
      } else if (!m.recalled) {
        target.text = m.text;
        target.edited = true;
      }
      m.touched.push(target.seq);
    }
    if (c.lastMessage && c.lastMessage.seq === m.targetSeq) {
      if (m.kind === 'recall') c.lastMessage = { ...c.lastMessage, recalled: true, text: '' };
      else if (!m.recalled) c.lastMessage = { ...c.lastMessage, text: m.text, edited: true };
    }
  }
  applyExtras(c, m, entries, me, fromHistory);
  if (m.kind === 'service') applyService(c, m, me);
  if (!fromHistory) {
    c.lastSeq = Math.max(c.lastSeq, m.seq);
    if (displayable(m) && (!c.lastMessage || m.seq >= c.lastMessage.seq)) {
      c.lastMessage = { ...m, touched: undefined };
      c.lastActivityMs = Math.max(c.lastActivityMs, m.sentAtMs);
    }
  }
  // Reactions and pins do not move the reader's marker (§10.10, §10.11); messages do.
  if (m.senderId === me && m.kind !== 'service' && m.kind !== 'reaction' && m.kind !== 'pin') c.readSeq = Math.max(c.readSeq, m.seq);
  if (above) {
    if (m.senderId === me && USER_KINDS.includes(m.kind)) c.unread = c.unreadMentions = 0;
    else if (countsAsUnread(m, me, c.readSeq)) {
      c.unread++;
      if (mentionsMe(m, me)) c.unreadMentions++; // as the server counts them (§10.8)
    }
    c.c = m.seq;
  }
  return m;
}

function applyService(c, m, me) {
  const s = m.service;
  const namesMe = s.actorId === me || s.userIds.includes(me);
  switch (s.action) {
    case 'GROUP_CREATED':
      if (s.title) c.title = s.title;
    // fall through
    case 'MEMBERS_ADDED':
      if (namesMe) {
        c.left = false;
        c.end = 0;
      }
      c.members = undefined; // re-read on demand
      break;
    case 'TITLE_CHANGED':
      c.title = s.title;
      break;
    case 'MEMBER_REMOVED':
    case 'MEMBER_LEFT':
    case 'GROUP_DISBANDED':
      if ((s.action === 'MEMBER_REMOVED' && s.userIds[0] === me) || (s.action === 'MEMBER_LEFT' && s.actorId === me) || s.action === 'GROUP_DISBANDED') {
        c.left = true;
        c.end = m.seq;
        if (s.action === 'GROUP_DISBANDED') c.disbanded = true;
      }
      c.members = undefined;
      break;
    default:
      c.members = undefined;
  }
}

/** A count from the server (conversation or read_marker), unless older than the one held. */
export function takeCount(c, readSeq, unread, lastSeq, entries, me) {
  if (readSeq < c.readSeq || (readSeq === c.readSeq && lastSeq && lastSeq < c.c)) return;
  c.readSeq = readSeq;
  c.unread = unread;
  c.c = lastSeq || c.held;
  for (const e of entries.values()) {
    if (e.seq > c.c) {
      if (countsAsUnread(e, me, readSeq)) c.unread++;
      c.c = Math.max(c.c, e.seq);
    }
  }
}
