import assert from 'node:assert/strict';
import { test } from 'node:test';
import { reachedElsewhere, receivedState } from '../src/projects/install-check.js';
import { settingsBody } from '../src/projects/settings-form.js';

test('the install check turns green only for a batch after the page opened', () => {
  assert.equal(receivedState({ openedAt: 1000, lastReceivedAt: null, now: 1000 }).text, 'Waiting for the first event…');
  const old = receivedState({ openedAt: 1_000_000, lastReceivedAt: 1_000_000 - 3 * 3_600_000, now: 1_000_000 });
  assert.deepEqual([old.state, old.text], ['waiting', 'Waiting for a new event… (the last one arrived 3 h ago)']);
  assert.equal(receivedState({ openedAt: 1000, lastReceivedAt: 1500, now: 2000 }).state, 'received');
});

test('a page reached elsewhere than the public URL is noticed', () => {
  assert.equal(reachedElsewhere('http://127.0.0.1:5000', 'http://127.0.0.1:8080'), true);
  assert.equal(reachedElsewhere('http://127.0.0.1:5000', 'http://127.0.0.1:5000'), false);
  assert.equal(reachedElsewhere('not a url', 'http://x'), false);
});

const SPECS = [
  { name: 'rage_min_clicks', default: 3, unit: 'clicks' },
  { name: 'rage_radius_px', default: 30, unit: 'px' },
  { name: 'goal_url_patterns', default: ['*thank*'], unit: 'glob' },
  { name: 'ignore_selectors', default: [], unit: 'CSS selector' },
];

test('the settings form keeps only what differs from the defaults', () => {
  assert.deepEqual(settingsBody({ rage_min_clicks: '4', rage_radius_px: '30', goal_url_patterns: '*thank*', ignore_selectors: '' }, SPECS),
    { detectors: { rage_min_clicks: 4 }, goal_urls: [] });
  assert.deepEqual(settingsBody({ rage_min_clicks: '', goal_url_patterns: '*/done*\n\n */thanks* ', ignore_selectors: '.carousel button\n#promo' }, SPECS),
    { detectors: { ignore_selectors: ['.carousel button', '#promo'] }, goal_urls: ['*/done*', '*/thanks*'] });
  assert.throws(() => settingsBody({ rage_min_clicks: 'many' }, SPECS), /rage_min_clicks must be a number/);
});
