import assert from 'node:assert/strict';
import test from 'node:test';
import { FLUSH_INTERVAL_MS, LIVE_FLUSH_INTERVAL_MS, MAX_BATCH_CHARS } from '../src/constants.js';
import { createBatchQueue } from '../src/batch_queue.js';
import { createBuffer } from '../src/buffer.js';
import { createFlushing } from '../src/flushing.js';
import { createOutbox } from '../src/outbox.js';
import { createTimerSlot } from '../src/timer_slot.js';
import { createClock, createStorage } from '../testing/fakes.js';

function setup({ live = false } = {}) {
  const clock = createClock();
  const outbox = createOutbox({ storage: createStorage(), projectKey: 'pk', now: clock.now });
  const buffer = createBuffer({ getContext: () => ({ sessionId: 's', windowId: 'w', meta: {} }) });
  const queue = createBatchQueue({ outbox, log: null });
  const sends = [];
  const beaconed = [];
  const flushing = createFlushing({
    buffer,
    queue,
    send: () => sends.push(queue.size()),
    beaconOnce: (batches) => beaconed.push(batches.map((b) => b.id)),
    flushTimer: createTimerSlot(clock.setTimeout, clock.clearTimeout),
    isLive: () => live,
  });
  return { clock, buffer, queue, outbox, sends, beaconed, flushing };
}

const event = (n, padding = '') => ({ type: 3, timestamp: n, data: { id: n, padding } });
const bigEvent = (n) => event(n, 'x'.repeat(MAX_BATCH_CHARS));

// Each row: events added at the given ms (from 0), and whether a batch was cut by `at` ms.
const FLUSH_TIMING = [
  { input: { live: false, events: [0], at: FLUSH_INTERVAL_MS - 1 }, expected: 0, why: 'a lone event waits 2 s for company' },
  { input: { live: false, events: [0], at: FLUSH_INTERVAL_MS }, expected: 1, why: 'SPEC: flush 2 s after the first buffered event' },
  { input: { live: false, events: [0, 1500], at: FLUSH_INTERVAL_MS }, expected: 1, why: 'later events do not push the flush back' },
  { input: { live: true, events: [0], at: LIVE_FLUSH_INTERVAL_MS - 1 }, expected: 0, why: 'while watched, still a short wait' },
  { input: { live: true, events: [0], at: LIVE_FLUSH_INTERVAL_MS }, expected: 1, why: 'while watched: 500 ms, observers need < 2 s delay' },
  { input: { live: false, events: [0], at: 0, big: true }, expected: 1, why: '256 K characters flush at once, without the timer' },
  { input: { live: false, events: [], at: FLUSH_INTERVAL_MS * 10 }, expected: 0, why: 'nothing buffered: no batch, no timer' },
];

for (const { input, expected, why } of FLUSH_TIMING) {
  const label = `${input.events.length} event(s)${input.big ? ' of 256 K' : ''} at ${input.events.join(', ') || '-'} ms, ${input.live ? 'live' : 'not live'}`;
  test(`${label}: ${expected} batch by ${input.at} ms (${why})`, () => {
    const { clock, queue, flushing } = setup({ live: input.live });
    let elapsed = 0;
    for (const at of input.events) {
      clock.advance(at - elapsed);
      elapsed = at;
      flushing.add(input.big ? bigEvent(at) : event(at));
    }
    clock.advance(input.at - elapsed);
    assert.equal(queue.size(), expected);
    if (expected === 0 && !input.events.length) assert.equal(clock.pending().length, 0);
  });
}

test('a flush queues the batch and starts sending; a flush of nothing still resumes sending', () => {
  const { flushing, sends } = setup();
  flushing.add(event(1));
  flushing.flush();
  flushing.flush();
  assert.deepEqual(sends, [1, 1]);
});

test('a flush cancels the pending timer: the next event starts a new 2 s wait', () => {
  const { clock, flushing, queue } = setup();
  flushing.add(event(1));
  clock.advance(1500);
  flushing.flush();
  flushing.add(event(2));
  clock.advance(1999);
  assert.equal(queue.size(), 1);
  clock.advance(1);
  assert.equal(queue.size(), 2);
});

test('cutBatch() queues the buffer now without sending (a session rotates)', () => {
  const { flushing, queue, sends } = setup();
  flushing.add(event(1));
  assert.equal(flushing.cutBatch().seq, 0);
  assert.equal(flushing.cutBatch(), null);
  assert.equal(queue.size(), 1);
  assert.deepEqual(sends, []);
});

test('page exit: the buffer is cut, every waiting batch is offered to the beacon, and all go to the outbox', () => {
  const { clock, flushing, beaconed, outbox } = setup();
  flushing.add(event(1));
  flushing.flush();
  flushing.add(event(2));
  flushing.flushOnExit();
  assert.deepEqual(beaconed, [['s/w/0', 's/w/1']]);
  assert.deepEqual(outbox.load().map((e) => e.id), ['s/w/0', 's/w/1']);
  assert.equal(clock.pending().length, 0, 'the flush timer is cancelled');
});

test('stop() flushes for the exit, then takes nothing more', () => {
  const { clock, flushing, buffer, beaconed } = setup();
  flushing.add(event(1));
  flushing.stop();
  assert.deepEqual(beaconed, [['s/w/0']]);
  assert.equal(flushing.stopped(), true);
  flushing.add(event(2));
  flushing.flush();
  flushing.flushOnExit();
  assert.equal(buffer.size(), 0);
  assert.equal(beaconed.length, 1);
  assert.equal(clock.pending().length, 0);
});

test('stop({discard: true}) drops the buffer, the queue and the outbox, and beacons nothing', () => {
  const { flushing, buffer, queue, outbox, beaconed } = setup();
  flushing.add(event(1));
  flushing.flush();
  queue.persist();
  flushing.add(event(2));
  flushing.stop({ discard: true });
  assert.deepEqual([buffer.size(), queue.size(), outbox.load().length, beaconed.length], [0, 0, 0, 0]);
});
