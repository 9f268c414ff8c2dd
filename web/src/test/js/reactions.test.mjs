// Unit tests of the web client's reaction aggregation (run by WebLogicIT with `node --test`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyReaction, toggleReaction, toReactions } from '../../main/resources/dev/parley/web/app/js/reactions.js';

const entry = (emoji, counts) => ({ emoji, reactions: counts.map(([e, n]) => ({ emoji: e, count: n })) });

test('my own reaction entry replaces the counts and marks my emoji', () => {
  const after = applyReaction([], entry(['👍', '❤️'], [['👍', 2], ['❤', 1]]), 'me', 'me');
  assert.deepEqual(after, [
    { emoji: '👍', count: 2, mine: true },
    { emoji: '❤', count: 1, mine: true },
  ]);
});

test("someone else's entry keeps my marks and takes their counts", () => {
  const mine = [{ emoji: '👍', count: 1, mine: true }];
  const after = applyReaction(mine, entry(['🔥'], [['👍', 1], ['🔥', 1]]), 'bob', 'me');
  assert.deepEqual(after, [
    { emoji: '👍', count: 1, mine: true },
    { emoji: '🔥', count: 1, mine: false },
  ]);
});

test('an emptied set removes my marks and zero counts disappear', () => {
  const mine = [{ emoji: '👍', count: 1, mine: true }];
  assert.deepEqual(applyReaction(mine, entry([], [['👍', 0]]), 'me', 'me'), []);
});

test('toggling adds or removes one emoji from my set, without variation selectors', () => {
  const counts = [{ emoji: '👍', count: 3, mine: true }, { emoji: '❤', count: 1, mine: false }];
  assert.deepEqual(toggleReaction(counts, '❤️'), ['👍', '❤']);
  assert.deepEqual(toggleReaction(counts, '👍'), []);
});

test('history counts: reactedByMe becomes mine', () => {
  assert.deepEqual(toReactions([{ emoji: '🎉', count: 2, reactedByMe: true }]), [{ emoji: '🎉', count: 2, mine: true }]);
});
