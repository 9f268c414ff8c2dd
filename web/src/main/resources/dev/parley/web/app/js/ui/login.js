// Sign-in: password, e-mail code, or a new account (protocol §5). Calls onSignedIn(tokens).
import { h, clear } from '../dom.js';
import { t } from '../i18n.js';
import * as auth from '../auth.js';
import { languageSwitch } from './common.js';

export function showLogin(root, onSignedIn) {
  let mode = 'password';
  const email = h('input', { id: 'email', type: 'email', autocomplete: 'username', required: true });
  const password = h('input', { id: 'password', type: 'password', autocomplete: 'current-password' });
  const code = h('input', { id: 'code', inputmode: 'numeric', autocomplete: 'one-time-code', maxlength: 6 });
  const name = h('input', { id: 'display-name', autocomplete: 'name', maxlength: 64 });
  const status = h('p', { class: 'status', role: 'status' });
  const form = h('form', { class: 'login-form', onsubmit: submit });

  function field(label, input) {
    return h('label', { class: 'field' }, h('span', {}, label), input);
  }

  function say(text, error = false) {
    status.textContent = text;
    status.classList.toggle('error', error);
  }

  async function sendCode() {
    if (!email.reportValidity()) return;
    try {
      await auth.requestCode(email.value.trim());
      say(t('codeSent', email.value.trim()));
      code.focus();
    } catch (e) {
      say(t('errorPrefix', e.reason), true);
    }
  }

  async function submit(ev) {
    ev.preventDefault();
    const addr = email.value.trim();
    try {
      let tokens;
      if (mode === 'password') tokens = await auth.loginWithPassword(addr, password.value);
      else if (mode === 'code') tokens = await auth.loginWithCode(addr, code.value.trim());
      else tokens = await auth.register(addr, code.value.trim(), name.value.trim(), password.value);
      await onSignedIn(tokens);
    } catch (e) {
      say(t('errorPrefix', e.reason), true);
    }
  }

  function render() {
    clear(form);
    const tabs = h(
      'div',
      { class: 'tabs', role: 'tablist' },
      ['password', 'code', 'register'].map((m) =>
        h(
          'button',
          { type: 'button', role: 'tab', 'aria-selected': String(m === mode), id: `mode-${m}`, onclick: () => { mode = m; render(); } },
          t(m === 'password' ? 'usePassword' : m === 'code' ? 'useCode' : 'newAccount'),
        ),
      ),
    );
    const codeRow = h('div', { class: 'row' }, field(t('code'), code), h('button', { type: 'button', id: 'send-code', onclick: sendCode }, t('sendCode')));
    password.autocomplete = mode === 'register' ? 'new-password' : 'current-password';
    form.append(
      tabs,
      field(t('email'), email),
      mode === 'register' ? field(t('displayName'), name) : null,
      mode !== 'password' ? codeRow : null,
      mode !== 'code' ? field(mode === 'register' ? t('passwordOptional') : t('password'), password) : null,
      h('button', { type: 'submit', class: 'primary', id: 'submit' }, t(mode === 'password' ? 'login' : mode === 'code' ? 'loginWithCode' : 'register')),
      status,
    );
  }

  render();
  clear(root).append(
    h('main', { class: 'login' }, h('h1', {}, t('appName')), form, languageSwitch(() => showLogin(root, onSignedIn))),
  );
  email.focus();
}
