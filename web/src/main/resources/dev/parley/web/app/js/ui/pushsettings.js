// The settings' "Notifications" switch (Web Push on this device, push.js) and what it says: on,
// off, blocked by the browser, not possible in this browser, or not offered by the server.
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { pushState, enablePush, disablePush } from '../push.js';

const TEXT = { on: 'pushOn', off: 'pushOff', denied: 'pushDenied', unsupported: 'pushUnsupported', unavailable: 'pushUnavailable' };

export function pushSettings(client, ui) {
  const status = h('p', { class: 'status', id: 'push-status', role: 'status' });
  const toggle = h('input', { type: 'checkbox', id: 'push-toggle', disabled: true });
  const show = (state, error) => {
    toggle.checked = state === 'on';
    toggle.disabled = state === 'unsupported' || state === 'denied';
    status.dataset.state = state;
    status.textContent = error ? t('errorPrefix', error) : t(TEXT[state]);
  };
  toggle.addEventListener('change', async () => {
    const on = toggle.checked;
    toggle.disabled = true;
    try {
      await (on ? enablePush(client) : disablePush(client));
      show(await pushState());
      ui.render(true); // the sessions list shows which sessions are notified
    } catch (e) {
      if (TEXT[e.reason]) show(e.reason);
      else show(await pushState().catch(() => 'unsupported'), e.reason || e.message);
    }
  });
  pushState().then(show, () => show('unsupported'));
  return [h('h3', {}, t('notifications')), h('label', { class: 'row push-row' }, toggle, h('span', {}, t('pushEnable'))), status];
}
