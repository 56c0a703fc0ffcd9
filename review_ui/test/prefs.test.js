import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nextSpeed, readSkipInactive, readSpeed, saveSkipInactive, saveSpeed, SPEEDS } from '../src/lib/prefs.js';

function memoryStorage(initial = {}) {
  const data = { ...initial };
  return { getItem: (k) => (k in data ? data[k] : null), setItem: (k, v) => { data[k] = String(v); }, data };
}

test('speeds run from 0.5x to 16x and default to 1x', () => {
  assert.deepEqual(SPEEDS, [0.5, 1, 2, 4, 8, 16]);
  assert.equal(readSpeed(memoryStorage()), 1);
});

test('a remembered speed comes back; anything else is ignored', () => {
  const storage = memoryStorage();
  saveSpeed(8, storage);
  assert.equal(readSpeed(storage), 8);
  saveSpeed(3, storage); // not offered: not stored
  assert.equal(readSpeed(storage), 8);
  assert.equal(readSpeed(memoryStorage({ 'replaydesk.player.speed': 'fast' })), 1);
});

test('skipping inactivity is on by default and the toggle is remembered', () => {
  const storage = memoryStorage();
  assert.equal(readSkipInactive(storage), true);
  saveSkipInactive(false, storage);
  assert.equal(readSkipInactive(storage), false);
  saveSkipInactive(true, storage);
  assert.equal(readSkipInactive(storage), true);
});

test('storage that throws (private mode) never breaks the player', () => {
  const broken = { getItem() { throw new Error('denied'); }, setItem() { throw new Error('denied'); } };
  assert.equal(readSpeed(broken), 1);
  assert.equal(readSkipInactive(broken), true);
  assert.doesNotThrow(() => saveSpeed(2, broken));
});

test('faster and slower stop at the ends', () => {
  assert.equal(nextSpeed(1, 1), 2);
  assert.equal(nextSpeed(16, 1), 16);
  assert.equal(nextSpeed(0.5, -1), 0.5);
});
