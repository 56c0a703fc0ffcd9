import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RIPPLE_MS, captionUrl, clicksOf, pageAt, pagesOf, rippleAt, rippleLook } from '../src/player/clip-frames.js';

const T0 = 1_795_000_000_000;
const click = (ts, x, y, type = 2) => ({ type: 3, timestamp: ts, data: { source: 2, type, id: 5, x, y } });

test('clicks and double clicks are taken in time order, other interactions and bad ones left out', () => {
  const clicks = clicksOf([
    click(T0 + 500, 10, 20),
    click(T0 + 100, 1, 2, 4), // double click, earlier
    click(T0 + 200, 3, 4, 1), // mouse down
    click(T0 + 300, 3, 4, 5), // focus
    { type: 3, timestamp: T0 + 400, data: { source: 2, type: 2, id: 5 } }, // no position
    { type: 3, timestamp: T0 + 450, data: { source: 1, positions: [] } }, // mouse move
    null,
  ]);
  assert.deepEqual(clicks, [{ ts: T0 + 100, x: 1, y: 2 }, { ts: T0 + 500, x: 10, y: 20 }]);
});

test('a ripple grows from its click for RIPPLE_MS, at the click, and the latest click wins', () => {
  const clicks = [{ ts: 1000, x: 10, y: 20 }, { ts: 1200, x: 50, y: 60 }];
  assert.equal(rippleAt(clicks, 999), null);
  assert.deepEqual(rippleAt(clicks, 1000), { x: 10, y: 20, progress: 0 });
  assert.deepEqual(rippleAt(clicks, 1150), { x: 10, y: 20, progress: 150 / RIPPLE_MS });
  assert.deepEqual(rippleAt(clicks, 1200), { x: 50, y: 60, progress: 0 });
  assert.equal(rippleAt(clicks, 1200 + RIPPLE_MS), null);
  assert.equal(rippleAt([], 5), null);
});

test('a ripple widens and fades to nothing', () => {
  assert.deepEqual(rippleLook(0), { size: 18, opacity: 0.75 });
  assert.deepEqual(rippleLook(1), { size: 72, opacity: 0 });
  assert.ok(rippleLook(0.5).size > 18 && rippleLook(0.5).opacity < 0.75);
  assert.deepEqual(rippleLook(7), rippleLook(1));
});

test('the page at a moment comes from meta events; before the first, the first', () => {
  const pages = pagesOf([
    { type: 4, timestamp: T0 + 5000, data: { href: 'https://shop.test/cart', width: 1, height: 1 } },
    { type: 4, timestamp: T0, data: { href: 'https://shop.test/', width: 1, height: 1 } },
    { type: 2, timestamp: T0 + 1, data: {} },
  ]);
  assert.equal(pageAt(pages, T0 - 1), 'https://shop.test/');
  assert.equal(pageAt(pages, T0 + 4999), 'https://shop.test/');
  assert.equal(pageAt(pages, T0 + 5000), 'https://shop.test/cart');
  assert.equal(pageAt([], T0), '');
});

test('a caption shows host, path and query', () => {
  assert.equal(captionUrl('https://shop.test/'), 'shop.test');
  assert.equal(captionUrl('https://shop.test:8443/cart?step=2#x'), 'shop.test:8443/cart?step=2');
  assert.equal(captionUrl('not a url'), 'not a url');
  assert.equal(captionUrl(undefined), '');
});
