// "online" / "last seen …" in a one-to-one chat's head (protocol §21): asked with get_presence
// when the chat opens and after every reconnect (events are not replayed), then kept current by
// presence_changed (sync.js).
import { t, language } from '../i18n.js';
import { presenceText } from '../presence.js';

/** The peer's presence as {text, state} ('online', 'offline' or '' when unknown); '' in groups. */
export function presenceLine(view, c) {
  const client = view.client;
  if (!c || c.type !== 'direct' || !c.peerUserId) return { text: '', state: '' };
  if (client.status === 'online' && view.presenceAsked !== client.syncs) {
    view.presenceAsked = client.syncs;
    client.askPresence([c.peerUserId]).catch(() => (view.presenceAsked = undefined));
  }
  const p = client.presence.get(c.peerUserId);
  const text = presenceText(p, Date.now(), language());
  return { text: text ? t(text.key, text.arg) : '', state: !p ? '' : p.online ? 'online' : 'offline' };
}
