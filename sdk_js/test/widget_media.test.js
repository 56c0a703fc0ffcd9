import assert from 'node:assert/strict';
import test from 'node:test';
import { createMediaUploader, KEEPALIVE_BYTES, pickMimeType, recordingId, startRecorder, uploadOutcome } from '../src/widget_media.js';
import { createClock, createFetch, settle } from '../testing/fakes.js';

const piece = (size, tag = 'x') => ({ size, tag });

function uploader(respond) {
  const clock = createClock();
  const fetch = createFetch(respond);
  const warnings = [];
  const queue = createMediaUploader({
    fetch, endpoint: 'https://rd.test', key: 'k1', sessionId: () => 'session-0001', recording: 'rec-abcdefgh12345678',
    kind: 'audio', mime: 'audio/webm;codecs=opus', startedAt: 1_700_000_000_500,
    setTimeout: clock.setTimeout, clearTimeout: clock.clearTimeout, log: { warn: (m) => warnings.push(m) },
  });
  return { queue, fetch, clock, warnings };
}

test('what an answer means for a piece', () => {
  const rows = [[200, 'done'], [0, 'retry'], [404, 'retry'], [408, 'retry'], [429, 'retry'], [503, 'retry'],
    [400, 'drop'], [401, 'drop'], [409, 'drop'], [413, 'drop']];
  for (const [status, outcome] of rows) assert.equal(uploadOutcome(status), outcome, String(status));
});

test('pieces go one at a time, in order, with the session, recording and start', async () => {
  const { queue, fetch } = uploader();
  queue.add(0, piece(10, 'a'));
  queue.add(1, piece(10, 'b'));
  await settle();
  assert.equal(fetch.calls.length, 2);
  const url = new URL(fetch.calls[0].url);
  assert.equal(url.pathname, '/api/v1/media');
  assert.deepEqual(Object.fromEntries(url.searchParams), {
    session_id: 'session-0001', recording: 'rec-abcdefgh12345678', seq: '0', kind: 'audio', started_at: '1700000000500',
  });
  assert.equal(fetch.calls[0].init.headers['Content-Type'], 'audio/webm;codecs=opus');
  assert.equal(fetch.calls[0].init.headers['X-Replaydesk-Key'], 'k1');
  assert.equal(fetch.calls[0].init.credentials, 'omit');
  assert.deepEqual(fetch.calls.map((c) => new URL(c.url).searchParams.get('seq')), ['0', '1']);
  assert.equal(queue.pending, 0);
});

test('a session not stored yet (404) or a network error waits and sends the same piece again', async () => {
  const { queue, fetch, clock } = uploader((url, init, n) => (n === 0 ? { status: 404 } : n === 1 ? Promise.reject(new Error('offline')) : { status: 200 }));
  queue.add(0, piece(10));
  queue.add(1, piece(10));
  await settle();
  assert.equal(fetch.calls.length, 1);
  assert.deepEqual(clock.pending().map((t) => t.delay), [1000]);
  clock.advance(1000);
  await settle();
  assert.deepEqual(clock.pending().map((t) => t.delay), [2000], 'backs off');
  clock.advance(2000);
  await settle();
  assert.deepEqual(fetch.calls.map((c) => new URL(c.url).searchParams.get('seq')), ['0', '0', '0', '1']);
  assert.equal(queue.pending, 0);
});

test('a refused piece is dropped (warned once) and the rest go on', async () => {
  const { queue, fetch, warnings } = uploader((url) => ({ status: new URL(url).searchParams.get('seq') === '0' ? 400 : 200 }));
  queue.add(0, piece(5));
  queue.add(1, piece(5));
  await settle();
  assert.equal(fetch.calls.length, 2);
  assert.equal(warnings.length, 1);
});

test('a closing page sends what keepalive can carry', async () => {
  const { queue, fetch } = uploader(() => new Promise(() => {})); // the first piece never answers
  queue.add(0, piece(10));
  queue.add(1, piece(KEEPALIVE_BYTES - 100));
  queue.add(2, piece(200)); // over the budget left
  await settle();
  queue.flushOnExit();
  await settle();
  const kept = fetch.calls.filter((c) => c.init.keepalive);
  assert.deepEqual(kept.map((c) => new URL(c.url).searchParams.get('seq')), ['1']);
});

test('the recorder asks for the devices, records in one-second pieces and releases them', async () => {
  const tracks = [{ stopped: false, stop() { this.stopped = true; } }];
  const stream = { getTracks: () => tracks };
  const asked = [];
  const navigator = { mediaDevices: { getUserMedia: async (constraints) => { asked.push(constraints); return stream; } } };
  const made = [];
  class FakeRecorder {
    static isTypeSupported(type) { return type === 'audio/webm;codecs=opus'; }
    constructor(s, options) { this.options = options; this.state = 'inactive'; made.push(this); }
    start(slice) { this.slice = slice; this.state = 'recording'; }
    stop() { this.state = 'inactive'; }
    get mimeType() { return this.options.mimeType; }
  }
  const pieces = [];
  const recording = await startRecorder({ navigator, MediaRecorder: FakeRecorder, camera: false, now: () => 42, onPiece: (seq, blob) => pieces.push([seq, blob.size]) });
  assert.deepEqual(asked, [{ audio: true, video: false }]);
  assert.equal(made[0].slice, 1000);
  assert.equal(made[0].options.mimeType, 'audio/webm;codecs=opus');
  made[0].ondataavailable({ data: { size: 3 } });
  made[0].ondataavailable({ data: { size: 0 } }); // nothing recorded: no piece
  made[0].ondataavailable({ data: { size: 4 } });
  assert.deepEqual(pieces, [[0, 3], [1, 4]]);
  assert.equal(recording.startedAt, 42);
  recording.stop();
  assert.equal(made[0].state, 'inactive');
  assert.ok(tracks[0].stopped, 'the microphone is released');
  await assert.rejects(startRecorder({ navigator: {}, MediaRecorder: FakeRecorder, camera: false, now: () => 0, onPiece() {} }));
});

test('types and ids', () => {
  assert.equal(pickMimeType({ isTypeSupported: () => false }, false), '');
  assert.equal(pickMimeType({ isTypeSupported: (t) => t.startsWith('video/webm') }, true), 'video/webm;codecs=vp8,opus');
  assert.match(recordingId(() => 0.5), /^rec-[a-z0-9]{16}$/);
});
