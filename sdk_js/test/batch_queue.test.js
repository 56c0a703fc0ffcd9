import assert from 'node:assert/strict';
import test from 'node:test';
import { MAX_QUEUED_CHARS } from '../src/constants.js';
import { boundMemory, createBatchQueue } from '../src/batch_queue.js';
import { createOutbox } from '../src/outbox.js';
import { createStorage } from '../testing/fakes.js';

function setup({ withOutbox = true } = {}) {
  const storage = createStorage();
  const outbox = withOutbox ? createOutbox({ storage, projectKey: 'pk' }) : null;
  const warnings = [];
  const queue = createBatchQueue({ outbox, log: { warn: (line) => warnings.push(line) } });
  return { queue, outbox, storage, warnings };
}

const batch = (seq, chars = 10) => ({ id: `s/w/${seq}`, body: JSON.stringify({ seq, pad: 'x'.repeat(chars) }), seq });
const ids = (batches) => batches.map((b) => b.id);

test('batches wait oldest first; the one in flight stays queued but is not waiting', () => {
  const { queue } = setup();
  queue.push(batch(0));
  queue.push(batch(1));
  const first = queue.startSending();
  assert.equal(first.id, 's/w/0');
  assert.equal(queue.sending(), true);
  assert.equal(queue.size(), 2);
  assert.deepEqual(ids(queue.waiting()), ['s/w/1']);
  queue.answered();
  assert.equal(queue.sending(), false);
  assert.deepEqual(ids(queue.waiting()), ['s/w/0', 's/w/1']);
});

test('persist() keeps every batch in the outbox; remove() takes it out of both', () => {
  const { queue, outbox, storage } = setup();
  queue.push(batch(0));
  queue.push(batch(1));
  assert.equal(queue.unsaved(), true);
  queue.persist();
  assert.equal(queue.unsaved(), false);
  assert.deepEqual(ids(outbox.load()), ['s/w/0', 's/w/1']);
  const [first, second] = queue.waiting();
  queue.remove(first);
  queue.remove(second);
  assert.equal(queue.size(), 0);
  assert.equal(storage.map.size, 0);
});

test('a batch never persisted is removed without touching the outbox', () => {
  let touched = 0;
  const outbox = { remove: () => (touched += 1), save: () => {}, clear: () => {} };
  const spied = createBatchQueue({ outbox, log: null });
  spied.push(batch(0));
  spied.remove(spied.waiting()[0]);
  assert.equal(touched, 0);
  assert.equal(spied.size(), 0);
});

test('adopted batches go first, once, marked as already in the outbox', () => {
  const { queue } = setup();
  queue.push(batch(5));
  const kept = [batch(0), batch(1)].map(({ id, body }) => ({ id, body, savedAt: 1 }));
  assert.equal(queue.adopt(kept), 2);
  assert.equal(queue.adopt(kept), 0, 'a second adoption of the same ids adds nothing');
  assert.deepEqual(ids(queue.waiting()), ['s/w/0', 's/w/1', 's/w/5']);
  assert.deepEqual(queue.waiting().map((b) => [b.seq, b.persisted]), [[null, true], [null, true], [5, false]]);
  assert.equal(queue.unsaved(), true, 'the new batch still needs saving');
});

// Each row: batch sizes in eighths of the cap, which one (index) is in flight, and which
// survive (indexes). A batch's body is its padding plus about 20 characters of JSON.
const EIGHTH = Math.floor(MAX_QUEUED_CHARS / 8);
const BOUNDS = [
  { input: { eighths: [2, 2, 2], inFlight: null }, expected: [0, 1, 2], why: 'under the cap: nothing goes' },
  { input: { eighths: [4, 2, 2], inFlight: null }, expected: [1, 2], why: 'over the cap: the oldest goes first' },
  { input: { eighths: [4, 4, 4], inFlight: null }, expected: [2], why: 'as many as needed go, oldest first' },
  { input: { eighths: [4, 3, 2], inFlight: 0 }, expected: [0, 2], why: 'the batch in flight cannot be recalled: the next oldest goes' },
  { input: { eighths: [10], inFlight: null }, expected: [0], why: 'one batch always stays, whatever its size' },
  { input: { eighths: [5, 5], inFlight: 0 }, expected: [0], why: 'in flight and one more over the cap: the newer one goes' },
];

for (const { input, expected, why } of BOUNDS) {
  test(`boundMemory(${input.eighths.join('/8, ')}/8 of the cap, in flight ${input.inFlight}) keeps ${expected.join(', ')} (${why})`, () => {
    const batches = input.eighths.map((eighths, seq) => batch(seq, eighths * EIGHTH));
    const { kept, dropped } = boundMemory(batches, input.inFlight === null ? null : batches[input.inFlight]);
    assert.deepEqual(kept.map((b) => b.seq), expected);
    assert.deepEqual(dropped.map((b) => b.seq), batches.map((b) => b.seq).filter((seq) => !expected.includes(seq)));
  });
}

test('memory is bounded: past the cap the oldest go (logged), never the one in flight', () => {
  const { queue, warnings } = setup({ withOutbox: false });
  const third = Math.floor(MAX_QUEUED_CHARS / 3);
  queue.push(batch(0, third));
  queue.startSending();
  queue.push(batch(1, third));
  queue.push(batch(2, third)); // over the cap by the JSON overhead
  assert.deepEqual(ids(queue.waiting()), ['s/w/2']);
  assert.equal(queue.size(), 2, 'seq 0 is in flight: seq 1 went instead');
  assert.match(warnings[0], /dropped unsent batch s\/w\/1/);
});

test('a single batch over the cap is kept: something must be sent', () => {
  const { queue } = setup({ withOutbox: false });
  queue.push(batch(0, MAX_QUEUED_CHARS + 1));
  assert.equal(queue.size(), 1);
});

test('discard() forgets every batch and clears the outbox', () => {
  const { queue, storage } = setup();
  queue.push(batch(0));
  queue.persist();
  queue.discard();
  assert.equal(queue.size(), 0);
  assert.equal(storage.map.size, 0);
});

test('without an outbox, persist() and discard() do nothing harmful', () => {
  const { queue } = setup({ withOutbox: false });
  queue.push(batch(0));
  queue.persist();
  assert.equal(queue.unsaved(), true);
  queue.discard();
  assert.equal(queue.size(), 0);
});
