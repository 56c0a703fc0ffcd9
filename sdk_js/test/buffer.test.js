import assert from 'node:assert/strict';
import test from 'node:test';
import { MAX_BATCH_CHARS } from '../src/constants.js';
import { batchBody, createBuffer } from '../src/buffer.js';

function setup(context = { sessionId: 'session-1', windowId: 'window-1', meta: { url: 'u' } }) {
  const current = { ...context };
  const buffer = createBuffer({ getContext: () => current });
  return { buffer, context: current };
}

const event = (n, extra = {}) => ({ type: 3, timestamp: 1_700_000_000_000 + n, data: { source: 2, id: n, ...extra } });

test('batchBody is the SPEC ingest body, fields in order', () => {
  const text = batchBody({ sessionId: 'session-1', windowId: 'window-1', seq: 3, eventsJson: ['{"type":4,"timestamp":1}'], meta: { url: 'u' } });
  assert.deepEqual(JSON.parse(text), { session_id: 'session-1', window_id: 'window-1', seq: 3, events: [{ type: 4, timestamp: 1 }], meta: { url: 'u' } });
  assert.deepEqual(Object.keys(JSON.parse(text)), ['session_id', 'window_id', 'seq', 'events', 'meta']);
});

test('cut batches are numbered from 0 and named session/window/seq; the buffer is left empty', () => {
  const { buffer } = setup();
  buffer.add(event(1));
  buffer.add(event(2));
  const first = buffer.cut();
  buffer.add(event(3));
  const second = buffer.cut();
  assert.deepEqual([first.id, first.seq, second.id, second.seq], ['session-1/window-1/0', 0, 'session-1/window-1/1', 1]);
  assert.deepEqual(JSON.parse(first.body).events.map((e) => e.data.id), [1, 2]);
  assert.equal(buffer.size(), 0);
  assert.equal(buffer.nextSeq(), 2);
});

test('an empty buffer cuts nothing and uses no seq', () => {
  const { buffer } = setup();
  assert.equal(buffer.cut(), null);
  assert.equal(buffer.nextSeq(), 0);
});

test('the context is read when the batch is cut: a rotated session names the next batch', () => {
  const { buffer, context } = setup();
  buffer.add(event(1));
  context.sessionId = 'session-2';
  assert.equal(JSON.parse(buffer.cut().body).session_id, 'session-2');
});

test('an empty batch (a live poll) carries the next seq, no events, and leaves that seq free', () => {
  const { buffer } = setup();
  buffer.add(event(1));
  buffer.cut();
  const poll = buffer.emptyBatch();
  assert.deepEqual(JSON.parse(poll.body), { session_id: 'session-1', window_id: 'window-1', seq: 1, events: [], meta: { url: 'u' } });
  assert.equal(poll.id, 'poll');
  assert.equal(buffer.nextSeq(), 1);
});

test('clear() drops buffered events without using a seq', () => {
  const { buffer } = setup();
  buffer.add(event(1));
  buffer.clear();
  assert.equal(buffer.size(), 0);
  assert.equal(buffer.cut(), null);
  assert.equal(buffer.nextSeq(), 0);
});

// add() answers whether the buffer should be flushed at once. Each event costs its JSON
// length plus one (the comma it takes in the batch).
const overhead = JSON.stringify(event(0, { padding: '' })).length + 1;
const FULL_AT = [
  { input: [10], expected: [false], why: 'a small event waits for the flush timer' },
  { input: [MAX_BATCH_CHARS - overhead - 1], expected: [false], why: 'one character short of 256 K' },
  { input: [MAX_BATCH_CHARS - overhead], expected: [true], why: 'exactly 256 K characters flush at once' },
  { input: [64 * 1024, 64 * 1024, 64 * 1024, 64 * 1024], expected: [false, false, false, true], why: 'the fourth 64 K event fills it' },
];

for (const { input, expected, why } of FULL_AT) {
  test(`add() of events padded to ${input.join(', ')} characters says full: ${expected.join(', ')} (${why})`, () => {
    const { buffer } = setup();
    assert.deepEqual(input.map((size, n) => buffer.add(event(n, { padding: 'x'.repeat(size) }))), expected);
  });
}
