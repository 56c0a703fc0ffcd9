import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PAUSE_AFTER_MS, pauseAfterEventsAtMoment } from '../src/player/moment.js';

function fakeReplayer() {
  const calls = [];
  return { calls, pause(timeOffset) { calls.push([this, timeOffset]); return 'paused'; } };
}

test('pausing at a moment pauses just after it, so its own events are applied', () => {
  const replayer = fakeReplayer();
  pauseAfterEventsAtMoment(replayer);
  assert.equal(replayer.pause(3000), 'paused');
  assert.deepEqual(replayer.calls, [[replayer, 3000 + PAUSE_AFTER_MS]]);
  assert.equal(PAUSE_AFTER_MS, 1); // timestamps are whole ms: 1 ms later takes nothing after the moment
});

test('a plain pause (no moment) stays a plain pause, and the undo restores it', () => {
  const replayer = fakeReplayer();
  const original = replayer.pause;
  const undo = pauseAfterEventsAtMoment(replayer);
  replayer.pause();
  assert.deepEqual(replayer.calls, [[replayer, undefined]]);
  undo();
  assert.equal(replayer.pause, original);
});
