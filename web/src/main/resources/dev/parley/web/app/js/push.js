// Web Push opt-in (protocol §7.12 and §14, "Browsers"): the settings' switch asks the browser's
// permission, registers the service worker (/sw.js), subscribes with the server's VAPID public key
// (GET /api/v1/push/web-push-key, §5.5) and gives the subscription to the server with
// register_push_target. Turning it off, or signing out, drops the subscription (the server drops
// its target with the session anyway). The subscription is the state: the browser keeps it.

const KEY_PATH = '/api/v1/push/web-push-key';
const SCOPE = '/';

export class PushError extends Error {
  constructor(reason) {
    super(reason);
    this.reason = reason;
  }
}

export function pushSupported() {
  return 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window;
}

async function subscription() {
  const reg = await navigator.serviceWorker.getRegistration(SCOPE);
  return (await reg?.pushManager.getSubscription()) || null;
}

/** 'unsupported', 'denied' (the browser blocks notifications for the site), 'on' or 'off'. */
export async function pushState() {
  if (!pushSupported()) return 'unsupported';
  if (Notification.permission === 'denied') return 'denied';
  return (await subscription()) ? 'on' : 'off';
}

/** Turns notifications on for this device; throws a PushError ('unavailable', 'denied'). */
export async function enablePush(client) {
  const r = await fetch(KEY_PATH);
  if (r.status === 404) throw new PushError('unavailable');
  if (!r.ok) throw new PushError(`HTTP ${r.status}`);
  const { publicKey } = await r.json();
  if ((await Notification.requestPermission()) !== 'granted') throw new PushError('denied');
  await navigator.serviceWorker.register('/sw.js', { type: 'module', scope: SCOPE });
  const reg = await navigator.serviceWorker.ready;
  let sub = await reg.pushManager.getSubscription();
  // A subscription is bound to the key it was made with: one made with older keys is useless.
  if (sub && !sameKey(sub.options?.applicationServerKey, publicKey)) {
    await sub.unsubscribe();
    sub = null;
  }
  sub ||= await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: fromBase64Url(publicKey) });
  await register(client, sub);
}

/** Turns them off: the server's target first (it is this session's), then the subscription. */
export async function disablePush(client) {
  await client.request({ unregisterPushTarget: {} });
  await (await subscription())?.unsubscribe();
}

/** On sign-out: the session and its target are gone already; the subscription goes too. */
export async function dropSubscription() {
  if (pushSupported()) await (await subscription().catch(() => null))?.unsubscribe().catch(() => {});
}

/** After connecting: gives the server the current subscription again (the browser may renew it). */
export async function renewPush(client) {
  if (!pushSupported() || Notification.permission !== 'granted') return;
  const sub = await subscription();
  if (sub) await register(client, sub);
}

/** Opens the chat a notification was clicked for: a message from the worker, or /#chat=<id>. */
export function followNotificationClicks(open) {
  navigator.serviceWorker?.addEventListener('message', (e) => {
    if (e.data?.openChat) open({ cid: String(e.data.openChat) });
  });
  const m = /^#chat=(\d+)$/.exec(location.hash);
  if (m) {
    history.replaceState(null, '', '/');
    open({ cid: m[1] });
  }
}

function register(client, sub) {
  const { endpoint, keys } = sub.toJSON();
  return client.request({ registerPushTarget: { target: { webPush: { endpoint, p256dh: keys.p256dh, auth: keys.auth } } } });
}

export function fromBase64Url(s) {
  const b = atob(s.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (s.length % 4)) % 4));
  return Uint8Array.from(b, (ch) => ch.charCodeAt(0));
}

function sameKey(buffer, publicKey) {
  if (!buffer) return true; // not told: keep it
  const a = new Uint8Array(buffer);
  const b = fromBase64Url(publicKey);
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
