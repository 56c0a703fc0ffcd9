import assert from 'node:assert/strict';
import test from 'node:test';
import { KEEPALIVE_MAX_BYTES } from '../src/constants.js';
import { createExitBeacon } from '../src/exit_beacon.js';

const URL = 'https://rd.example/api/v1/ingest?key=pk%2Ftest';

function batch(seq, { chars = 20, gzippedBytes = 0, beaconed = false } = {}) {
  return { id: `s/w/${seq}`, body: JSON.stringify({ seq, pad: 'p'.repeat(chars) }), seq, gzipped: gzippedBytes ? new Uint8Array(gzippedBytes) : null, beaconed };
}

function setup({ accept = () => true, gzipAllowed = true } = {}) {
  const beacons = [];
  const beaconOnce = createExitBeacon({
    endpoint: 'https://rd.example',
    key: 'pk/test',
    sendBeacon: (url, data) => {
      beacons.push({ url, data });
      return accept(beacons.length - 1);
    },
    isGzipAllowed: () => gzipAllowed,
  });
  return { beaconOnce, beacons };
}

// expected: the URL of each beacon sent, and which batches count as beaconed.
const ROWS = [
  {
    input: { batches: [batch(0), batch(1)] },
    expected: { urls: [URL, URL], beaconed: [true, true] },
    why: 'plain JSON as text/plain, the key (URL-encoded) in the query: a beacon cannot set headers',
  },
  {
    input: { batches: [batch(0, { gzippedBytes: 300 })] },
    expected: { urls: [`${URL}&compression=gzip`], beaconed: [true] },
    why: 'a batch gzipped when it was sent goes as the same bytes, the encoding in the query',
  },
  {
    input: { batches: [batch(0, { gzippedBytes: 300 })], gzipAllowed: false },
    expected: { urls: [URL], beaconed: [true] },
    why: 'once the server refused gzip, the plain body goes',
  },
  {
    input: { batches: [batch(0, { chars: KEEPALIVE_MAX_BYTES }), batch(1)] },
    expected: { urls: [], beaconed: [false, false] },
    why: 'over 64 KiB browsers drop a beacon: not sent, and the rest waits in the outbox too',
  },
  {
    input: { batches: [batch(0, { chars: KEEPALIVE_MAX_BYTES * 2, gzippedBytes: KEEPALIVE_MAX_BYTES + 1 })] },
    expected: { urls: [], beaconed: [false] },
    why: 'the gzipped bytes are what counts against the 64 KiB',
  },
  {
    input: { batches: [batch(0), batch(1), batch(2)], accept: (index) => index === 0 },
    expected: { urls: [URL, URL], beaconed: [true, false, false] },
    why: 'the browser refused the second (quota used up): the rest are not tried',
  },
  {
    input: {
      batches: [batch(0), batch(1)],
      accept: () => {
        throw new TypeError('Illegal invocation');
      },
    },
    expected: { urls: [URL], beaconed: [false, false] },
    why: 'a sendBeacon that throws counts as a refusal, and never reaches the page',
  },
  {
    input: { batches: [batch(0, { beaconed: true }), batch(1)] },
    expected: { urls: [URL], beaconed: [true, true] },
    why: 'pagehide follows visibilitychange: a batch is beaconed once',
  },
];

for (const { input, expected, why } of ROWS) {
  test(`page exit with ${input.batches.length} waiting: ${expected.urls.length} beacon(s) (${why})`, () => {
    const { beaconOnce, beacons } = setup({ accept: input.accept, gzipAllowed: input.gzipAllowed ?? true });
    beaconOnce(input.batches);
    assert.deepEqual(beacons.map((b) => b.url), expected.urls);
    assert.deepEqual(input.batches.map((b) => b.beaconed), expected.beaconed);
  });
}

test('a plain beacon carries the JSON text; a gzipped one a Blob of the gzipped bytes', async () => {
  const { beaconOnce, beacons } = setup();
  const plain = batch(0);
  const gzipped = batch(1, { gzippedBytes: 5 });
  beaconOnce([plain, gzipped]);
  assert.equal(beacons[0].data, plain.body);
  assert.ok(beacons[1].data instanceof Blob);
  assert.deepEqual(new Uint8Array(await beacons[1].data.arrayBuffer()), gzipped.gzipped);
});

test('without sendBeacon (old browsers, tests) nothing is beaconed', () => {
  const beaconOnce = createExitBeacon({ endpoint: 'e', key: 'k', sendBeacon: null, isGzipAllowed: () => true });
  const waiting = [batch(0)];
  beaconOnce(waiting);
  assert.equal(waiting[0].beaconed, false);
});
