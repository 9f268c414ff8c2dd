// Settings: profile (display name), language, sessions with remote logout, logging out here.
import { h, fmtTime } from '../dom.js';
import { t } from '../i18n.js';
import { languageSwitch } from './common.js';
import { pushSettings } from './pushsettings.js';
import { avatarSettings } from './avatar.js';

export function renderSettings(client, ui) {
  const me = client.profiles.get(client.me);
  const name = h('input', { id: 'profile-name', maxlength: 64, value: me?.displayName || '', 'aria-label': t('displayName') });
  const status = h('p', { class: 'status', role: 'status' }, ui.settingsStatus || '');
  const sessions = h('ul', { class: 'sessions', id: 'sessions' });
  const loadSessions = async () => {
    try {
      const r = await client.request({ listSessions: {} });
      sessions.replaceChildren(
        ...(r.sessions || []).map((s) =>
          h('li', { 'data-session-id': s.sessionId, 'data-push': s.pushService || null },
            h('span', {}, s.deviceName || s.deviceId, s.current ? ` (${t('thisDevice')})` : '', s.pushService ? ` · 🔔 ${t('pushService')}` : '', h('small', {}, ` ${s.ip || ''} · ${t('lastSeen', fmtTime(s.lastSeenAtMs))}`)),
            s.current ? null : h('button', { type: 'button', class: 'revoke', onclick: () => client.request({ revokeSession: { sessionId: s.sessionId } }).then(loadSessions, () => {}) }, t('logoutDevice'))),
        ),
      );
    } catch {
      // offline
    }
  };
  loadSessions();
  return h(
    'div',
    { class: 'settings' },
    h('h3', {}, t('profile')),
    avatarSettings(client, ui),
    h(
      'form',
      {
        class: 'row',
        onsubmit: async (e) => {
          e.preventDefault();
          try {
            const r = await client.request({ updateProfile: { displayName: name.value.trim() } });
            await client.rememberProfiles([r.profile]);
            ui.settingsStatus = t('saved');
          } catch (err) {
            ui.settingsStatus = t('errorPrefix', err.reason);
          }
          ui.render(true);
        },
      },
      name,
      h('button', { type: 'submit', id: 'save-profile' }, t('save')),
    ),
    status,
    languageSwitch(() => ui.render(true)),
    pushSettings(client, ui),
    h('h3', {}, t('sessions')),
    sessions,
    h('button', { type: 'button', id: 'logout', class: 'danger', onclick: () => client.request({ logout: {} }).catch(() => ui.signOut()) }, t('logout')),
  );
}
