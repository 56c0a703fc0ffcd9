// What one answer does to the batch it answers: a table of {input, expected, why},
// one test per row. random() is 0.5, so a backoff is 75 % of its step.
import assert from 'node:assert/strict';
import test from 'node:test';
import { RETRY_BASE_DELAY_MS } from '../src/constants.js';
import { createSettlement } from '../src/settlement.js';

const NOW = Date.UTC(2030, 0, 1, 12, 0, 0);

function setup() {
  const seen = { removed: [], persisted: 0, gzipRefused: 0, acknowledged: [], refused: [], log: [] };
  const queue = { remove: (batch) => seen.removed.push(batch.id), persist: () => (seen.persisted += 1), unsaved: () => true };
  const request = { refuseGzip: () => (seen.gzipRefused += 1) };
  const log = { error: (line) => seen.log.push(['error', line]), warn: (line) => seen.log.push(['warn', line]), debug: (line) => seen.log.push(['debug', line]) };
  const settlement = createSettlement({
    queue,
    request,
    onAcknowledged: (answer) => seen.acknowledged.push(answer),
    onRefused: (status) => seen.refused.push(status),
    now: () => NOW,
    random: () => 0.5,
    log,
  });
  return { settlement, seen };
}

const batch = () => ({ id: 's/w/0', body: '{}', seq: 0, attempt: 0 });
const answer = (status, extra = {}) => ({ status, retryAfter: null, answer: null, gzipped: false, ...extra });

// expected: the step for the sender, whether the batch left the queue, whether the
// transport reports itself healthy, and what else happened.
const OUTCOMES = [
  { input: answer(200, { answer: { ok: true } }), expected: { step: { goOn: true }, removed: true, healthy: true, acknowledged: 1 }, why: 'stored: the batch leaves, the answer goes on to the page' },
  { input: answer(202, { answer: {} }), expected: { step: { goOn: true }, removed: true, healthy: true, acknowledged: 1 }, why: 'any 2xx' },
  { input: answer(500), expected: { step: { retryInMs: 750 }, removed: false, healthy: false, persisted: true }, why: 'a server error: back off, keep it in the outbox' },
  { input: answer(503), expected: { step: { retryInMs: 750 }, removed: false, healthy: false, persisted: true }, why: 'server down' },
  { input: answer(0), expected: { step: { retryInMs: 750 }, removed: false, healthy: false, persisted: true }, why: 'network error: same as a 5xx' },
  { input: answer(408), expected: { step: { retryInMs: 750 }, removed: false, healthy: false, persisted: true }, why: 'request timeout: retried, not dropped' },
  { input: answer(429, { retryAfter: '9' }), expected: { step: { retryInMs: 9000 }, removed: false, healthy: false, persisted: true }, why: 'throttled: exactly Retry-After' },
  { input: answer(429, { retryAfter: new Date(NOW + 3000).toUTCString() }), expected: { step: { retryInMs: 3000 }, removed: false, healthy: false, persisted: true }, why: 'Retry-After as an HTTP date' },
  { input: answer(429), expected: { step: { retryInMs: 750 }, removed: false, healthy: false, persisted: true }, why: 'throttled without Retry-After: backoff' },
  { input: answer(400), expected: { step: { goOn: true }, removed: true, healthy: true, warned: /rejected with HTTP 400; dropped/ }, why: 'the batch itself is bad: dropped (logged), the next one goes' },
  { input: answer(400, { answer: { message: 'seq must be an integer from 0 to 9007199254740991' } }), expected: { step: { goOn: true }, removed: true, healthy: true, warned: /HTTP 400 \(seq must be an integer from 0 to 9007199254740991\); dropped/ }, why: "the server's reason goes into the warning" },
  { input: answer(422), expected: { step: { goOn: true }, removed: true, healthy: true, warned: /HTTP 422; dropped/ }, why: 'malformed in any other 4xx way: dropped' },
  { input: answer(404), expected: { step: { goOn: true }, removed: true, healthy: true, warned: /HTTP 404; dropped/ }, why: 'other 4xx: dropped' },
  { input: answer(413), expected: { step: { goOn: true }, removed: true, healthy: true, warned: /HTTP 413; dropped/ }, why: 'too large: dropped' },
  { input: answer(415), expected: { step: { goOn: true }, removed: true, healthy: true, warned: /HTTP 415; dropped/ }, why: '415 on a plain body: nothing left to try' },
  { input: answer(415, { gzipped: true }), expected: { step: { goOn: true }, removed: false, healthy: true, gzipRefused: 1, warned: /does not accept gzip/ }, why: '415 on gzip: the same batch again, plain' },
  { input: answer(401), expected: { step: { goOn: false }, removed: false, healthy: true, refused: [401] }, why: 'unknown key: recording stops' },
  { input: answer(403), expected: { step: { goOn: false }, removed: false, healthy: true, refused: [403] }, why: 'refused key: recording stops' },
];

for (const { input, expected, why } of OUTCOMES) {
  const label = `HTTP ${input.status}${input.gzipped ? ' (gzipped)' : ''}${input.retryAfter ? `, Retry-After ${input.retryAfter}` : ''}`;
  test(`${label} → ${JSON.stringify(expected.step)}: ${why}`, () => {
    const { settlement, seen } = setup();
    const step = settlement.settle(batch(), input);
    assert.deepEqual(step, expected.step);
    assert.deepEqual(seen.removed, expected.removed ? ['s/w/0'] : []);
    assert.equal(settlement.healthy(), expected.healthy);
    assert.equal(seen.acknowledged.length, expected.acknowledged || 0);
    assert.equal(seen.persisted, expected.persisted ? 1 : 0);
    assert.equal(seen.gzipRefused, expected.gzipRefused || 0);
    assert.deepEqual(seen.refused, expected.refused || []);
    if (expected.warned) assert.match(seen.log.find(([level]) => level === 'warn')[1], expected.warned);
    if (expected.refused) assert.match(seen.log[0][1], /refused the project key/);
  });
}

test('each retry of the same batch waits twice as long: 750, 1500, 3000 ms', () => {
  const { settlement } = setup();
  const failing = batch();
  const delays = [0, 1, 2].map(() => settlement.settle(failing, answer(503)).retryInMs);
  assert.deepEqual(delays, [0.75, 1.5, 3].map((step) => step * RETRY_BASE_DELAY_MS));
  assert.equal(failing.attempt, 3);
});

test('the first 2xx after failures makes the transport healthy again', () => {
  const { settlement } = setup();
  settlement.settle(batch(), answer(503));
  assert.equal(settlement.healthy(), false);
  settlement.settle(batch(), answer(200));
  assert.equal(settlement.healthy(), true);
});

test('a failure saves to the outbox only when some batch is not saved yet', () => {
  const { settlement, seen } = setup();
  const queue = { remove() {}, persist: () => (seen.persisted += 1), unsaved: () => false };
  const saved = createSettlement({ queue, request: {}, onAcknowledged() {}, onRefused() {}, now: () => NOW, random: () => 0.5, log: null });
  saved.settle(batch(), answer(503));
  assert.equal(seen.persisted, 0);
  settlement.settle(batch(), answer(503));
  assert.equal(seen.persisted, 1);
});

test('drops are reported once: the first warns, later ones only in debug mode, and later batches keep going', () => {
  const { settlement, seen } = setup();
  const steps = [400, 413, 200, 400].map((status, index) => settlement.settle({ ...batch(), id: `s/w/${index}` }, answer(status)));
  assert.deepEqual(steps, [{ goOn: true }, { goOn: true }, { goOn: true }, { goOn: true }]);
  assert.deepEqual(seen.removed, ['s/w/0', 's/w/1', 's/w/2', 's/w/3']);
  assert.deepEqual(seen.log.map(([level, line]) => [level, line.split(' rejected')[0]]),
    [['warn', 'batch s/w/0'], ['debug', 'batch s/w/1'], ['debug', 'batch s/w/3']]);
});
