// One WebSocket speaking the JSON subprotocol (protocol §6): requests matched to responses by
// requestId, events handed to the listener, a ping every 30 s (no answer in 10 s: the connection
// is dead), and reconnection with exponential back-off and jitter (§6.8) until stop().
const PING_MS = 30_000;
const PING_TIMEOUT_MS = 10_000;
const REQUEST_TIMEOUT_MS = 20_000;

export class RequestError extends Error {
  constructor(error) {
    super(error.message || error.reason);
    this.reason = error.reason || 'UNKNOWN';
    this.code = error.code || 0;
    this.retryAfterMs = error.retryAfterMs || 0;
    this.field = error.field || ''; // the request field at fault, for INVALID_ARGUMENT (§4)
  }
}

/**
 * @param tokens  the Tokens of this device
 * @param handlers {onOpen(authResult), onEvent(event), onStatus('connecting'|'online'),
 *                  onSignedOut(reason)}
 */
export class Connection {
  constructor(tokens, handlers) {
    this.tokens = tokens;
    this.handlers = handlers;
    this.nextId = 1;
    this.pending = new Map();
    this.attempt = 0;
    this.stopped = false;
    this.ws = null;
    this.ready = false;
    this.timer = null;
    // The closing handshake cannot finish while the network is down (the browser may wait for it
    // for many seconds), so the connection counts as closed at once; its late close event is ignored.
    this.onOffline = () => {
      const ws = this.ws;
      if (!ws) return;
      ws.close(4999, 'offline');
      this.closed(ws, 4999);
    };
    this.onOnline = () => this.reconnectNow();
    addEventListener('offline', this.onOffline);
    addEventListener('online', this.onOnline);
  }

  start() {
    this.connect();
  }

  stop() {
    this.stopped = true;
    removeEventListener('offline', this.onOffline);
    removeEventListener('online', this.onOnline);
    clearTimeout(this.timer);
    clearInterval(this.pinger);
    if (this.ws) this.ws.close(1000);
  }

  reconnectNow() {
    if (this.stopped || (this.ws && this.ws.readyState <= 1)) return;
    clearTimeout(this.timer);
    this.attempt = 0;
    this.connect();
  }

  async connect() {
    if (this.stopped) return;
    this.handlers.onStatus('connecting');
    let token;
    try {
      token = await this.tokens.accessToken(this.attempt > 0 && this.lastAuthFailed);
    } catch {
      return this.retry();
    }
    if (token === null) return this.handlers.onSignedOut('expired');
    const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
    const ws = new WebSocket(url, 'parley.v2.json');
    this.ws = ws;
    this.ready = false;
    ws.onopen = async () => {
      try {
        const auth = await this.send({ authenticate: { accessToken: token } }, true);
        this.lastAuthFailed = false;
        this.ready = true;
        this.upSince = Date.now();
        this.handlers.onStatus('online');
        this.pinger = setInterval(() => this.ping(), PING_MS);
        this.handlers.onOpen(auth);
      } catch (e) {
        this.lastAuthFailed = e.reason === 'UNAUTHENTICATED';
      }
    };
    ws.onmessage = (m) => this.receive(m.data);
    ws.onclose = (c) => this.closed(ws, c.code);
  }

  closed(ws, code) {
    if (ws !== this.ws) return;
    clearInterval(this.pinger);
    this.ready = false;
    this.ws = null;
    for (const p of this.pending.values()) p.reject(new RequestError({ reason: 'DISCONNECTED' }));
    this.pending.clear();
    if (code === 1000 || code === 4002) return this.handlers.onSignedOut(code === 4002 ? 'revoked' : 'logout');
    if (code === 4001) this.lastAuthFailed = true;
    if (this.upSince && Date.now() - this.upSince > 60_000) this.attempt = 0;
    this.retry();
  }

  retry() {
    if (this.stopped) return;
    this.handlers.onStatus('connecting');
    if (!navigator.onLine) return; // the 'online' event reconnects
    const delay = Math.random() * Math.min(30_000, 500 * 2 ** this.attempt);
    this.attempt++;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.connect(), delay);
  }

  async ping() {
    const ws = this.ws;
    const timeout = setTimeout(() => ws && ws === this.ws && ws.close(4998, 'ping timeout'), PING_TIMEOUT_MS);
    try {
      await this.send({ ping: {} });
    } catch {
      // closed meanwhile: the close handler reconnects
    } finally {
      clearTimeout(timeout);
    }
  }

  receive(data) {
    let frame;
    try {
      frame = JSON.parse(data);
    } catch {
      return;
    }
    if (frame.event) return this.handlers.onEvent(frame.event);
    const r = frame.response;
    if (!r) return;
    const p = this.pending.get(r.requestId || 0);
    if (!p) return;
    this.pending.delete(r.requestId || 0);
    clearTimeout(p.timeout);
    if (r.error) {
      if (r.error.reason === 'TOO_MANY_IN_FLIGHT' || r.error.reason === 'UNAVAILABLE') p.transient = true;
      p.reject(new RequestError(r.error));
    } else {
      const key = Object.keys(r).find((k) => k !== 'requestId' && k !== 'error');
      p.resolve(key ? r[key] : {});
    }
  }

  /** Sends one operation, e.g. {getState: {}}, and resolves with its result. */
  send(op, beforeReady = false) {
    return new Promise((resolve, reject) => {
      const ws = this.ws;
      if (!ws || ws.readyState !== 1 || (!this.ready && !beforeReady)) {
        return reject(new RequestError({ reason: 'DISCONNECTED' }));
      }
      const requestId = this.nextId++;
      if (this.nextId > 2 ** 31) this.nextId = 1;
      const timeout = setTimeout(() => {
        this.pending.delete(requestId);
        reject(new RequestError({ reason: 'TIMEOUT' }));
      }, REQUEST_TIMEOUT_MS);
      this.pending.set(requestId, { resolve, reject, timeout });
      ws.send(JSON.stringify({ requestId, ...op }));
    });
  }
}
