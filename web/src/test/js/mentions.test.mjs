// Unit tests of the web client's mention logic (run by WebLogicIT with `node --test`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildMentions, mentionQuery, insertMention, matchMembers, splitMentions, MAX_MENTIONS } from '../../main/resources/dev/parley/web/app/js/mentions.js';

test('a picked member becomes a range over "@name", in UTF-16 code units', () => {
  // 😀 is outside the BMP: two code units, so Bob starts at 3, not 2.
  assert.deepEqual(buildMentions('😀 @Bob hi', [{ userId: '7', name: 'Bob' }]), [{ userId: '7', offset: 3, length: 4 }]);
});

test('every occurrence counts, in text order; a longer name wins at the same offset', () => {
  const picked = [{ userId: '2', name: 'Ann' }, { userId: '3', name: 'Ann Lee' }, { userId: '4', name: 'Bo' }];
  assert.deepEqual(buildMentions('@Ann Lee and @Ann, @Bob', picked), [
    { userId: '3', offset: 0, length: 8 },
    { userId: '2', offset: 13, length: 4 },
  ]);
});

test('a picked name the user deleted is not sent', () => {
  assert.deepEqual(buildMentions('never mind', [{ userId: '7', name: 'Bob' }]), []);
});

test('at most the server limit of mentions', () => {
  const text = Array.from({ length: 60 }, () => '@Bob').join(' ');
  assert.equal(buildMentions(text, [{ userId: '7', name: 'Bob' }]).length, MAX_MENTIONS);
});

test('the query being typed after "@", only at a word start', () => {
  assert.deepEqual(mentionQuery('hi @Ca', 6), { start: 3, query: 'Ca' });
  assert.deepEqual(mentionQuery('@', 1), { start: 0, query: '' });
  assert.equal(mentionQuery('mail@example', 12), null);
  assert.equal(mentionQuery('hi @Ca rol', 10), null);
});

test('picking replaces the query and puts the caret after the name', () => {
  assert.deepEqual(insertMention('hi @Ca!', 3, 6, 'Carol'), { text: 'hi @Carol !', caret: 10 });
});

test('members matching the query: prefix matches first', () => {
  const members = [{ userId: '1', name: 'Mary Ann' }, { userId: '2', name: 'Anna' }, { userId: '3', name: 'Bob' }];
  assert.deepEqual(matchMembers(members, 'an').map((m) => m.userId), ['2', '1']);
});

test('display splits the text at the ranges and ignores bad ones', () => {
  assert.deepEqual(splitMentions('hi @Bob!', [{ userId: '7', offset: 3, length: 4 }, { userId: '8', offset: 5, length: 9 }]), [
    { text: 'hi ' },
    { text: '@Bob', userId: '7' },
    { text: '!' },
  ]);
  assert.deepEqual(splitMentions('plain', []), [{ text: 'plain' }]);
});
