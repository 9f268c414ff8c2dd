// Sending images and files: the attach button of the composer, files dropped on a chat or pasted
// into the composer, and the rows of uploads in progress (name, progress bar, cancel; on failure the
// reason and, when it can help, retry). The text in the composer when a file is attached becomes its
// caption. Once an upload is complete its message goes into the outbox like a text (sync.js), so
// sending survives a lost connection; an image the server could read goes as an image, anything
// else as a file (§17.5 step 6).
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { Upload } from '../upload.js';
import { formatSize, sendsAsImage } from '../files.js';

// Reasons with words of their own; any other shows as "Error: REASON".
const REASONS = {
  FILE_TOO_LARGE: 'fileTooLarge',
  FILE_TYPE_NOT_ALLOWED: 'fileTypeRefused',
  IMAGE_REJECTED: 'imageRejected',
  UPLOAD_FAILED: 'uploadFailed',
  DISCONNECTED: 'uploadFailed',
  TIMEOUT: 'uploadFailed',
};

export function reasonText(reason) {
  return REASONS[reason] ? t(REASONS[reason]) : t('errorPrefix', reason);
}

/** The uploads of one client, per chat target; kept in memory while the page lives. */
class Attachments {
  constructor(client) {
    this.client = client;
    this.items = new Map(); // upload id -> {upload, target, caption}
  }

  add(target, file, caption) {
    const upload = new Upload((op) => this.client.request(op), file);
    const item = { upload, target, caption };
    this.items.set(upload.id, item);
    upload.addEventListener('change', () => this.client.changed());
    upload.addEventListener('progress', () => showProgress(upload));
    if (target.cid) {
      const action = (file.type || '').startsWith('image/') ? 'UPLOADING_PHOTO' : 'UPLOADING_FILE';
      this.client.request({ setTyping: { conversationId: target.cid, action } }).catch(() => {});
    }
    this.client.changed();
    this.finish(item, upload.run());
  }

  async finish(item, running) {
    const info = await running;
    if (!info) return; // failed (shown with retry) or cancelled
    this.items.delete(item.upload.id);
    const content = sendsAsImage(info)
      ? { image: { fileId: info.fileId, caption: item.caption } }
      : { file: { fileId: info.fileId, name: item.upload.name, caption: item.caption } };
    await this.client.sendText(item.target, item.caption, { content, fileName: item.upload.name });
  }

  retry(id) {
    const item = this.items.get(id);
    if (item) this.finish(item, item.upload.retry());
  }

  remove(id) {
    const item = this.items.get(id);
    if (!item) return;
    item.upload.cancel();
    this.items.delete(id);
    this.client.changed();
  }

  /** The uploads shown in a chat: c its conversation (null for a direct chat not started), target the view's. */
  forChat(c, target) {
    const peer = c?.type === 'direct' ? c.peerUserId : target.userId;
    return [...this.items.values()].filter((i) => (c && i.target.cid === c.id) || (i.target.userId && i.target.userId === peer));
  }
}

export function attachmentsOf(client) {
  if (!client.attachments) client.attachments = new Attachments(client);
  return client.attachments;
}

/** The composer's attach button with its hidden file input. send(files) takes the chosen files. */
export function attachButton(send) {
  const input = h('input', { type: 'file', id: 'attach-input', multiple: true, hidden: true, onchange: () => { send([...input.files]); input.value = ''; } });
  const button = h('button', { type: 'button', id: 'attach', class: 'attach', title: t('attach'), 'aria-label': t('attach'), onclick: () => input.click() }, '📎');
  return [input, button];
}

/** Files dropped anywhere on el, and pasted into input, go to send(files). */
export function acceptDropsAndPastes(el, input, send) {
  el.addEventListener('dragover', (e) => {
    if (![...(e.dataTransfer?.types || [])].includes('Files')) return;
    e.preventDefault();
    el.classList.add('dropping');
  });
  el.addEventListener('dragleave', (e) => {
    if (e.target === el) el.classList.remove('dropping');
  });
  el.addEventListener('drop', (e) => {
    el.classList.remove('dropping');
    const files = [...(e.dataTransfer?.files || [])];
    if (!files.length) return;
    e.preventDefault();
    send(files);
  });
  input.addEventListener('paste', (e) => {
    const files = [...(e.clipboardData?.files || [])];
    if (!files.length) return;
    e.preventDefault();
    send(files);
  });
}

/** The row of an upload in the chat: what, how far, and what can be done. */
export function uploadRow(client, item) {
  const u = item.upload;
  const failed = u.state === 'failed';
  const bar = h('progress', { class: 'upload-bar', max: 1, value: u.progress.fraction, 'aria-label': t('uploading', u.name) });
  const attachments = attachmentsOf(client);
  return h(
    'li',
    { class: 'msg mine pending upload', 'data-upload-id': u.id, 'data-state': u.state },
    h(
      'div',
      { class: 'bubble' },
      h('span', { class: 'upload-name' }, u.name, h('small', {}, ' · ' + formatSize(u.file.size))),
      failed ? h('span', { class: 'upload-error', role: 'alert' }, reasonText(u.reason)) : bar,
      h('span', { class: 'upload-status' }, failed ? '' : stateText(u)),
      item.caption ? h('span', { class: 'text' }, item.caption) : null,
    ),
    h(
      'span',
      { class: 'upload-actions' },
      failed && u.retryable ? h('button', { type: 'button', class: 'upload-retry', onclick: () => attachments.retry(u.id) }, t('retry')) : null,
      h('button', { type: 'button', class: 'upload-cancel', onclick: () => attachments.remove(u.id) }, failed ? t('close') : t('cancel')),
    ),
  );
}

function stateText(u) {
  if (u.state === 'uploading') return `${formatSize(u.progress.sent)} / ${formatSize(u.file.size)}`;
  return t(u.state === 'hashing' ? 'preparing' : u.state === 'completing' ? 'checking' : 'uploadStarting');
}

/** Progress events touch only the bar and its text: re-rendering the chat for each would be wasteful. */
function showProgress(u) {
  for (const row of document.querySelectorAll(`[data-upload-id="${u.id}"]`)) {
    const bar = row.querySelector('.upload-bar');
    if (bar) bar.value = u.progress.fraction;
    const status = row.querySelector('.upload-status');
    if (status) status.textContent = stateText(u);
  }
}
