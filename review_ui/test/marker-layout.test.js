import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clusterMarkers, clusterTitle, describeCluster } from '../src/player/marker-layout.js';

const m = (id, kind, offset, label = kind) => ({ id, kind, offset, label });

test('markers that would overlap on a lane become one cluster with a count', () => {
  // 60 s over 600 px: 10 px per second; the main lane needs 14 px (1.4 s) apart.
  const clusters = clusterMarkers([
    m('a', 'rage_click', 17_000), m('b', 'note', 17_500), m('c', 'dead_click', 18_300),
    m('d', 'rage_click', 30_000), m('e', 'rage_click', 31_000),
    m('p', 'pageview', 17_100), m('x', 'console_error', 17_200),
  ], { duration: 60_000, widthPx: 600 });
  assert.deepEqual(clusters.map((c) => [c.lane, c.offset, c.kind, c.markers.map((x) => x.id).join('')]), [
    ['main', 17_000, 'cluster', 'abc'], // c is 13 px after a: still on top of it
    ['page', 17_100, 'pageview', 'p'], // other lanes are drawn apart
    ['console', 17_200, 'console_error', 'x'],
    ['main', 30_000, 'rage_click', 'de'], // one kind: the cluster keeps its colour
  ]);
});

test('a wider track pulls clusters apart', () => {
  const markers = [m('a', 'rage_click', 17_000), m('b', 'note', 17_500), m('c', 'dead_click', 18_300)];
  assert.equal(clusterMarkers(markers, { duration: 60_000, widthPx: 600 }).length, 1);
  assert.equal(clusterMarkers(markers, { duration: 60_000, widthPx: 2400 }).length, 3);
});

test('markers past the end cluster with what is drawn at the end', () => {
  const clusters = clusterMarkers([m('a', 'rage_click', 59_500), m('b', 'note', 61_000), m('c', 'note', 90_000)],
    { duration: 60_000, widthPx: 600 });
  assert.deepEqual(clusters.map((c) => c.markers.length), [3]);
});

test('a cluster says what it holds', () => {
  const [cluster] = clusterMarkers([m('a', 'rage_click', 17_000, 'Rage click ×3'), m('b', 'note', 19_000, 'Note: coupon')],
    { duration: 600_000, widthPx: 300 });
  assert.equal(describeCluster(cluster), '2 markers from 0:17 to 0:19: Rage click ×3, Note: coupon');
  assert.equal(clusterTitle(cluster), '0:17 Rage click ×3\n0:19 Note: coupon');
  const many = clusterMarkers(Array.from({ length: 15 }, (_, i) => m(`n${i}`, 'note', i * 10, `n${i}`)), { duration: 600_000, widthPx: 300 })[0];
  assert.equal(many.kind, 'note');
  assert.match(clusterTitle(many), /\nand 3 more$/);
});
