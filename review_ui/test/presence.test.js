import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatAgo, presence } from '../src/live/presence.js';

test('connected is live only while batches arrive within the window', () => {
  assert.equal(presence({ connection: 'live', sinceLastBatchMs: 2_000, windowMs: 30_000 }).state, 'live');
  assert.equal(presence({ connection: 'live', sinceLastBatchMs: 30_000, windowMs: 30_000 }).text, 'Live');
  const ended = presence({ connection: 'live', sinceLastBatchMs: 16 * 60_000, windowMs: 30_000 });
  assert.deepEqual([ended.state, ended.text], ['idle', 'Not live · last batch 16 min ago']);
  assert.equal(presence({ connection: 'live', sinceLastBatchMs: 45_000, windowMs: 60_000 }).state, 'live');
});

test('the connection speaks first', () => {
  assert.equal(presence({ connection: 'connecting', sinceLastBatchMs: 0, windowMs: 30_000 }).text, 'Connecting…');
  assert.equal(presence({ connection: 'refused', sinceLastBatchMs: 0, windowMs: 30_000 }).state, 'refused');
});

test('ago reads in the largest sensible unit', () => {
  assert.deepEqual([40_000, 16 * 60_000, 3 * 3_600_000, 5 * 86_400_000].map(formatAgo), ['40 s', '16 min', '3 h', '5 days']);
});
