// Where timeline markers go: markers that would overlap on their lane at the track's
// current width become one cluster with a count. Pure: markers in, clusters out.
import { formatOffset } from '../lib/format.js';

// Lanes are drawn apart (page views as thin lines, console errors and failed requests as
// two rows of ticks under the bar), so only markers of one lane can hide each other.
const LANE_OF_KIND = { pageview: 'page', console_error: 'console', failed_request: 'network' };
// Closer than this (px between left edges) and two markers overlap: the main markers
// are 12 px wide, ticks 5 px, page lines 2 px.
export const MIN_GAP_PX = { main: 14, console: 7, network: 7, page: 4 };
const LISTED_IN_TITLE = 12;

export const laneOf = (kind) => LANE_OF_KIND[kind] || 'main';

/**
 * clusterMarkers(markers, {duration, widthPx}) → [{lane, offset, kind, markers}] in
 * offset order. A cluster starts at its first marker and takes every later marker of
 * its lane closer than the lane's gap to that first one; `kind` is the markers' kind
 * when they share one, else "cluster".
 */
export function clusterMarkers(markers, { duration, widthPx }) {
  const pxPerMs = Math.max(1, widthPx) / Math.max(1, duration);
  // Drawn within the track: a marker past the end (a note on a moment the events never
  // reached) sits at the end, on top of whatever is there.
  const px = (marker) => Math.min(Math.max(0, marker.offset), duration) * pxPerMs;
  const byLane = new Map();
  for (const marker of markers) {
    const lane = laneOf(marker.kind);
    if (!byLane.has(lane)) byLane.set(lane, []);
    byLane.get(lane).push(marker);
  }
  const clusters = [];
  for (const [lane, laneMarkers] of byLane) {
    let current = null;
    for (const marker of [...laneMarkers].sort((a, b) => a.offset - b.offset)) {
      if (current && px(marker) - px(current) < MIN_GAP_PX[lane]) {
        current.markers.push(marker);
        if (current.kind !== marker.kind) current.kind = 'cluster';
      } else {
        current = { lane, offset: marker.offset, kind: marker.kind, markers: [marker] };
        clusters.push(current);
      }
    }
  }
  return clusters.sort((a, b) => a.offset - b.offset);
}

/** "3 markers from 0:17 to 0:19: Rage click ×3, Note: …, Page: /cart" for a cluster's label. */
export function describeCluster(cluster) {
  const { markers } = cluster;
  const last = markers[markers.length - 1].offset;
  const span = last > cluster.offset ? `from ${formatOffset(cluster.offset)} to ${formatOffset(last)}` : `at ${formatOffset(cluster.offset)}`;
  return `${markers.length} markers ${span}: ${markers.map((m) => m.label).join(', ')}`;
}

/** The lines of a cluster's tooltip: each marker, at most LISTED_IN_TITLE of them. */
export function clusterTitle(cluster) {
  const lines = cluster.markers.slice(0, LISTED_IN_TITLE).map((m) => `${formatOffset(m.offset)} ${m.label}`);
  const more = cluster.markers.length - LISTED_IN_TITLE;
  return more > 0 ? [...lines, `and ${more} more`].join('\n') : lines.join('\n');
}
