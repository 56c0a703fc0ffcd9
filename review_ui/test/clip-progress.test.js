import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clipStatus, fileUrl, followClip, rangeAround, rangeFields } from '../src/player/clip-progress.js';

test('a new clip covers 5 s either side of the moment, within the session', () => {
  assert.deepEqual(rangeAround(17_000, 60_000), { from: 12_000, to: 22_000 });
  assert.deepEqual(rangeAround(2_000, 60_000), { from: 0, to: 7_000 });
  assert.deepEqual(rangeAround(58_500, 60_000), { from: 53_500, to: 60_000 });
  assert.deepEqual(rangeAround(99_000, 60_000), { from: 55_000, to: 60_000 });
  assert.deepEqual(rangeFields(17_400, 60_000), { from: '0:12', to: '0:22' });
  assert.deepEqual(rangeFields(58_500, 59_999), { from: '0:53', to: '0:59' }); // never past the end
});

test('a clip state reads as one line', () => {
  assert.equal(clipStatus({ state: 'queued', progress: 0 }), 'Queued…');
  assert.equal(clipStatus({ state: 'rendering', progress: 0.456 }), 'Rendering… 45%');
  assert.equal(clipStatus({ state: 'done', progress: 1, duration_ms: 8000, format: 'mp4', size: 98_304 }), 'Ready: 0:08 MP4, 96 KB');
  assert.equal(clipStatus({ state: 'done', duration_ms: 16000, format: 'gif', size: 3_500_000 }), 'Ready: 0:16 GIF, 3.3 MB');
  assert.equal(clipStatus({ state: 'failed', error: 'Chromium is not installed.' }), 'Failed: Chromium is not installed.');
  assert.equal(fileUrl({ id: 7 }), '/api/v1/clips/7/file');
});

test('following a clip asks until it is done and reports each answer', async () => {
  const answers = [{ id: 3, state: 'rendering', progress: 0.5 }, { id: 3, state: 'done', progress: 1 }];
  const asked = [];
  const seen = [];
  const last = await followClip({ id: 3, state: 'queued', progress: 0 }, {
    get: async (url) => { asked.push(url); return answers.shift(); },
    onUpdate: (clip) => seen.push(clip.state),
    wait: async () => {},
  });
  assert.equal(last.state, 'done');
  assert.deepEqual(seen, ['queued', 'rendering', 'done']);
  assert.deepEqual(asked, ['/api/v1/clips/3', '/api/v1/clips/3']);
});

test('a failed clip ends the following too', async () => {
  const last = await followClip({ id: 4, state: 'failed', error: 'x' }, { get: async () => assert.fail('no need to ask') });
  assert.equal(last.state, 'failed');
});
