// Images and files inside messages. An image shows its blurred preview (a data: URL, §17) at once,
// at the size its dimensions give, and the thumbnail over it when get_download_url has answered and
// the picture loaded; a click opens the largest thumbnail in a full-window view with a link to the
// original. A file is a row with its name, size and a download button, which asks for a fresh
// presigned GET (they live 5 minutes) and lets the browser download it (Content-Disposition:
// attachment). URLs are cached until shortly before they expire, so re-rendering a chat reuses them
// (the browser keeps the pictures of a URL it already loaded).
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { chooseVariant, fitSize, formatSize, UrlCache } from '../files.js';

const MAX_W = 280;
const MAX_H = 320;
const urls = new UrlCache();
const asking = new Map();

/** A presigned GET of fileId (variant '' = the original), cached until shortly before it expires. */
export function downloadUrl(client, fileId, variant = '') {
  const key = `${fileId}/${variant}`;
  const known = urls.get(key);
  if (known) return Promise.resolve(known);
  if (!asking.has(key)) {
    const p = client
      .request({ getDownloadUrl: { fileId, ...(variant ? { variant } : {}) } })
      .then((r) => {
        urls.put(key, r.get.url, r.get.expiresAtMs);
        return r.get.url;
      })
      .finally(() => asking.delete(key));
    asking.set(key, p);
  }
  return asking.get(key);
}

/** Sets img.src to the URL of fileId's variant once known; the image shows when it has loaded. */
export function loadInto(client, img, fileId, variant) {
  const known = urls.get(`${fileId}/${variant}`);
  const show = (url) => {
    img.addEventListener('load', () => img.classList.add('loaded'), { once: true });
    img.src = url;
    if (img.complete && img.naturalWidth) img.classList.add('loaded');
  };
  if (known) return show(known);
  downloadUrl(client, fileId, variant).then(show, () => img.classList.add('failed'));
}

/** The media part of message m (null for a text, or a recalled message). */
export function mediaBlock(view, m) {
  if (!m.media || m.recalled) return null;
  return m.kind === 'image' ? imageBlock(view, m) : fileRow(view, m);
}

function imageBlock(view, m) {
  const md = m.media;
  const size = fitSize(md.width, md.height, MAX_W, MAX_H);
  const box = h('button', {
    type: 'button',
    class: 'media-image',
    'data-file-id': md.fileId,
    'aria-label': t('openImage'),
    onclick: () => openViewer(view, md),
  });
  // Sizes through the CSSOM, which the CSP allows (style-src 'self' forbids style attributes).
  box.style.width = `${size.width}px`;
  box.style.height = `${size.height}px`;
  if (md.preview) box.append(h('img', { class: 'preview', alt: '', src: `data:image/jpeg;base64,${md.preview}` }));
  const variant = chooseVariant(md.thumbnails, Math.max(size.width, size.height) * (window.devicePixelRatio || 1));
  if (variant) {
    const img = h('img', { class: 'thumb', alt: m.text || t('image'), 'data-variant': variant });
    loadInto(view.client, img, md.fileId, variant);
    box.append(img);
  } else if (!md.preview) {
    box.append(h('span', { class: 'media-note' }, md.note || t('image')));
  }
  return box;
}

function fileRow(view, m) {
  const md = m.media;
  return h(
    'div',
    { class: 'media-file', 'data-file-id': md.fileId },
    h('span', { class: 'file-icon', 'aria-hidden': 'true' }, '📄'),
    h('span', { class: 'file-text' }, h('span', { class: 'file-name' }, md.name || t('file')), h('span', { class: 'file-size' }, formatSize(md.size))),
    h('button', { type: 'button', class: 'download', onclick: () => download(view, md.fileId) }, t('download')),
  );
}

/** Downloads the original: a fresh presigned GET, followed by the browser as a download. */
export async function download(view, fileId) {
  try {
    const url = await downloadUrl(view.client, fileId, '');
    const a = h('a', { href: url, rel: 'noopener', hidden: true });
    document.body.append(a);
    a.click();
    a.remove();
  } catch (e) {
    view.fail(e);
  }
}

/** The full-window view of an image: its largest thumbnail, and the original to download. */
function openViewer(view, md) {
  const close = () => {
    overlay.remove();
    document.removeEventListener('keydown', onKey, true);
  };
  const onKey = (e) => {
    if (e.key !== 'Escape') return;
    e.stopPropagation();
    close();
  };
  const img = h('img', { class: 'viewer-image', alt: t('image') });
  const big = chooseVariant(md.thumbnails, 100000);
  if (big) loadInto(view.client, img, md.fileId, big);
  else if (md.preview) img.src = `data:image/jpeg;base64,${md.preview}`;
  const overlay = h(
    'div',
    { class: 'viewer', role: 'dialog', 'aria-modal': 'true', 'aria-label': t('image'), onclick: (e) => e.target === overlay && close() },
    img,
    h('div', { class: 'viewer-actions' },
      h('button', { type: 'button', class: 'download', onclick: () => download(view, md.fileId) }, t('downloadOriginal')),
      h('button', { type: 'button', class: 'viewer-close', onclick: close }, t('close'))),
  );
  document.addEventListener('keydown', onKey, true);
  document.body.append(overlay);
  overlay.querySelector('.viewer-close').focus();
}
