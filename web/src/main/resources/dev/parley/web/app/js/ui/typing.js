// "Bob is typing…" in the head of an open chat, from the client's TypingBoard (§20). The board
// keeps expiry times; this re-renders when the next one runs out, so a lost CANCEL still ends it.
import { t } from '../i18n.js';
import { who } from './common.js';

export function typingText(view, c) {
  const board = view.client.typing;
  const list = board.typing(c.id);
  clearTimeout(view.typingTimer);
  const next = board.nextExpiry();
  if (next !== null) view.typingTimer = setTimeout(() => view.render(), next + 50);
  if (!list.length) return '';
  const names = list.map((x) => who(view.client, x.userId));
  if (list.length === 1) {
    const a = list[0].action;
    return t(a === 'UPLOADING_PHOTO' ? 'uploadingPhoto' : a === 'UPLOADING_FILE' ? 'uploadingFile' : 'typingOne', names[0]);
  }
  return list.length === 2 ? t('typingTwo', names[0], names[1]) : t('typingMany');
}
