// The pure rules of files, images and avatars (protocol §17): the states an upload goes through,
// its progress over several parts, which thumbnail to fetch, sizes as people read them. No DOM and
// no network (upload.js and ui/media.js do those), so Node tests the very file the browser runs.

/**
 * An upload's states. hashing → creating → uploading → completing → done; any of them → failed
 * (retry goes back to where it can resume) or cancelled. 'done' means the file exists and its message
 * is in the outbox.
 */
export const STATES = ['hashing', 'creating', 'uploading', 'completing', 'done', 'failed', 'cancelled'];

// Refusals that no retry changes: the server will answer them again for this file.
const FINAL = new Set(['FILE_TOO_LARGE', 'FILE_TYPE_NOT_ALLOWED', 'IMAGE_REJECTED', 'INVALID_ARGUMENT', 'NOT_FRIENDS', 'BLOCKED', 'CONVERSATION_CLOSED']);
// Refusals of this upload only: a retry starts a new one (the bytes of this one are gone).
const RESTART = new Set(['TYPE_MISMATCH', 'HASH_MISMATCH', 'SIZE_MISMATCH', 'UPLOAD_EXPIRED', 'NOT_FOUND']);

/**
 * The next state of an upload {state, uploadId, reason, retryable, resumeAt} after event:
 * {type: 'hashed' | 'created' (uploadId) | 'uploaded' | 'completed' | 'error' (reason) | 'cancel' | 'retry'}.
 * An event that does not fit the current state leaves it unchanged (a late answer after a cancel).
 */
export function nextState(s, e) {
  const at = (state, extra = {}) => ({ ...s, state, reason: '', ...extra });
  if (s.state === 'cancelled' || s.state === 'done') return s;
  switch (e.type) {
    case 'cancel':
      return at('cancelled');
    case 'hashed':
      return s.state === 'hashing' ? at('creating') : s;
    case 'created':
      return s.state === 'creating' ? at('uploading', { uploadId: e.uploadId }) : s;
    case 'uploaded':
      return s.state === 'uploading' ? at('completing') : s;
    case 'completed':
      return s.state === 'completing' ? at('done') : s;
    case 'error': {
      if (s.state === 'failed') return s;
      const restart = RESTART.has(e.reason);
      // Where a retry resumes: an upload the store still holds goes on (get_upload_parts says what is
      // missing); a refused one starts again from create_upload with the same hash.
      const resumeAt = !s.uploadId || restart ? (s.state === 'hashing' ? 'hashing' : 'creating') : s.state === 'completing' ? 'completing' : 'uploading';
      return { ...s, state: 'failed', reason: e.reason, retryable: !FINAL.has(e.reason), resumeAt, uploadId: restart ? '' : s.uploadId };
    }
    case 'retry':
      return s.state === 'failed' && s.retryable ? at(s.resumeAt) : s;
    default:
      return s;
  }
}

/** Parts of a multipart plan: [{partNumber, start, end}] (end exclusive); a single PUT is part 0. */
export function partRanges(size, plan) {
  if (!plan.multipart) return [{ partNumber: 0, start: 0, end: size }];
  const partSize = Number(plan.multipart.partSize);
  const count = Number(plan.multipart.partCount);
  return Array.from({ length: count }, (_, i) => ({ partNumber: i + 1, start: i * partSize, end: Math.min(size, (i + 1) * partSize) }));
}

/** Bytes sent over all parts: parts the store already holds count whole, the others as far as sent. */
export class Progress {
  constructor(total) {
    this.total = total;
    this.parts = new Map();
  }

  set(partNumber, bytes) {
    this.parts.set(partNumber, bytes);
  }

  get sent() {
    let n = 0;
    for (const b of this.parts.values()) n += b;
    return Math.min(n, this.total);
  }

  /** 0..1; an empty file counts as sent. */
  get fraction() {
    return this.total ? this.sent / this.total : 1;
  }
}

/** A size as people read it: 1024-based, one decimal under 10. */
export function formatSize(bytes) {
  const n = Number(bytes) || 0;
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  if (i === 0) return `${n} B`;
  return `${v < 10 ? (Math.floor(v * 10) / 10).toFixed(1) : Math.floor(v)} ${units[i]}`;
}

/**
 * The thumbnail to fetch to show an image `px` device pixels across at most: the smallest listed
 * slot that covers it, else the largest listed (§17.4); '' when there are none (show the preview).
 */
export function chooseVariant(thumbnails, px) {
  const list = (thumbnails || []).slice().sort((a, b) => Math.max(a.width, a.height) - Math.max(b.width, b.height));
  if (!list.length) return '';
  return (list.find((t) => Math.max(t.width, t.height) >= px) || list[list.length - 1]).variant;
}

/** width × height fitted into maxW × maxH, never enlarged; unknown dimensions get a square. */
export function fitSize(width, height, maxW, maxH) {
  if (!width || !height) return { width: Math.min(maxW, maxH), height: Math.min(maxW, maxH) };
  const k = Math.min(1, maxW / width, maxH / height);
  return { width: Math.max(1, Math.round(width * k)), height: Math.max(1, Math.round(height * k)) };
}

/** The MIME type to declare: the browser's, when it is a plain type/subtype, else one that claims nothing. */
export function mimeTypeOf(file) {
  const t = (file.type || '').toLowerCase();
  return /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/.test(t) ? t : 'application/octet-stream';
}

/** Whether a completed file goes as an image message (one the server could read as an image). */
export function sendsAsImage(info) {
  return (info.mimeType || '').startsWith('image/') && !!info.media && info.media !== 'NOT_MEDIA';
}

/** A name the server accepts (§17.1): 1–255 characters, no path separators, controls or bidi overrides. */
export function safeName(name) {
  const cleaned = [...(name || '')]
    .filter((ch) => !/[\\/\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069]/.test(ch))
    .join('')
    .trim();
  return [...(cleaned || 'file')].slice(0, 255).join('');
}

/** A cache of presigned download URLs, each used until shortly before it expires. */
export class UrlCache {
  constructor(now = () => Date.now(), marginMs = 30_000) {
    this.now = now;
    this.margin = marginMs;
    this.urls = new Map();
  }

  get(key) {
    const u = this.urls.get(key);
    if (u && u.expiresAtMs - this.margin > this.now()) return u.url;
    this.urls.delete(key);
    return null;
  }

  put(key, url, expiresAtMs) {
    this.urls.set(key, { url, expiresAtMs: Number(expiresAtMs) });
  }
}

/** Up to two initials of a name: the first letters of its first two words. */
export function initials(name) {
  const words = (name || '').trim().split(/\s+/).filter(Boolean);
  return (words.slice(0, 2).map((w) => [...w][0]).join('') || '?').toUpperCase();
}
