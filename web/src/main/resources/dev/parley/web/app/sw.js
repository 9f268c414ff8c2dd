// The service worker: shows the Web Push notifications of protocol §14 ("Browsers (Web Push)").
// Served as /sw.js (the scope of a worker is the directory of its URL, so it must sit at the root)
// and registered as a module by js/push.js. It holds no state and never talks to the server: a push
// is a hint, and the app syncs when it opens.
//
// - A visible push ({title, body, tag, data}) shows a notification; the tag (c:<conversation>)
//   makes a newer one replace the older one of the same chat.
// - A silent push (no title: a read or a recall on another device) withdraws what it covers: for
//   kind `read`, the chat's notifications up to `seq`; for `recall`, the one showing `seq`.
// - `badge` sets the app badge where the browser has one.
// - A click focuses a window of the app (which opens the chat) or opens one at /#chat=<id>.

/** Handles one push payload (event.data.json()); resolves when the notifications are updated. */
export async function onPush(payload, registration, nav = globalThis.navigator) {
  if (!payload) return;
  const data = payload.data || {};
  const tag = payload.tag || (data.conversation_id ? `c:${data.conversation_id}` : undefined);
  if (typeof payload.badge === 'number' && nav?.setAppBadge) {
    await (payload.badge > 0 ? nav.setAppBadge(payload.badge) : nav.clearAppBadge()).catch(() => {});
  }
  if (payload.title) {
    await registration.showNotification(payload.title, { body: payload.body || '', tag, data, silent: payload.sound === false });
    return;
  }
  if (!tag) return;
  const seq = Number(data.seq || 0);
  for (const n of await registration.getNotifications({ tag })) {
    const shown = Number(n.data?.seq || 0);
    if ((data.kind === 'read' && shown <= seq) || (data.kind === 'recall' && shown === seq)) n.close();
  }
}

/** A click on a notification: to the app's window, or a new one, at the notification's chat. */
export async function onNotificationClick(notification, clients) {
  notification.close();
  const cid = notification.data?.conversation_id;
  const windows = await clients.matchAll({ type: 'window', includeUncontrolled: true });
  if (windows.length) {
    const w = await windows[0].focus();
    if (cid) (w || windows[0]).postMessage({ openChat: String(cid) });
    return;
  }
  await clients.openWindow(cid ? `/#chat=${cid}` : '/');
}

if (typeof ServiceWorkerGlobalScope !== 'undefined' && self instanceof ServiceWorkerGlobalScope) {
  self.addEventListener('install', () => self.skipWaiting());
  self.addEventListener('activate', (e) => e.waitUntil(self.clients.claim()));
  self.addEventListener('push', (e) => e.waitUntil(onPush(e.data ? e.data.json() : null, self.registration)));
  self.addEventListener('notificationclick', (e) => e.waitUntil(onNotificationClick(e.notification, self.clients)));
}
