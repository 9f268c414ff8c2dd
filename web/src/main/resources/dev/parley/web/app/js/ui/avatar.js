// Avatars: a user's picture (the "320" thumbnail of Profile.avatar_file_id, §7.8) over their
// initials, which show while it loads, when there is none, and for groups. And the profile's
// picture controls: upload one (an image the server makes thumbnails of), replace it, remove it.
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { loadInto } from './media.js';
import { Upload, UploadError } from '../upload.js';
import { reasonText } from './attach.js';
import { initials } from '../files.js';

const VARIANT = '320'; // what §7.8 suggests for lists of contacts

/** The round avatar of a user (with their picture if they have one) or of a titled thing. */
export function avatar(client, { userId = '', name = '', size = '' } = {}) {
  const el = h('span', { class: 'avatar' + (size ? ' ' + size : ''), 'aria-hidden': 'true', 'data-user-id': userId || null }, h('span', { class: 'initials' }, initials(name)));
  const fileId = userId ? client.profiles.get(userId)?.avatarFileId : '';
  if (fileId) {
    const img = h('img', { class: 'avatar-img', alt: '', 'data-file-id': fileId });
    loadInto(client, img, fileId, VARIANT);
    el.append(img);
  }
  return el;
}

/** The profile's picture with "change" and "remove"; ui.render(true) shows the outcome. */
export function avatarSettings(client, ui) {
  const me = client.profiles.get(client.me);
  const status = h('p', { class: 'status', id: 'avatar-status', role: 'status' }, ui.avatarStatus || '');
  const set = async (avatarFileId) => {
    const r = await client.request({ updateProfile: { avatarFileId } });
    await client.rememberProfiles([r.profile]);
  };
  const choose = async (file) => {
    if (!file) return;
    ui.avatarStatus = t('uploadingAvatar');
    status.textContent = ui.avatarStatus;
    try {
      const upload = new Upload((op) => client.request(op), file);
      const info = await upload.run();
      if (!info) throw new UploadError(upload.reason);
      if (!info.thumbnails?.length) throw new UploadError('IMAGE_REJECTED'); // not an image the server reads
      await set(info.fileId);
      ui.avatarStatus = t('saved');
    } catch (e) {
      ui.avatarStatus = reasonText(e.reason || 'UPLOAD_FAILED');
    }
    ui.render(true);
  };
  const input = h('input', { type: 'file', id: 'avatar-input', accept: 'image/jpeg,image/png,image/gif,image/webp', hidden: true, onchange: () => choose(input.files[0]) });
  return h(
    'div',
    { class: 'avatar-settings' },
    avatar(client, { userId: client.me, name: me?.displayName || '', size: 'large' }),
    h('div', { class: 'actions' },
      input,
      h('button', { type: 'button', id: 'avatar-change', onclick: () => input.click() }, t(me?.avatarFileId ? 'changeAvatar' : 'setAvatar')),
      me?.avatarFileId
        ? h('button', { type: 'button', id: 'avatar-remove', onclick: () => set('').then(() => (ui.avatarStatus = t('saved')), (e) => (ui.avatarStatus = reasonText(e.reason))).then(() => ui.render(true)) }, t('removeAvatar'))
        : null),
    status,
  );
}
