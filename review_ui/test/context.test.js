import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  compactPayload, contextMarkers, filterConsole, filterEvents, filterNetwork, formatBytes, formatMs, indexAtOrBefore,
  levelCounts, normalizeContext, requestLabel, scrollToReveal, statusClass, statusText, tagCounts, waterfallBar,
  waterfallNow, waterfallWindow,
} from '../src/player/context.js';

const T0 = 1_795_000_000_000;

function request(fields) {
  return { ts: fields.start_ms ?? T0, url: 'http://shop.test/api/cart', method: 'GET', status: 200, error: null,
    initiator: 'fetch', start_ms: T0, duration_ms: 100, transfer_bytes: 512, ...fields };
}

test('the entry at or before a moment: the last one not after it, -1 before the first', () => {
  const entries = [{ ts: 10 }, { ts: 20 }, { ts: 20 }, { ts: 35 }];
  assert.equal(indexAtOrBefore(entries, 5), -1);
  assert.equal(indexAtOrBefore(entries, 10), 0);
  assert.equal(indexAtOrBefore(entries, 19), 0);
  assert.equal(indexAtOrBefore(entries, 20), 2); // of equal times, the later one
  assert.equal(indexAtOrBefore(entries, 34), 2);
  assert.equal(indexAtOrBefore(entries, 10_000), 3);
  assert.equal(indexAtOrBefore([], 10), -1);
});

test('the context is sorted by time and has every list even when the answer lacks one', () => {
  const context = normalizeContext({ console: [{ ts: 3 }, { ts: 1 }], slow_ms: 2000, truncated: { network: true } });
  assert.deepEqual(context.console.map((e) => e.ts), [1, 3]);
  assert.deepEqual([context.network, context.events, context.slowMs], [[], [], 2000]);
  assert.deepEqual(context.truncated, { console: false, network: true, events: false });
  assert.equal(normalizeContext(null).slowMs, 1000);
});

test('console: levels combine, none chosen shows all; text matches message and trace, any case', () => {
  const entries = [
    { ts: 1, level: 'error', message: 'TypeError: cart is undefined', trace: ['at checkout (app.js:10:5)'] },
    { ts: 2, level: 'warn', message: 'Deprecated API', trace: [] },
    { ts: 3, level: 'log', message: 'cart ready', trace: [] },
  ];
  assert.equal(filterConsole(entries).length, 3);
  assert.deepEqual(filterConsole(entries, { levels: ['error', 'warn'] }).map((e) => e.ts), [1, 2]);
  assert.deepEqual(filterConsole(entries, { text: 'CART' }).map((e) => e.ts), [1, 3]);
  assert.deepEqual(filterConsole(entries, { text: 'app.js' }).map((e) => e.ts), [1]);
  assert.deepEqual(filterConsole(entries, { levels: ['log'], text: 'typeerror' }), []);
  assert.deepEqual(levelCounts(entries), { error: 1, warn: 1, info: 0, log: 1, debug: 0 });
});

test('network: status classes, failed (≥ 400 or no response) and slow, then text', () => {
  const requests = [
    request({ start_ms: T0, status: 200 }),
    request({ start_ms: T0 + 1, status: 304, url: 'http://shop.test/logo.png', initiator: 'img' }),
    request({ start_ms: T0 + 2, status: 404, url: 'http://shop.test/api/coupon?code=***' }),
    request({ start_ms: T0 + 3, status: 503, method: 'POST' }),
    request({ start_ms: T0 + 4, status: null, error: 'network error', duration_ms: null, url: 'https://api.pay.test/charge' }),
    request({ start_ms: T0 + 5, status: 200, duration_ms: 2400 }),
  ];
  const starts = (list) => list.map((r) => r.start_ms - T0);
  assert.deepEqual(requests.map(statusClass), ['2xx', '3xx', '4xx', '5xx', 'none', '2xx']);
  assert.deepEqual(starts(filterNetwork(requests, { status: 'failed' })), [2, 3, 4]);
  assert.deepEqual(starts(filterNetwork(requests, { status: 'slow', slowMs: 1000 })), [5]);
  assert.deepEqual(starts(filterNetwork(requests, { status: 'slow', slowMs: 5000 })), []);
  assert.deepEqual(starts(filterNetwork(requests, { status: '4xx' })), [2]);
  assert.deepEqual(starts(filterNetwork(requests, { status: 'none' })), [4]);
  assert.deepEqual(starts(filterNetwork(requests, { text: 'coupon' })), [2]);
  assert.deepEqual(starts(filterNetwork(requests, { text: 'post' })), [3]);
  assert.deepEqual(starts(filterNetwork(requests, { text: '503' })), [3]);
  assert.deepEqual(starts(filterNetwork(requests, { text: 'network error' })), [4]);
  assert.deepEqual(starts(filterNetwork(requests, { status: 'failed', text: 'pay.test' })), [4]);
  // the server's own verdicts win over the client's guess
  assert.deepEqual(filterNetwork([request({ status: 200, failed: true })], { status: 'failed' }).length, 1);
  assert.deepEqual(filterNetwork([request({ duration_ms: 5000, slow: false })], { status: 'slow' }).length, 0);
  assert.equal(statusText(requests[4]), 'network error');
  assert.equal(statusText(request({ status: null, error: null })), '?');
  assert.equal(statusText(requests[2]), '404');
});

test('events: one tag, product events only (no $ tags), text in tag or payload', () => {
  const events = [
    { ts: 1, tag: '$pageview', payload: { url: 'http://shop.test/' } },
    { ts: 2, tag: 'checkout_started', payload: { cart_value: 42, coupon: 'SPRING' } },
    { ts: 3, tag: 'coupon_failed', payload: { reason: 'expired' } },
    { ts: 4, tag: 'checkout_started', payload: {} },
  ];
  const times = (list) => list.map((e) => e.ts);
  assert.deepEqual(times(filterEvents(events)), [1, 2, 3, 4]);
  assert.deepEqual(times(filterEvents(events, { sdk: false })), [2, 3, 4]);
  assert.deepEqual(times(filterEvents(events, { tag: 'checkout_started' })), [2, 4]);
  assert.deepEqual(times(filterEvents(events, { text: 'spring' })), [2]);
  assert.deepEqual(times(filterEvents(events, { text: 'coupon' })), [2, 3]);
  assert.deepEqual(tagCounts(events), [{ tag: '$pageview', count: 1 }, { tag: 'checkout_started', count: 2 }, { tag: 'coupon_failed', count: 1 }]);
  assert.deepEqual(times(filterEvents(events, { text: '"cart_value":42' })), [2]); // as JSON
  assert.deepEqual(times(filterEvents(events, { text: 'coupon: spring' })), [2]); // as shown
  assert.equal(compactPayload({ cart_value: 42, coupon: 'SPRING', lines: [{ sku: 'a' }] }), 'cart_value: 42, coupon: SPRING, lines: [{"sku":"a"}]');
  assert.equal(compactPayload({}), '');
  assert.equal(compactPayload({ referrer: '', n: null }), 'referrer: "", n: null');
  assert.equal(compactPayload(['a', 1]), '["a",1]');
  assert.equal(compactPayload({ text: 'x'.repeat(300) }, 12), 'text: xxxxx…');
});

test('waterfall: bars span the visible requests, the shortest stays visible, nothing leaves the track', () => {
  const requests = [
    request({ start_ms: T0, duration_ms: 1000 }),
    request({ start_ms: T0 + 1000, duration_ms: 3000 }),
    request({ start_ms: T0 + 2000, duration_ms: null }),
  ];
  const window = waterfallWindow(requests);
  assert.deepEqual(window, { start: T0, end: T0 + 4000 });
  assert.deepEqual(waterfallBar(requests[0], window), { left: 0, width: 25 });
  assert.deepEqual(waterfallBar(requests[1], window), { left: 25, width: 75 });
  assert.deepEqual(waterfallBar(requests[2], window), { left: 50, width: 0.6 }); // no duration: a tick
  const last = waterfallBar(request({ start_ms: T0 + 4000, duration_ms: 0 }), window);
  assert.ok(last.left + last.width <= 100 && last.width > 0);
  assert.deepEqual(waterfallWindow([request({ start_ms: T0, duration_ms: null })]), { start: T0, end: T0 + 1000 });
  assert.equal(waterfallWindow([]), null);
  assert.equal(waterfallNow(T0 + 1000, window), 25);
  assert.equal(waterfallNow(T0 - 1, window), null);
  assert.equal(waterfallNow(T0, null), null);
});

test('a row is revealed by scrolling its list only as far as needed', () => {
  const view = { scrollTop: 100, height: 200 };
  assert.equal(scrollToReveal({ top: 150, height: 40 }, view), null); // in view
  assert.equal(scrollToReveal({ top: 40, height: 40 }, view), 32); // above: to its top (less the margin)
  assert.equal(scrollToReveal({ top: 320, height: 40 }, view), 168); // below: its bottom to the bottom
  assert.equal(scrollToReveal({ top: 2, height: 40 }, { scrollTop: 50, height: 200 }), 0);
});

test('labels: sizes, durations, URLs on and off the session origin', () => {
  assert.deepEqual([formatBytes(null), formatBytes(512), formatBytes(1536), formatBytes(123_456), formatBytes(2_500_000)],
    ['—', '512 B', '1.5 kB', '123 kB', '2.5 MB']);
  assert.deepEqual([formatMs(null), formatMs(42), formatMs(1250), formatMs(12_345)], ['—', '42 ms', '1.25 s', '12.3 s']);
  assert.equal(requestLabel('http://shop.test/api/cart?token=***', 'http://shop.test'), '/api/cart?token=***');
  assert.equal(requestLabel('https://api.pay.test/v1/charge', 'http://shop.test'), 'api.pay.test/v1/charge');
  assert.equal(requestLabel('not a url', ''), 'not a url');
});

test('timeline markers: console errors and failed requests, close ones merged into one', () => {
  const context = normalizeContext({
    console: [
      { ts: T0 + 1000, level: 'error', message: 'TypeError: x' },
      { ts: T0 + 1100, level: 'error', message: 'TypeError: y' }, // same slice of a 60 s session
      { ts: T0 + 2000, level: 'warn', message: 'not marked' },
      { ts: T0 + 30_000, level: 'error', message: 'later' },
    ],
    network: [
      request({ ts: T0 + 5000, start_ms: T0 + 5000, status: 404, url: 'http://shop.test/api/coupon' }),
      request({ ts: T0 + 6000, start_ms: T0 + 6000, status: 200 }),
    ],
  });
  const markers = contextMarkers(context, T0, 60_000);
  assert.deepEqual(markers.map((m) => [m.kind, m.offset, m.label]), [
    ['console_error', 1000, '2 console errors'],
    ['console_error', 30_000, 'Console error: later'],
    ['failed_request', 5000, 'Failed request: GET /api/coupon → 404'],
  ]);
  assert.equal(markers[0].detail, 'Console error: TypeError: x');
  assert.equal(new Set(markers.map((m) => m.id)).size, markers.length);
});
