import assert from 'node:assert/strict';
import { test } from 'node:test';
import { needsSeek, plan, positionIn } from '../src/player/voice.js';

const first = { id: 'a', offset_ms: 2_000, duration_s: 30 }; // the first page: 0:02 to 0:32
const second = { id: 'b', offset_ms: 40_000, duration_s: Infinity }; // the next page, length unknown

test('a recording covers the session from its start for its length', () => {
  assert.equal(positionIn(first, 1_999), null);
  assert.equal(positionIn(first, 12_000), 10);
  assert.equal(positionIn(first, 32_001), null);
  assert.equal(positionIn(second, 100_000), 60); // no known end: it runs on
});

test('only the recording the moment falls in plays, at the replay speed', () => {
  assert.deepEqual(plan([first, second], { offset: 12_000, playing: true, speed: 2 }),
    [{ play: true, at: 10, rate: 2 }, { play: false, at: null, rate: 2 }]);
  assert.deepEqual(plan([first, second], { offset: 35_000, playing: true, speed: 1 }).map((s) => s.play), [false, false]);
  assert.deepEqual(plan([first, second], { offset: 12_000, playing: false, speed: 1 }).map((s) => s.play), [false, false]);
});

test('a small drift is left alone, a seek is followed; faster replays allow more', () => {
  assert.equal(needsSeek(10.1, 10), false);
  assert.equal(needsSeek(10.5, 10), true);
  assert.equal(needsSeek(10.5, 10, 4), false);
});
