// Unit tests of the web client's file rules and SHA-256 (run by WebLogicIT with `node --test`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import {
  nextState, partRanges, Progress, formatSize, chooseVariant, fitSize, mimeTypeOf, sendsAsImage, safeName, UrlCache, initials,
} from '../../main/resources/dev/parley/web/app/js/files.js';
import { Sha256, toHex, toBase64, hashBlob } from '../../main/resources/dev/parley/web/app/js/sha256.js';
import { toEntry } from '../../main/resources/dev/parley/web/app/js/state.js';

const nodeSha = (buf) => createHash('sha256').update(buf).digest('hex');

test('SHA-256 matches Node at block edges and however the input is cut', () => {
  for (const n of [0, 1, 55, 56, 63, 64, 65, 119, 120, 128, 1000, 70_001]) {
    const data = randomBytes(n);
    assert.equal(toHex(new Sha256().update(data).digest()), nodeSha(data), `length ${n}`);
    const s = new Sha256();
    for (let at = 0; at < n; at += 7 + (at % 61)) s.update(data.subarray(at, Math.min(n, at + 7 + (at % 61))));
    assert.equal(toHex(s.digest()), nodeSha(data), `length ${n} in pieces`);
  }
  assert.equal(toHex(new Sha256().update(new TextEncoder().encode('abc')).digest()), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
});

test('a large Blob is hashed slice by slice, reporting how far it got; a small one in one piece', async () => {
  const data = randomBytes(10_000);
  const seen = [];
  assert.equal(await hashBlob(new Blob([data]), (n) => seen.push(n), 4096, 5000), nodeSha(data));
  assert.deepEqual(seen, [4096, 8192, 10_000]);
  assert.equal(await hashBlob(new Blob([data])), nodeSha(data));
  assert.equal(await hashBlob(new Blob([])), nodeSha(Buffer.alloc(0)));
});

test('the dedup proof is SHA-256 of the nonce and the asked range, in base64', () => {
  const nonce = randomBytes(16);
  const content = randomBytes(500);
  const proof = toBase64(new Sha256().update(nonce).update(content.subarray(100, 164)).digest());
  assert.equal(proof, createHash('sha256').update(nonce).update(content.subarray(100, 164)).digest('base64'));
});

test('an upload goes hashing → creating → uploading → completing → done', () => {
  let s = { state: 'hashing', uploadId: '' };
  for (const [event, state] of [
    [{ type: 'hashed' }, 'creating'],
    [{ type: 'created', uploadId: 'u1' }, 'uploading'],
    [{ type: 'uploaded' }, 'completing'],
    [{ type: 'completed' }, 'done'],
  ]) {
    s = nextState(s, event);
    assert.equal(s.state, state);
  }
  assert.equal(s.uploadId, 'u1');
  assert.equal(nextState(s, { type: 'error', reason: 'UPLOAD_FAILED' }).state, 'done', 'a late error changes nothing');
});

test('a failed upload resumes where it can, restarts what the server refused, and gives up on final refusals', () => {
  const uploading = { state: 'uploading', uploadId: 'u1' };
  const putFailed = nextState(uploading, { type: 'error', reason: 'UPLOAD_FAILED' });
  assert.deepEqual([putFailed.state, putFailed.retryable, putFailed.resumeAt, putFailed.uploadId], ['failed', true, 'uploading', 'u1']);
  assert.equal(nextState(putFailed, { type: 'retry' }).state, 'uploading');

  const hashRefused = nextState({ state: 'completing', uploadId: 'u1' }, { type: 'error', reason: 'HASH_MISMATCH' });
  assert.deepEqual([hashRefused.retryable, hashRefused.resumeAt, hashRefused.uploadId], [true, 'creating', '']);
  const lostAnswer = nextState({ state: 'completing', uploadId: 'u1' }, { type: 'error', reason: 'DISCONNECTED' });
  assert.equal(lostAnswer.resumeAt, 'completing');
  const createLost = nextState({ state: 'creating', uploadId: '' }, { type: 'error', reason: 'TIMEOUT' });
  assert.equal(createLost.resumeAt, 'creating');

  for (const reason of ['FILE_TOO_LARGE', 'FILE_TYPE_NOT_ALLOWED', 'IMAGE_REJECTED']) {
    const f = nextState({ state: reason === 'IMAGE_REJECTED' ? 'completing' : 'creating', uploadId: '' }, { type: 'error', reason });
    assert.equal(f.retryable, false, reason);
    assert.equal(f.reason, reason);
    assert.equal(nextState(f, { type: 'retry' }).state, 'failed', `${reason}: retry does nothing`);
  }
});

test('a cancelled upload ignores the answers still on their way', () => {
  const c = nextState({ state: 'uploading', uploadId: 'u1' }, { type: 'cancel' });
  assert.equal(c.state, 'cancelled');
  assert.equal(nextState(c, { type: 'uploaded' }).state, 'cancelled');
  assert.equal(nextState(c, { type: 'retry' }).state, 'cancelled');
  assert.equal(nextState({ state: 'creating' }, { type: 'uploaded' }).state, 'creating', 'an event out of order is ignored');
});

test('parts of a plan, and progress over them', () => {
  assert.deepEqual(partRanges(100, { single: {} }), [{ partNumber: 0, start: 0, end: 100 }]);
  const parts = partRanges(20, { multipart: { partSize: '8', partCount: 3 } });
  assert.deepEqual(parts.map((p) => [p.partNumber, p.start, p.end]), [[1, 0, 8], [2, 8, 16], [3, 16, 20]]);
  const p = new Progress(20);
  assert.equal(p.fraction, 0);
  p.set(1, 8); // held by the store already
  p.set(2, 4);
  assert.equal(p.sent, 12);
  assert.equal(p.fraction, 0.6);
  p.set(2, 8);
  p.set(3, 4);
  assert.equal(p.fraction, 1);
  p.set(3, 9); // a progress event counting headers never exceeds the total
  assert.equal(p.sent, 20);
  assert.equal(new Progress(0).fraction, 1);
});

test('sizes as people read them', () => {
  assert.equal(formatSize(0), '0 B');
  assert.equal(formatSize(1023), '1023 B');
  assert.equal(formatSize(1024), '1.0 KB');
  assert.equal(formatSize(1536), '1.5 KB');
  assert.equal(formatSize(48213), '47 KB');
  assert.equal(formatSize('9437184'), '9.0 MB');
  assert.equal(formatSize(2 * 1024 ** 3), '2.0 GB');
});

test('the thumbnail chosen is the smallest that covers the size shown, else the largest', () => {
  const thumbs = [
    { variant: '1280', width: 640, height: 1280 },
    { variant: '320', width: 160, height: 320 },
  ];
  assert.equal(chooseVariant(thumbs, 280), '320');
  assert.equal(chooseVariant(thumbs, 560), '1280');
  assert.equal(chooseVariant(thumbs, 5000), '1280');
  assert.equal(chooseVariant([{ variant: '320', width: 300, height: 200 }], 560), '320', 'a small image has only 320');
  assert.equal(chooseVariant([], 100), '');
  assert.equal(chooseVariant(undefined, 100), '');
});

test('an image is laid out at its aspect ratio, never enlarged', () => {
  assert.deepEqual(fitSize(1000, 2000, 280, 320), { width: 160, height: 320 });
  assert.deepEqual(fitSize(4000, 1000, 280, 320), { width: 280, height: 70 });
  assert.deepEqual(fitSize(100, 50, 280, 320), { width: 100, height: 50 });
  assert.deepEqual(fitSize(0, 0, 280, 320), { width: 280, height: 280 });
});

test('the declared type, the kind of message, and the name sent', () => {
  assert.equal(mimeTypeOf({ type: 'image/PNG' }), 'image/png');
  assert.equal(mimeTypeOf({ type: '' }), 'application/octet-stream');
  assert.equal(mimeTypeOf({ type: 'text/plain;charset=utf-8' }), 'application/octet-stream');
  assert.equal(sendsAsImage({ mimeType: 'image/jpeg', media: 'PROCESSED' }), true);
  assert.equal(sendsAsImage({ mimeType: 'image/heic', media: 'UNPROCESSED' }), true);
  assert.equal(sendsAsImage({ mimeType: 'image/svg+xml', media: 'NOT_MEDIA' }), false);
  assert.equal(sendsAsImage({ mimeType: 'application/pdf' }), false);
  assert.equal(safeName('a/b\\c\u202e.txt'), 'abc.txt');
  assert.equal(safeName('  '), 'file');
  assert.equal([...safeName('x'.repeat(300))].length, 255);
});

test('download URLs are reused until shortly before they expire', () => {
  let now = 1_000_000;
  const cache = new UrlCache(() => now, 30_000);
  cache.put('f/320', 'http://s3/x', String(now + 300_000));
  assert.equal(cache.get('f/320'), 'http://s3/x');
  now += 269_000;
  assert.equal(cache.get('f/320'), 'http://s3/x');
  now += 2_000;
  assert.equal(cache.get('f/320'), null);
  assert.equal(cache.get('other'), null);
});

test('initials for avatars without a picture', () => {
  assert.equal(initials('Alice'), 'A');
  assert.equal(initials('carol  de la mer'), 'CD');
  assert.equal(initials('张三'), '张');
  assert.equal(initials(''), '?');
});

test('image and file messages keep what the chat shows', () => {
  const image = toEntry({
    conversationId: '9', seq: '4', senderId: '2',
    image: { fileId: '77', width: 1000, height: 2000, size: '48213', mimeType: 'image/jpeg', caption: 'the beach', preview: '/9j/4A', thumbnails: [{ variant: '320', width: 160, height: 320, size: '5120' }] },
  });
  assert.equal(image.kind, 'image');
  assert.equal(image.text, 'the beach');
  assert.deepEqual(image.media, { fileId: '77', width: 1000, height: 2000, size: 48213, mimeType: 'image/jpeg', preview: '/9j/4A', thumbnails: [{ variant: '320', width: 160, height: 320 }], note: '', animated: false });
  const file = toEntry({ conversationId: '9', seq: '5', senderId: '2', file: { fileId: '78', name: 'report.pdf', size: '9437184', mimeType: 'application/pdf' } });
  assert.deepEqual(file.media, { fileId: '78', name: 'report.pdf', size: 9437184, mimeType: 'application/pdf' });
  assert.equal(toEntry({ conversationId: '9', seq: '6', text: { text: 'hi' } }).media, null);
});
