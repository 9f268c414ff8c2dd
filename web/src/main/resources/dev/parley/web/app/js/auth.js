// The HTTP account API (protocol §5) and the tokens. Tokens live in IndexedDB ('meta'/'account'),
// shared by every tab of this browser profile: the tabs are one device and one session. A refresh
// token is single-use, so refreshing runs under a Web Lock: a tab that waited for the lock re-reads
// the stored tokens and uses the ones another tab just obtained instead of spending the old token
// a second time (which would end the session after the 5 s grace, §5.4).
export class ApiError extends Error {
  constructor(error, status) {
    super(error.message || error.reason || `HTTP ${status}`);
    this.reason = error.reason || 'UNKNOWN';
    this.code = error.code || status;
    this.retryAfterMs = error.retryAfterMs || 0;
    this.field = error.field || '';
  }
}

async function post(path, body) {
  let r;
  try {
    r = await fetch(`/api/v1/auth/${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
  } catch (e) {
    throw new ApiError({ reason: 'UNAVAILABLE', message: String(e) }, 0);
  }
  const json = await r.json().catch(() => ({}));
  if (!r.ok) throw new ApiError(json, r.status);
  return json;
}

/** A stable id for this browser profile (§5: generate once and keep it). */
export function deviceId() {
  let id = localStorage.getItem('parley.device');
  if (!id) {
    id = 'web-' + crypto.randomUUID().replaceAll('-', '').slice(0, 20);
    localStorage.setItem('parley.device', id);
  }
  return id;
}

function device() {
  const ua = navigator.userAgent;
  const browser = /Firefox\//.test(ua) ? 'Firefox' : /Edg\//.test(ua) ? 'Edge' : /Chrom/.test(ua) ? 'Chrome' : /Safari\//.test(ua) ? 'Safari' : 'Browser';
  const os = /Android/.test(ua) ? 'Android' : /iPhone|iPad/.test(ua) ? 'iOS' : /Mac OS/.test(ua) ? 'macOS' : /Windows/.test(ua) ? 'Windows' : /Linux/.test(ua) ? 'Linux' : '';
  return { deviceId: deviceId(), platform: 'PLATFORM_WEB', name: os ? `${browser} on ${os}` : browser };
}

export const requestCode = (email) => post('code', { identifier: { email } });

export const register = (email, code, displayName, password) =>
  post('register', { identifier: { email }, code, displayName, ...(password ? { password } : {}), device: device() });

export const loginWithPassword = (email, password) =>
  post('login', { identifier: { email }, password, device: device() });

export const loginWithCode = (email, code) => post('login', { identifier: { email }, code, device: device() });

/** Tokens of this device, refreshed through the lock described above. */
export class Tokens {
  constructor(db) {
    this.db = db;
  }

  async current() {
    return this.db.get('meta', 'account');
  }

  async store(tokens) {
    await this.db.put([{ store: 'meta', key: 'account', put: tokens }]);
  }

  /** An access token that is not about to expire, refreshing if needed; null: sign in again. */
  async accessToken(force = false) {
    const now = Date.now();
    const fresh = (a) => a && !force && Number(a.accessTokenExpiresAtMs) - now > 60_000;
    const before = await this.current();
    if (!before) return null;
    if (fresh(before)) return before.accessToken;
    const run = async () => {
      const a = await this.current();
      if (!a) return null;
      // Another tab refreshed while this one waited for the lock.
      if (a.refreshToken !== before.refreshToken) return a.accessToken;
      if (fresh(a)) return a.accessToken;
      try {
        const next = await post('refresh', { refreshToken: a.refreshToken });
        await this.store(next);
        return next.accessToken;
      } catch (e) {
        if (e.reason === 'INVALID_REFRESH_TOKEN' || e.reason === 'REFRESH_TOKEN_REUSED') return null;
        throw e;
      }
    };
    return navigator.locks ? navigator.locks.request('parley-refresh', run) : run();
  }
}
