import assert from 'node:assert/strict';
import { test } from 'node:test';
import { viewQuery } from '../src/sessions/saved-views.js';

test('a view keeps filters and sort, not the page cursor or empty fields', () => {
  assert.equal(viewQuery('?signal=rage_click&signal=dead_click&url=&sort=-frustration&cursor=abc'),
    'signal=rage_click&signal=dead_click&sort=-frustration');
  assert.equal(viewQuery(''), '');
});
