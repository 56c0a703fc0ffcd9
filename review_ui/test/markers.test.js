import assert from 'node:assert/strict';
import { test } from 'node:test';
import { adjacent, inactivePeriods, markersFromEvents, markersFromSession, signalMarker, signalRequestText } from '../src/player/markers.js';

const T0 = 1_795_000_000_000;

test('signals, notes and page views of a session become markers at their offsets', () => {
  const markers = markersFromSession({
    started_at: T0,
    pages: [{ url: 'http://shop.test/cart.html', title: 'Cart', entered: T0 + 1000, left: T0 + 9000 }],
    signals: [{ id: 7, kind: 'rage_click', ts: T0 + 4200, url: 'http://shop.test/cart.html', count: 4, target: { selector: '#apply' } }],
    annotations: [{ id: 3, ts: T0 + 5000, text: '<script>alert(1)</script>', author: 'a@b.c' }],
  });
  assert.deepEqual(markers.map((m) => [m.kind, m.offset]), [['pageview', 1000], ['rage_click', 4200], ['note', 5000]]);
  assert.equal(markers[1].label, 'Rage click ×4');
  assert.equal(markers[1].detail, '#apply · /cart.html');
  assert.equal(markers[2].label, 'Note: <script>alert(1)</script>'); // text, rendered as text by the DOM helpers
});

test('tasks and errors come from custom events', () => {
  const markers = markersFromEvents([
    { type: 5, timestamp: T0 + 10, data: { tag: '$task', payload: { task_id: 'purchase', status: 'start' } } },
    { type: 5, timestamp: T0 + 20, data: { tag: '$error', payload: { message: 'ReferenceError: x', source: 'http://shop.test/app.js' } } },
    { type: 5, timestamp: T0 + 30, data: { tag: 'product_event', payload: {} } },
    { type: 3, timestamp: T0 + 40, data: { source: 2 } },
  ], T0);
  assert.deepEqual(markers.map((m) => [m.kind, m.offset, m.label]), [
    ['task', 10, 'Task purchase: start'], ['error', 20, 'Error: ReferenceError: x']]);
});

test('gaps over 10 s between interactions are found across pages of events', () => {
  const state = {};
  const click = (offset) => ({ type: 3, timestamp: T0 + offset, data: { source: 2 } });
  const mutation = (offset) => ({ type: 3, timestamp: T0 + offset, data: { source: 0 } });
  assert.deepEqual(inactivePeriods([click(1000), mutation(5000), click(9000)], T0, state), []);
  assert.deepEqual(inactivePeriods([click(25_000), click(30_000)], T0, state), [{ start: 9000, end: 25_000 }]);
});

test('[ and ] find the previous and next signal', () => {
  const markers = [{ offset: 1000 }, { offset: 5000 }, { offset: 9000 }];
  assert.equal(adjacent(markers, 5000, 1).offset, 9000);
  assert.equal(adjacent(markers, 5000, -1).offset, 1000);
  assert.equal(adjacent(markers, 9500, 1), null);
});

test('a click signal followed by a failed request names it, in the marker too', () => {
  const signal = { id: 9, kind: 'dead_click', ts: T0 + 5000, url: 'http://shop.test/checkout', count: 1, target: { selector: '#apply' },
    details: { request: { url: 'http://shop.test/api/coupon?code=***', method: 'POST', status: 404, error: null } } };
  assert.equal(signalRequestText(signal), 'Request failed: POST /api/coupon?code=*** → 404');
  assert.equal(signalMarker(signal, T0).detail, '#apply · /checkout\nRequest failed: POST /api/coupon?code=*** → 404');
  const unanswered = { ...signal, details: { request: { url: 'https://pay.test/charge', method: 'POST', status: null, error: 'network error' } } };
  assert.equal(signalRequestText(unanswered), 'Request failed: POST pay.test/charge → network error'); // another host
  assert.equal(signalRequestText({ ...signal, details: {} }), '');
  assert.equal(signalRequestText({ ...signal, details: undefined }), '');
});
