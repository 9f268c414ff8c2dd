// One file going up (protocol §17): hash it, create_upload, PUT the bytes to the presigned URLs
// exactly as given (method, URL and every signed header) with XMLHttpRequest, whose upload progress
// events drive the bar, then complete_upload. The states and where a retry resumes are files.js's
// nextState; this class only performs them. A resumed upload asks get_upload_parts what the store
// holds and PUTs only the rest. Uploads live in memory: a reload forgets one not yet completed (its
// bytes are deleted by the server after 24 h).
import { nextState, partRanges, Progress, mimeTypeOf, safeName } from './files.js';
import { hashBlob, Sha256, toBase64 } from './sha256.js';

const COMPLETE_TRIES = 60; // UNAVAILABLE answers (busy image workers, a long verification)

export class UploadError extends Error {
  constructor(reason, message) {
    super(message || reason);
    this.reason = reason;
  }
}

export class Upload extends EventTarget {
  /** request: the connection's request(op) → Promise of the answer. */
  constructor(request, file, name = file.name) {
    super();
    this.request = request;
    this.file = file;
    this.id = crypto.randomUUID();
    this.name = safeName(name);
    this.mimeType = mimeTypeOf(file);
    this.s = { state: 'hashing', uploadId: '', reason: '' };
    this.progress = new Progress(file.size);
    this.xhrs = new Set();
    this.info = null; // the FileInfo once completed
  }

  get state() {
    return this.s.state;
  }

  get reason() {
    return this.s.reason;
  }

  get retryable() {
    return this.s.state === 'failed' && this.s.retryable;
  }

  /** Runs from the current state to 'done' (resolves with the FileInfo) or stops at failed/cancelled (null). */
  async run() {
    const token = (this.token = {});
    try {
      if (this.state === 'hashing') {
        this.sha256Hex = this.sha256Hex || (await hashBlob(this.file));
        this.step({ type: 'hashed' }, token);
      }
      if (this.state === 'creating') {
        const r = await this.request({ createUpload: { size: String(this.file.size), mimeType: this.mimeType, sha256Hex: this.sha256Hex, name: this.name } });
        this.plan = r;
        this.step({ type: 'created', uploadId: r.uploadId }, token);
        if (r.dedup && (await this.proveDedup(r.dedup, token))) return this.info;
      }
      if (this.state === 'uploading') {
        await this.sendParts(token);
        this.step({ type: 'uploaded' }, token);
      }
      if (this.state === 'completing') {
        this.info = await this.complete(undefined, token);
        this.step({ type: 'completed' }, token);
      }
    } catch (e) {
      if (token === this.token) this.step({ type: 'error', reason: e.reason || 'UPLOAD_FAILED' }, token);
    }
    return this.state === 'done' ? this.info : null;
  }

  retry() {
    this.step({ type: 'retry' }, this.token);
    return this.run();
  }

  cancel() {
    this.step({ type: 'cancel' }, this.token);
    this.token = null;
    for (const x of this.xhrs) x.abort();
  }

  step(event, token) {
    if (token !== this.token) throw new UploadError('CANCELLED');
    const before = this.s.state;
    this.s = nextState(this.s, event);
    if (this.s.state !== before) this.dispatchEvent(new Event('change'));
  }

  /** The server holds this content already: prove it instead of sending it (§17.1). */
  async proveDedup(d, token) {
    const start = Number(d.offset);
    const bytes = new Uint8Array(await this.file.slice(start, start + Number(d.length)).arrayBuffer());
    const nonce = Uint8Array.from(atob(d.nonce), (c) => c.charCodeAt(0));
    const proof = toBase64(new Sha256().update(nonce).update(bytes).digest());
    try {
      this.info = await this.complete(proof, token);
    } catch (e) {
      if (e.reason === 'DEDUP_PROOF_INVALID') return false; // send the bytes after all
      throw e;
    }
    this.step({ type: 'uploaded' }, token);
    this.step({ type: 'completed' }, token);
    return true;
  }

  /** PUTs every part the store does not hold yet, two at a time. */
  async sendParts(token) {
    const ranges = partRanges(this.file.size, this.plan);
    let todo;
    if (this.plan.single && !this.resumed) {
      todo = [{ ...ranges[0], put: this.plan.single.put }];
    } else {
      const r = await this.request({ getUploadParts: { uploadId: this.s.uploadId } });
      for (const p of r.stored || []) this.progress.set(Number(p.partNumber || 0), Number(p.size));
      const urls = new Map((r.missing || []).map((m) => [Number(m.partNumber || 0), m.put]));
      todo = ranges.filter((p) => urls.has(p.partNumber)).map((p) => ({ ...p, put: urls.get(p.partNumber) }));
    }
    this.resumed = true; // a retry asks get_upload_parts: the single URL may have expired
    this.dispatchEvent(new Event('progress'));
    const queue = todo.slice();
    const worker = async () => {
      for (let p; (p = queue.shift()); ) await this.put(p, token);
    };
    await Promise.all([worker(), worker()]);
  }

  put(part, token) {
    return new Promise((resolve, reject) => {
      if (token !== this.token) return reject(new UploadError('CANCELLED'));
      const x = new XMLHttpRequest();
      this.xhrs.add(x);
      x.open(part.put.method || 'PUT', part.put.url);
      // Every listed header is signed; a slice has no type, so the browser adds no Content-Type of its own.
      for (const [k, v] of Object.entries(part.put.headers || {})) x.setRequestHeader(k, v);
      x.upload.onprogress = (e) => {
        this.progress.set(part.partNumber, e.loaded);
        this.dispatchEvent(new Event('progress'));
      };
      x.onload = () => {
        this.xhrs.delete(x);
        if (x.status >= 200 && x.status < 300) {
          this.progress.set(part.partNumber, part.end - part.start);
          this.dispatchEvent(new Event('progress'));
          resolve();
        } else reject(new UploadError('UPLOAD_FAILED', `HTTP ${x.status}`));
      };
      x.onerror = x.onabort = () => {
        this.xhrs.delete(x);
        reject(new UploadError('UPLOAD_FAILED'));
      };
      x.send(this.file.slice(part.start, part.end));
    });
  }

  /** complete_upload, asked again while the server answers UNAVAILABLE (still verifying, §17.3). */
  async complete(proof, token) {
    for (let i = 0; ; i++) {
      try {
        const r = await this.request({ completeUpload: { uploadId: this.s.uploadId, ...(proof ? { proof } : {}) } });
        return r.file;
      } catch (e) {
        if (e.reason !== 'UNAVAILABLE' || i >= COMPLETE_TRIES || token !== this.token) throw e;
        await new Promise((r) => setTimeout(r, Math.max(500, e.retryAfterMs || 2000)));
      }
    }
  }
}
