import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eventPages } from '../src/player/loader.js';

function fakeServer(pages) {
  const requested = [];
  const fetchImpl = async (url) => {
    requested.push(url);
    const index = requested.length - 1;
    const headers = new Map([['X-Replaydesk-Cursor', `cursor-${index}`]]);
    if (index < pages.length - 1) headers.set('Link', `</api/v1/sessions/s/events?after=cursor-${index}>; rel="next"`);
    return { ok: true, status: 200, headers: { get: (name) => headers.get(name) ?? null }, json: async () => pages[index] };
  };
  return { fetchImpl, requested };
}

test('a small first page, then big pages that follow the cursor until no next link', async () => {
  const { fetchImpl, requested } = fakeServer([[1, 2], [3, 4, 5], [6]]);
  const seen = [];
  for await (const page of eventPages('/api/v1/sessions/s/events', { firstLimit: 2, pageLimit: 3, fetchImpl })) seen.push(page);
  assert.deepEqual(seen, [[1, 2], [3, 4, 5], [6]]);
  assert.deepEqual(requested, [
    '/api/v1/sessions/s/events?limit=2',
    '/api/v1/sessions/s/events?after=cursor-0&limit=3',
    '/api/v1/sessions/s/events?after=cursor-1&limit=3',
  ]);
});

test('a failed page stops the stream with a readable error', async () => {
  const fetchImpl = async () => ({ ok: false, status: 500, headers: { get: () => null } });
  await assert.rejects(eventPages('/e', { firstLimit: 10, fetchImpl }).next(), /server answered 500/);
});
