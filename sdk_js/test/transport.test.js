// The transport as its modules compose it, against a fake fetch, clock, beacon and
// storage: timing and answer handling as tables of {input, expected, why}, then the
// page-exit, outbox and outage scenarios. Each module has its own test file too.
import assert from 'node:assert/strict';
import test from 'node:test';
import {
  FLUSH_INTERVAL_MS,
  KEEPALIVE_MAX_BYTES,
  LIVE_FLUSH_INTERVAL_MS,
  LIVE_POLL_INTERVAL_MS,
  MAX_BATCH_CHARS,
  RETRY_BASE_DELAY_MS,
  RETRY_MAX_DELAY_MS,
} from '../src/constants.js';
import { createOutbox } from '../src/outbox.js';
import { createTransport, gzip } from '../src/transport.js';
import { createClock, createFetch, createStorage, decodeBody, settle, settleUntil } from '../testing/fakes.js';

const OK = { status: 200, body: { ok: true, accepted: 1, duplicate: false, live: false, commands: [] } };

function setup({ respond = () => OK, compress = null, outbox = undefined, storage = createStorage(), beacon = () => true, windowId = 'window-0001' } = {}) {
  const clock = createClock();
  const fetch = createFetch(respond);
  const beacons = [];
  const answers = [];
  const fatal = [];
  const box = outbox === undefined ? createOutbox({ storage, projectKey: 'pk_test', now: clock.now }) : outbox;
  const transport = createTransport({
    endpoint: 'https://rd.example',
    key: 'pk_test',
    fetch,
    sendBeacon: (url, data) => {
      beacons.push({ url, data });
      return beacon(url, data);
    },
    compress,
    outbox: box,
    getContext: () => ({ sessionId: 'session-0001', windowId, meta: { url: 'https://shop.example/', distinct_id: 'd1' } }),
    onAnswer: (answer) => answers.push(answer),
    onFatal: (status) => fatal.push(status),
    now: clock.now,
    random: () => 0.5,
    setTimeout: clock.setTimeout,
    clearTimeout: clock.clearTimeout,
  });
  return { clock, fetch, beacons, answers, fatal, transport, storage, outbox: box };
}

function event(n, extra = {}) {
  return { type: 3, timestamp: 1_700_000_000_000 + n, data: { source: 2, type: 2, id: n, ...extra } };
}

async function bodies(fetch) {
  const out = [];
  for (const call of fetch.calls) out.push(await decodeBody(call.init));
  return out;
}

test('events are flushed 2 s after the first one, with the key header and increasing seq', async () => {
  const { clock, fetch, transport } = setup();
  transport.add(event(1));
  transport.add(event(2));
  clock.advance(FLUSH_INTERVAL_MS - 1);
  await settle();
  assert.equal(fetch.calls.length, 0);
  clock.advance(1);
  await settle();
  assert.equal(fetch.calls.length, 1);
  const { url, init } = fetch.calls[0];
  assert.equal(url, 'https://rd.example/api/v1/ingest');
  assert.equal(init.method, 'POST');
  assert.equal(init.headers['X-Replaydesk-Key'], 'pk_test');
  assert.equal(init.headers['Content-Type'], 'application/json');
  assert.equal(init.credentials, 'omit');
  assert.equal(init.keepalive, true);
  transport.add(event(3));
  clock.advance(FLUSH_INTERVAL_MS);
  await settle();
  const sent = await bodies(fetch);
  assert.deepEqual(sent.map((b) => [b.seq, b.events.map((e) => e.data.id)]), [[0, [1, 2]], [1, [3]]]);
  assert.equal(sent[0].session_id, 'session-0001');
  assert.equal(sent[0].window_id, 'window-0001');
  assert.deepEqual(sent[0].meta, { url: 'https://shop.example/', distinct_id: 'd1' });
  assert.equal(clock.pending().length, 0, 'nothing buffered: no timer left running');
});

test('256 K characters of events flush at once, without waiting for the timer', async () => {
  const { fetch, transport } = setup();
  const padding = 'x'.repeat(64 * 1024);
  for (let i = 0; i < 3; i += 1) transport.add(event(i, { padding }));
  await settle();
  assert.equal(fetch.calls.length, 0);
  transport.add(event(3, { padding }));
  await settle();
  assert.equal(fetch.calls.length, 1);
  const [sent] = await bodies(fetch);
  assert.equal(sent.events.length, 4);
  assert.ok(JSON.stringify(sent.events).length >= MAX_BATCH_CHARS);
});

const LIVE = { status: 200, body: { ok: true, live: true, commands: [] } };

// Each row: the answer to a first batch (which sets the pace), then one event and how
// many requests have gone `waitMs` after it.
const FLUSH_TIMING = [
  { input: { answer: OK, waitMs: FLUSH_INTERVAL_MS - 1 }, expected: 1, why: 'not watched: the event waits 2 s for company' },
  { input: { answer: OK, waitMs: FLUSH_INTERVAL_MS }, expected: 2, why: 'SPEC: flush 2 s after the first buffered event' },
  { input: { answer: LIVE, waitMs: LIVE_FLUSH_INTERVAL_MS - 1 }, expected: 1, why: 'watched: still a short wait' },
  { input: { answer: LIVE, waitMs: LIVE_FLUSH_INTERVAL_MS }, expected: 2, why: 'watched: 500 ms, observers need < 2 s delay' },
  { input: { answer: OK, waitMs: 0, padding: MAX_BATCH_CHARS }, expected: 2, why: '256 K characters go at once' },
];

for (const { input, expected, why } of FLUSH_TIMING) {
  const label = `after ${input.answer === LIVE ? 'live: true' : 'live: false'}, ${input.padding ? 'a 256 K event' : 'an event'} + ${input.waitMs} ms`;
  test(`${label}: ${expected} request(s) (${why})`, async () => {
    const { clock, fetch, transport } = setup({ respond: () => input.answer });
    transport.add(event(1));
    transport.flush();
    await settle();
    transport.add(event(2, { padding: 'x'.repeat(input.padding || 0) }));
    clock.advance(input.waitMs);
    await settle();
    assert.equal(fetch.calls.length, expected);
  });
}

test('while the server answers live: true, flushes come every 500 ms; commands reach onAnswer', async () => {
  const command = { type: 'task', task: { task_id: 'purchase', title: 'Buy towels' } };
  const { clock, fetch, transport, answers } = setup({ respond: () => ({ status: 200, body: { ok: true, live: true, commands: [command] } }) });
  transport.add(event(1));
  clock.advance(FLUSH_INTERVAL_MS);
  await settle();
  assert.equal(transport.state.live, true);
  assert.deepEqual(answers[0].commands, [command]);
  transport.add(event(2));
  clock.advance(LIVE_FLUSH_INTERVAL_MS);
  await settle();
  assert.equal(fetch.calls.length, 2);
});

test('while watched and idle, empty polls fetch moderator commands; they stop when nobody watches', async () => {
  const command = { type: 'task', task: { task_id: 'next', title: 'Find the returns page' } };
  let watching = true;
  const { clock, fetch, transport, answers } = setup({
    respond: () => ({ status: 200, body: { ok: true, live: watching, commands: fetch.calls.length === 2 ? [command] : [] } }),
  });
  transport.add(event(1));
  clock.advance(FLUSH_INTERVAL_MS);
  await settle();
  clock.advance(LIVE_POLL_INTERVAL_MS); // the visitor is idle: a poll goes out
  await settle();
  const [, pollBody] = await bodies(fetch);
  assert.deepEqual(pollBody.events, []);
  assert.equal(pollBody.seq, 1, 'a poll reuses the next seq: the server stores nothing for it');
  assert.deepEqual(answers[1].commands, [command]);
  watching = false;
  clock.advance(LIVE_POLL_INTERVAL_MS);
  await settle();
  clock.advance(LIVE_POLL_INTERVAL_MS * 5);
  await settle();
  assert.equal(fetch.calls.length, 3, 'no more polls once the answer says nobody watches');
  transport.add(event(2));
  clock.advance(FLUSH_INTERVAL_MS);
  await settle();
  assert.equal((await bodies(fetch))[3].seq, 1, 'the next real batch takes the seq the polls left free');
});

test('bodies of 1 KB and more are gzipped with Content-Encoding: gzip', async () => {
  const { clock, fetch, transport } = setup({ compress: (text) => gzip(text, CompressionStream) });
  transport.add(event(1)); // small: sent as plain JSON
  clock.advance(FLUSH_INTERVAL_MS);
  await settle();
  transport.add(event(2, { text: 'lorem ipsum '.repeat(500) }));
  clock.advance(FLUSH_INTERVAL_MS);
  await settleUntil(() => fetch.calls.length === 2);
  const [small, big] = fetch.calls;
  assert.equal(small.init.headers['Content-Encoding'], undefined);
  assert.equal(big.init.headers['Content-Encoding'], 'gzip');
  assert.ok(big.init.body.byteLength < 1000, 'compressed');
  assert.equal((await decodeBody(big.init)).events[0].data.id, 2);
});

/** Run the fake clock timer by timer up to `end`, calling `afterEach()` once each timer's work has settled. */
async function runUntil(clock, end, afterEach) {
  for (;;) {
    const next = Math.min(...clock.pending().map((timer) => timer.at));
    if (!(next <= end)) break;
    clock.advance(next - clock.now());
    await settle(4);
    afterEach();
  }
  clock.advance(end - clock.now());
}

/** An answer script: numbers are statuses, 'network' throws, objects are answers as they are. */
function scripted(script) {
  return (url, init, index) => {
    const step = script[Math.min(index, script.length - 1)];
    if (step === 'network') throw new TypeError('Failed to fetch');
    if (typeof step === 'object') return step;
    return step === 200 ? OK : { status: step, body: { ok: false } };
  };
}

// Each row: the answers to one batch, flushed at 2000 ms. expected.at: when each request
// went (ms); random() is 0.5, so each backoff is 75 % of its step (750, 1500, 3000 ms).
const ANSWER_HANDLING = [
  { input: [500, 'network', 503, 200], expected: { at: [2000, 2750, 4250, 7250], queued: 0, healthy: true }, why: '5xx and network errors: the same seq again, with backoff' },
  { input: [408, 200], expected: { at: [2000, 2750], queued: 0, healthy: true }, why: 'a request timeout is retried' },
  { input: [{ status: 429, headers: { 'Retry-After': '9' }, body: { ok: false, error: 'rate_limited' } }, 200], expected: { at: [2000, 11_000], queued: 0, healthy: true }, why: '429 waits exactly Retry-After' },
  { input: [{ status: 429, body: {} }, 200], expected: { at: [2000, 2750], queued: 0, healthy: true }, why: '429 without Retry-After backs off' },
  { input: [503], expected: { at: [2000, 2750, 4250, 7250, 13_250, 25_250, 47_750], queued: 1, healthy: false }, why: 'the backoff doubles up to its 30 s cap, for as long as the page lives' },
  { input: [400], expected: { at: [2000], queued: 0, healthy: true }, why: 'another 4xx: dropped, never resent' },
  { input: [401], expected: { at: [2000], queued: 0, healthy: true, fatal: [401] }, why: 'a refused key stops the transport' },
];

for (const { input, expected, why } of ANSWER_HANDLING) {
  const label = input.map((step) => (typeof step === 'object' ? `${step.status}${step.headers ? ' Retry-After' : ''}` : step)).join(', ');
  test(`answers ${label} → requests at ${expected.at.join(', ')} ms (${why})`, async () => {
    const { clock, fetch, transport, fatal } = setup({ respond: scripted(input) });
    const start = clock.now();
    const at = [];
    transport.add(event(1));
    await runUntil(clock, start + 60_000, () => {
      while (at.length < fetch.calls.length) at.push(clock.now() - start);
    });
    assert.deepEqual(at, expected.at);
    assert.deepEqual((await bodies(fetch)).map((b) => b.seq), expected.at.map(() => 0), 'always the same batch');
    assert.equal(transport.state.queued, expected.queued);
    assert.equal(transport.state.healthy, expected.healthy);
    assert.deepEqual(fatal, expected.fatal || []);
    assert.equal(transport.state.stopped, Boolean(expected.fatal));
  });
}

test('the transport reports itself unhealthy from the first failure to the next acknowledgement', async () => {
  const { clock, transport } = setup({ respond: scripted([500, 200]) });
  transport.add(event(1));
  transport.flush();
  await settle();
  assert.equal(transport.state.healthy, false);
  clock.advance(RETRY_BASE_DELAY_MS);
  await settle();
  assert.equal(transport.state.healthy, true);
});

test('other 4xx drop the batch (logged) and delivery goes on with the next one', async () => {
  const warnings = [];
  const statuses = [400, 200];
  const clock = createClock();
  const fetch = createFetch((url, init, index) => (statuses[index] === 200 ? OK : { status: 400, body: { ok: false, error: 'malformed' } }));
  const transport = createTransport({
    endpoint: 'https://rd.example', key: 'k', fetch, getContext: () => ({ sessionId: 'session-1', windowId: 'window-1', meta: {} }),
    now: clock.now, setTimeout: clock.setTimeout, clearTimeout: clock.clearTimeout,
    log: { warn: (m) => warnings.push(m), error: () => {}, debug: () => {} },
  });
  transport.add(event(1));
  transport.flush();
  transport.add(event(2));
  transport.flush();
  await settle();
  const sent = await bodies(fetch);
  assert.deepEqual(sent.map((b) => b.seq), [0, 1], 'seq 0 was not retried');
  assert.match(warnings[0], /rejected with HTTP 400; dropped/);
  assert.equal(transport.state.queued, 0);
});

test('401 stops the transport for good and reports it once', async () => {
  const { fetch, transport, fatal, clock, storage } = setup({ respond: () => ({ status: 401, body: { ok: false, error: 'unknown_key' } }) });
  transport.add(event(1));
  transport.flush();
  await settle();
  transport.add(event(2));
  transport.flush();
  clock.advance(60_000);
  await settle();
  assert.equal(fetch.calls.length, 1);
  assert.deepEqual(fatal, [401]);
  assert.equal(transport.state.stopped, true);
  assert.equal(storage.map.size, 0, 'nothing kept for a key the server refuses');
  assert.equal(clock.pending().length, 0);
});

test('415 on a gzipped body resends the same batch uncompressed', async () => {
  const { fetch, transport } = setup({
    compress: (text) => gzip(text, CompressionStream),
    respond: (url, init) => (init.headers['Content-Encoding'] === 'gzip' ? { status: 415, body: { ok: false } } : OK),
  });
  transport.add(event(1, { text: 'y'.repeat(5000) }));
  transport.flush();
  await settleUntil(() => fetch.calls.length === 2);
  assert.equal(fetch.calls.length, 2);
  assert.equal(fetch.calls[1].init.headers['Content-Encoding'], undefined);
  assert.equal((await decodeBody(fetch.calls[1].init)).seq, 0);
  assert.equal(transport.state.gzipAllowed, false);
});

test('a failing server puts waiting batches in the outbox; acknowledgement removes them', async () => {
  let up = false;
  const { clock, transport, storage, outbox } = setup({ respond: () => (up ? OK : { status: 502, body: 'Bad Gateway' }) });
  transport.add(event(1));
  transport.flush();
  await settle();
  assert.deepEqual(outbox.load().map((e) => e.id), ['session-0001/window-0001/0']);
  up = true;
  clock.advance(RETRY_BASE_DELAY_MS);
  await settle();
  assert.equal(storage.map.size, 0);
});

test('page exit: waiting batches go by sendBeacon with the key in the query, once', async () => {
  const { transport, beacons, fetch, outbox } = setup();
  transport.add(event(1));
  transport.flushOnExit();
  assert.equal(beacons.length, 1);
  assert.equal(beacons[0].url, 'https://rd.example/api/v1/ingest?key=pk_test');
  assert.equal(JSON.parse(beacons[0].data).events[0].data.id, 1);
  assert.equal(fetch.calls.length, 0);
  transport.flushOnExit(); // pagehide follows visibilitychange
  assert.equal(beacons.length, 1, 'a batch is beaconed once');
  assert.deepEqual(outbox.load().map((e) => e.id), ['session-0001/window-0001/0'], 'a beacon is never confirmed: kept');
});

test('a beaconed batch is sent again by fetch when the page lives on, then forgotten', async () => {
  const { transport, fetch, outbox } = setup();
  transport.add(event(1));
  transport.flushOnExit(); // the tab was hidden, and comes back
  transport.add(event(2));
  transport.flush();
  await settle();
  const sent = await bodies(fetch);
  assert.deepEqual(sent.map((b) => b.seq), [0, 1], 'the server acknowledges the copy it has as a duplicate');
  assert.equal(outbox.load().length, 0);
  assert.equal(transport.state.queued, 0);
});

test('a beacon to a server that went down after its last answer loses nothing', async () => {
  const storage = createStorage();
  const first = setup({ storage }); // every answer so far was 200: the server looked healthy
  first.transport.add(event(1));
  first.transport.flush();
  await settle();
  first.transport.add(event(2));
  first.transport.flushOnExit(); // the server died meanwhile: this beacon goes nowhere
  first.transport.stop();

  const second = setup({ storage, windowId: 'window-0002' });
  second.transport.adopt(second.outbox.load());
  await settle();
  const sent = await bodies(second.fetch);
  assert.deepEqual(sent.map((b) => [b.window_id, b.seq]), [['window-0001', 1]]);
  assert.equal(storage.map.size, 0);
});

test('page exit while the server fails: batches are beaconed anyway and also kept', async () => {
  const { transport, beacons, outbox } = setup({ compress: (text) => gzip(text, CompressionStream), respond: () => ({ status: 503, body: {} }) });
  transport.add(event(1, { text: 'z'.repeat(4000) }));
  transport.flush();
  await settleUntil(() => transport.state.healthy === false);
  transport.add(event(2));
  transport.flushOnExit();
  assert.deepEqual(beacons.map((b) => b.url), [
    'https://rd.example/api/v1/ingest?key=pk_test&compression=gzip', // seq 0 was gzipped when it was sent
    'https://rd.example/api/v1/ingest?key=pk_test',
  ]);
  assert.ok(beacons[0].data instanceof Blob);
  assert.deepEqual(outbox.load().map((e) => e.id), ['session-0001/window-0001/0', 'session-0001/window-0001/1']);
});

test('a beacon the browser refuses (quota, size) keeps the batch in the outbox', async () => {
  const { transport, beacons, outbox } = setup({ beacon: () => false });
  transport.add(event(1));
  transport.flushOnExit();
  assert.equal(beacons.length, 1);
  assert.deepEqual(outbox.load().map((e) => e.id), ['session-0001/window-0001/0']);
});

test('bodies over 64 KiB are never beaconed (browsers drop them), they are kept', async () => {
  const { transport, beacons, outbox } = setup();
  transport.add(event(1, { padding: 'p'.repeat(KEEPALIVE_MAX_BYTES) }));
  transport.flushOnExit();
  assert.equal(beacons.length, 0);
  assert.equal(outbox.load().length, 1);
});

test('the next page sends batches kept by the previous one first, then forgets them', async () => {
  const storage = createStorage();
  const first = setup({ storage, respond: () => ({ status: 503, body: {} }) });
  first.transport.add(event(1));
  first.transport.flush();
  await settle();
  first.transport.add(event(2));
  first.transport.flushOnExit(); // the tab reloads during the outage
  first.transport.stop();

  const second = setup({ storage, windowId: 'window-0002' });
  second.transport.adopt(second.outbox.load());
  await settle();
  const sent = await bodies(second.fetch);
  assert.deepEqual(sent.map((b) => [b.window_id, b.seq]), [['window-0001', 0], ['window-0001', 1]]);
  assert.equal(storage.map.size, 0);
});

test('a minute of server outage loses no event', async () => {
  let serverUp = false;
  const storage = createStorage();
  const { clock, fetch, transport } = setup({
    storage,
    respond: () => {
      if (!serverUp) throw new TypeError('Failed to fetch');
      return OK;
    },
  });
  const expected = [];
  for (let i = 0; i < 900; i += 1) {
    // 90 s of a busy page: one event every 100 ms; the server is down from 0 to 60 s.
    if (i === 600) serverUp = true;
    expected.push(i);
    transport.add(event(i));
    clock.advance(100);
    await settle(2);
  }
  clock.advance(RETRY_MAX_DELAY_MS + FLUSH_INTERVAL_MS);
  await settle();
  const delivered = [];
  const failed = fetch.calls.filter((call) => call.status === 0).length;
  for (const call of fetch.calls.filter((c) => c.status === 200)) {
    (await decodeBody(call.init)).events.forEach((e) => delivered.push(e.data.id));
  }
  assert.ok(failed >= 5, `the outage was felt: ${failed} failed requests`);
  assert.deepEqual(delivered, expected, 'every event delivered once, in order');
  assert.equal(transport.state.queued, 0);
  assert.equal(transport.state.buffered, 0);
  assert.equal(storage.map.size, 0, 'the outbox is empty once everything is delivered');
});

test('memory is bounded: past the cap the oldest batches are dropped', async () => {
  const { transport } = setup({ respond: () => ({ status: 503, body: {} }), outbox: null });
  const padding = 'm'.repeat(200 * 1024);
  for (let i = 0; i < 60; i += 1) {
    transport.add(event(i, { padding }));
    transport.flush();
    await settle(2);
  }
  assert.ok(transport.state.queued <= 41, `${transport.state.queued} batches held`);
  assert.ok(transport.state.queued >= 39);
});

test('stop() flushes what waits and leaves no timer', async () => {
  const { clock, transport, beacons } = setup();
  transport.add(event(1));
  assert.equal(clock.pending().length, 1);
  transport.stop();
  assert.equal(clock.pending().length, 0);
  assert.equal(beacons.length, 1);
  transport.add(event(2));
  assert.equal(transport.state.buffered, 0, 'a stopped transport takes nothing');
});

test('stop({discard: true}) drops everything, the outbox too', async () => {
  const { transport, beacons, storage } = setup({ respond: () => ({ status: 500, body: {} }) });
  transport.add(event(1));
  transport.flush();
  await settle();
  assert.equal(storage.map.size, 1);
  transport.stop({ discard: true });
  assert.equal(beacons.length, 0);
  assert.equal(storage.map.size, 0);
});
