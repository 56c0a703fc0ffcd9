import assert from 'node:assert/strict';
import test from 'node:test';
import { createTimerSlot } from '../src/timer_slot.js';
import { createClock } from '../testing/fakes.js';

test('a slot holds one pending callback: a second start() while pending is ignored', () => {
  const clock = createClock();
  const slot = createTimerSlot(clock.setTimeout, clock.clearTimeout);
  const ran = [];
  slot.start(() => ran.push('first'), 100);
  slot.start(() => ran.push('second'), 10);
  assert.equal(slot.pending(), true);
  clock.advance(100);
  assert.deepEqual(ran, ['first']);
  assert.equal(slot.pending(), false, 'free again once it ran');
  slot.start(() => ran.push('third'), 10);
  clock.advance(10);
  assert.deepEqual(ran, ['first', 'third']);
});

test('cancel() clears the pending timer, and is harmless when none is pending', () => {
  const clock = createClock();
  const slot = createTimerSlot(clock.setTimeout, clock.clearTimeout);
  slot.cancel();
  slot.start(() => assert.fail('cancelled'), 100);
  slot.cancel();
  assert.equal(slot.pending(), false);
  assert.equal(clock.pending().length, 0);
  clock.advance(1000);
});

test('a callback may start the slot again (a retry that reschedules itself)', () => {
  const clock = createClock();
  const slot = createTimerSlot(clock.setTimeout, clock.clearTimeout);
  let runs = 0;
  const again = () => {
    runs += 1;
    if (runs < 3) slot.start(again, 100);
  };
  slot.start(again, 100);
  clock.advance(1000);
  assert.equal(runs, 3);
});
