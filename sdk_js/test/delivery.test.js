import assert from 'node:assert/strict';
import test from 'node:test';
import { createBatchQueue } from '../src/batch_queue.js';
import { createDelivery } from '../src/delivery.js';
import { createTimerSlot } from '../src/timer_slot.js';
import { createClock, settle } from '../testing/fakes.js';

/** `steps`: what settle() answers for each request in turn (default: go on). */
function setup({ steps = [], post = null } = {}) {
  const clock = createClock();
  const queue = createBatchQueue({ outbox: null, log: null });
  const posted = [];
  const settled = [];
  const answerOk = async (batch) => {
    posted.push(batch.id);
    return { status: 200 };
  };
  const request = { post: post || answerOk };
  const settleBatch = (batch, result) => {
    settled.push([batch.id, result.status]);
    const step = steps[settled.length - 1] || { goOn: true };
    if (step.goOn === true) queue.remove(batch); // as an acknowledgement does
    return step;
  };
  const delivery = createDelivery({ queue, request, settle: settleBatch, retryTimer: createTimerSlot(clock.setTimeout, clock.clearTimeout) });
  const push = (...seqs) => seqs.forEach((seq) => queue.push({ id: `s/w/${seq}`, body: '{}', seq }));
  return { clock, queue, delivery, posted, settled, push };
}

test('batches go one at a time, oldest first, until the queue is empty', async () => {
  let inFlight = 0;
  let most = 0;
  const posted = [];
  const { queue, delivery, push } = setup({
    post: async (batch) => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      posted.push(batch.id);
      await settle(2);
      inFlight -= 1;
      return { status: 200 };
    },
  });
  push(0, 1, 2);
  delivery.pump();
  delivery.pump(); // a flush while a request is in flight starts nothing new
  await settle();
  assert.deepEqual(posted, ['s/w/0', 's/w/1', 's/w/2']);
  assert.equal(most, 1);
  assert.equal(queue.size(), 0);
});

test('while a retry waits nothing is sent; then the same batch goes first', async () => {
  const { clock, delivery, posted, push } = setup({ steps: [{ retryInMs: 750 }] });
  push(0);
  delivery.pump();
  await settle();
  push(1);
  delivery.pump(); // a new batch must not overtake the one waiting
  await settle();
  assert.deepEqual(posted, ['s/w/0']);
  clock.advance(749);
  await settle();
  assert.equal(posted.length, 1);
  clock.advance(1);
  await settle();
  assert.deepEqual(posted, ['s/w/0', 's/w/0', 's/w/1']);
});

test('a step of {goOn: false} (a refused key) ends the round without a retry', async () => {
  const { clock, delivery, posted, push } = setup({ steps: [{ goOn: false }] });
  push(0, 1);
  delivery.pump();
  await settle();
  clock.advance(60_000);
  await settle();
  assert.deepEqual(posted, ['s/w/0']);
  assert.equal(clock.pending().length, 0);
});

test('a request that rejects (compression failed) counts as no answer: status 0', async () => {
  const { delivery, settled, push } = setup({ post: async () => Promise.reject(new Error('zlib')), steps: [{ goOn: false }] });
  push(0);
  delivery.pump();
  await settle();
  assert.deepEqual(settled, [['s/w/0', 0]]);
});

test('stop() cancels the waiting retry and sends nothing more', async () => {
  const { clock, delivery, posted, push } = setup({ steps: [{ retryInMs: 1000 }] });
  push(0);
  delivery.pump();
  await settle();
  delivery.stop();
  assert.equal(clock.pending().length, 0);
  delivery.pump();
  clock.advance(10_000);
  await settle();
  assert.deepEqual(posted, ['s/w/0']);
});

test('a request in flight at stop() still settles, but schedules no retry', async () => {
  let release;
  const { clock, delivery, settled, push } = setup({
    steps: [{ retryInMs: 1000 }],
    post: () => new Promise((resolve) => (release = resolve)),
  });
  push(0);
  delivery.pump();
  await settle();
  delivery.stop();
  release({ status: 503 });
  await settle();
  assert.deepEqual(settled, [['s/w/0', 503]]);
  assert.equal(clock.pending().length, 0);
});
