import assert from 'node:assert/strict';
import test from 'node:test';
import { KEEPALIVE_MAX_BYTES, MIN_COMPRESS_CHARS, REQUEST_TIMEOUT_MS } from '../src/constants.js';
import { createIngestRequest, gzip, readAnswer, requestInit } from '../src/ingest_request.js';
import { createClock, createFetch, decodeBody, settle } from '../testing/fakes.js';

const compress = (text) => gzip(text, CompressionStream);

function setup({ respond, withCompress = true, AbortControllerClass = null } = {}) {
  const clock = createClock();
  const fetch = createFetch(respond);
  const request = createIngestRequest({
    endpoint: 'https://rd.example',
    key: 'pk_test',
    fetch,
    compress: withCompress ? compress : null,
    setTimer: clock.setTimeout,
    clearTimer: clock.clearTimeout,
    AbortControllerClass,
  });
  return { clock, fetch, request };
}

const batchOf = (chars) => ({ id: 's/w/0', body: JSON.stringify({ seq: 0, pad: 'a'.repeat(Math.max(0, chars - 18)) }), seq: 0 });

test('a batch is POSTed to the ingest route with the key header, no cookies, CORS', async () => {
  const { fetch, request } = setup();
  await request.post(batchOf(100));
  const [{ url, init }] = fetch.calls;
  assert.equal(url, 'https://rd.example/api/v1/ingest');
  assert.equal(init.method, 'POST');
  assert.equal(init.headers['X-Replaydesk-Key'], 'pk_test');
  assert.equal(init.headers['Content-Type'], 'application/json');
  assert.equal(init.credentials, 'omit');
  assert.equal(init.mode, 'cors');
  assert.equal(init.keepalive, true);
});

const INITS = [
  { input: { bytes: 100, gzipped: false }, expected: { encoding: undefined, keepalive: true }, why: 'plain JSON, small enough to outlive the page' },
  { input: { bytes: 100, gzipped: true }, expected: { encoding: 'gzip', keepalive: true }, why: 'gzip says so in Content-Encoding' },
  { input: { bytes: KEEPALIVE_MAX_BYTES, gzipped: false }, expected: { encoding: undefined, keepalive: true }, why: '64 KiB is the most a keepalive request may carry' },
  { input: { bytes: KEEPALIVE_MAX_BYTES + 1, gzipped: false }, expected: { encoding: undefined, keepalive: false }, why: 'browsers refuse larger keepalive bodies' },
];

for (const { input, expected, why } of INITS) {
  test(`requestInit of ${input.bytes} bytes, gzipped ${input.gzipped}: Content-Encoding ${expected.encoding}, keepalive ${expected.keepalive} (${why})`, () => {
    const init = requestInit({ key: 'k', body: new Uint8Array(input.bytes), gzipped: input.gzipped, signal: undefined });
    assert.equal(init.headers['Content-Encoding'], expected.encoding);
    assert.equal(init.keepalive, expected.keepalive);
  });
}

const ENCODINGS = [
  { input: { chars: MIN_COMPRESS_CHARS - 1, withCompress: true }, expected: undefined, why: 'below 1 KB gzip framing would outweigh the gain' },
  { input: { chars: MIN_COMPRESS_CHARS, withCompress: true }, expected: 'gzip', why: '1 KB and more is gzipped' },
  { input: { chars: 5000, withCompress: false }, expected: undefined, why: 'no CompressionStream: always plain' },
  { input: { chars: 5000, withCompress: true, refused: true }, expected: undefined, why: 'once the server answered 415, plain from then on' },
];

for (const { input, expected, why } of ENCODINGS) {
  test(`a ${input.chars}-character body goes with Content-Encoding ${expected} (${why})`, async () => {
    const { fetch, request } = setup({ withCompress: input.withCompress });
    if (input.refused) request.refuseGzip();
    const batch = batchOf(input.chars);
    assert.equal(batch.body.length, input.chars);
    const { gzipped } = await request.post(batch);
    assert.equal(fetch.calls[0].init.headers['Content-Encoding'], expected);
    assert.equal(gzipped, expected === 'gzip');
    assert.deepEqual(await decodeBody(fetch.calls[0].init), JSON.parse(batch.body));
    assert.equal(request.gzipAllowed(), input.withCompress && !input.refused);
  });
}

test('a gzipped body is compressed once and kept on the batch for its resends and beacon', async () => {
  let compressions = 0;
  const clock = createClock();
  const fetch = createFetch();
  const counting = (text) => {
    compressions += 1;
    return compress(text);
  };
  const request = createIngestRequest({ endpoint: 'e', key: 'k', fetch, compress: counting, setTimer: clock.setTimeout, clearTimer: clock.clearTimeout });
  const batch = batchOf(4000);
  await request.post(batch);
  await request.post(batch);
  assert.equal(compressions, 1);
  assert.ok(batch.gzipped instanceof Uint8Array);
});

const ANSWERS = [
  { input: { status: 200, body: { ok: true, live: true } }, expected: { status: 200, answer: { ok: true, live: true }, retryAfter: null }, why: 'the JSON of a 2xx' },
  { input: { status: 200, body: 'not json' }, expected: { status: 200, answer: {}, retryAfter: null }, why: 'garbage from the server is an empty answer, not an exception' },
  { input: { status: 503, body: { ok: false } }, expected: { status: 503, answer: { ok: false }, retryAfter: null }, why: 'a failure body is read too' },
  { input: { status: 400, body: { ok: false, message: 'seq must be an integer' } }, expected: { status: 400, answer: { ok: false, message: 'seq must be an integer' }, retryAfter: null }, why: 'a refusal says why' },
  { input: { status: 502, body: '<html>' }, expected: { status: 502, answer: {}, retryAfter: null }, why: "a proxy's HTML page is an empty answer" },
  { input: { status: 429, body: {}, headers: { 'Retry-After': '9' } }, expected: { status: 429, answer: {}, retryAfter: '9' }, why: 'Retry-After is handed on as sent' },
  { input: 'network', expected: { status: 0, answer: null, retryAfter: null }, why: 'no answer at all is status 0' },
];

for (const { input, expected, why } of ANSWERS) {
  test(`an answer of ${input === 'network' ? 'a network error' : `HTTP ${input.status}`} resolves to status ${expected.status} (${why})`, async () => {
    const { request } = setup({
      respond: () => {
        if (input === 'network') throw new TypeError('Failed to fetch');
        return input;
      },
    });
    const { status, answer, retryAfter } = await request.post(batchOf(100));
    assert.deepEqual({ status, answer, retryAfter }, expected);
  });
}

test('a request unanswered after 20 s is aborted; an answered one leaves no timer', async () => {
  const aborted = [];
  class FakeAbortController {
    constructor() {
      this.signal = { id: aborted.length };
    }
    abort() {
      aborted.push(this.signal.id);
    }
  }
  let release;
  const { clock, request, fetch } = setup({ AbortControllerClass: FakeAbortController, respond: () => new Promise((resolve) => (release = resolve)) });
  const pending = request.post(batchOf(100));
  await settle();
  assert.equal(fetch.calls[0].init.signal.id, 0);
  clock.advance(REQUEST_TIMEOUT_MS - 1);
  assert.deepEqual(aborted, []);
  clock.advance(1);
  assert.deepEqual(aborted, [0]);
  release({ status: 200, body: {} });
  await pending;
  const second = request.post(batchOf(100));
  await settle();
  release({ status: 200, body: {} });
  await second;
  assert.equal(clock.pending().length, 0);
});

const READ_ANSWERS = [
  { input: { live: true, commands: [{ type: 'task' }], duplicate: true }, expected: { live: true, commands: [{ type: 'task' }], duplicate: true }, why: 'as the server sent it' },
  { input: { live: 'yes', commands: 'none' }, expected: { live: false, commands: [], duplicate: false }, why: 'only a real true is live; commands must be a list' },
  { input: {}, expected: { live: false, commands: [], duplicate: false }, why: 'an empty answer (unreadable JSON)' },
  { input: null, expected: { live: false, commands: [], duplicate: false }, why: 'JSON null' },
];

for (const { input, expected, why } of READ_ANSWERS) {
  test(`readAnswer(${JSON.stringify(input)}) (${why})`, () => {
    assert.deepEqual(readAnswer(input), expected);
  });
}
