import assert from 'node:assert/strict';
import { test } from 'node:test';
import { depthAt, heatmapQuery, widthOptions } from '../src/heatmap/query.js';

test('the heatmap query carries the page or pattern, the kind and only the filters set', () => {
  assert.equal(heatmapQuery({ url: 'https://s.test/product/*', kind: 'click', variant: '', viewport: 'mobile' }),
    'url=https%3A%2F%2Fs.test%2Fproduct%2F*&kind=click&viewport=mobile');
  assert.equal(heatmapQuery({ url: 'https://s.test/', kind: 'scroll', variant: 'e:A', viewport: '' }, { width: '390' }),
    'url=https%3A%2F%2Fs.test%2F&kind=scroll&width=390&variant=e%3AA');
});

test('recorded widths become options, most common first', () => {
  assert.deepEqual(widthOptions([{ width: 390, sessions: 3 }, { width: 1280, sessions: 1 }]),
    [{ value: '390', label: '390 px (3 sessions)' }, { value: '1280', label: '1280 px (1 session)' }]);
});

test('how many visits saw a depth', () => {
  assert.equal(depthAt([2000, 1500, 900, 800], 1000), '50 % of 4 visits saw this far.');
  assert.equal(depthAt([], 10), 'Nobody scrolled this page yet.');
});
