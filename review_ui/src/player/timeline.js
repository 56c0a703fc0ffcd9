// The scrubber: played and loaded ranges, inactive stretches, and a marker per signal,
// note, page view, task, error, console error and failed request. Markers that would
// overlap at the track's width become one cluster with a count (marker-layout.js), laid
// out again when the track is resized. Clicking the track or a marker seeks.
import { h } from '../lib/dom.js';
import { formatOffset, kindLabel } from '../lib/format.js';
import { clusterMarkers, clusterTitle, describeCluster } from './marker-layout.js';
import { describe } from './markers.js';

// Every kind a marker can have, in the legend's order; console errors and failed
// requests sit in a lane of their own under the track.
export const SIGNAL_KINDS = ['rage_click', 'dead_click', 'error_click', 'quick_back', 'dead_end', 'thrashed_cursor',
  'excessive_scroll', 'form_abandon'];
const LEGEND = [...SIGNAL_KINDS, 'note', 'pageview', 'task', 'error', 'console_error', 'failed_request', 'cluster'];
const LEGEND_LABEL = { pageview: 'Page view', cluster: 'Several (count)' };

export function createTimeline(root, { duration, onSeek }) {
  const played = h('div', { class: 'track-played' });
  const loaded = h('div', { class: 'track-loaded' });
  const bar = h('div', { class: 'track-bar' }, loaded, played);
  const playhead = h('div', { class: 'playhead' });
  const hover = h('div', { class: 'hover-time', hidden: true });
  // The slider and the marker buttons are siblings: a control inside a slider is lost to
  // assistive technology (and axe's nested-interactive rule).
  const slider = h('div', { class: 'track-slider', role: 'slider', tabindex: '0', 'aria-label': 'Session time',
    'aria-valuemin': '0', 'aria-valuemax': String(duration), 'aria-valuenow': '0' }, bar, playhead);
  const markerLayer = h('div', { class: 'track-markers' });
  const track = h('div', { class: 'track' }, slider, markerLayer, hover);
  const legend = h('div', { class: 'legend', 'aria-hidden': 'true' },
    LEGEND.map((kind) => h('span', { 'data-kind': kind }, LEGEND_LABEL[kind] || kindLabel(kind))));
  root.append(track, legend);
  const total = Math.max(duration, 1);
  const percent = (offset) => `${Math.min(100, Math.max(0, (offset / total) * 100))}%`;

  function offsetAt(clientX) {
    const rect = track.getBoundingClientRect();
    return Math.round(Math.min(1, Math.max(0, (clientX - rect.left) / rect.width)) * total);
  }

  track.addEventListener('click', (event) => {
    if (event.target.closest('.marker')) return;
    onSeek(offsetAt(event.clientX));
  });
  track.addEventListener('mousemove', (event) => {
    const offset = offsetAt(event.clientX);
    hover.hidden = false;
    hover.style.left = percent(offset);
    hover.textContent = formatOffset(offset);
  });
  track.addEventListener('mouseleave', () => { hover.hidden = true; });

  const markers = new Map(); // id → marker
  let pending = 0;

  function markerButton(marker) {
    return h('button', {
      type: 'button', class: 'marker', 'data-kind': marker.kind, 'data-id': marker.id, 'data-offset': String(marker.offset),
      'aria-label': describe(marker), title: `${describe(marker)}${marker.detail ? `\n${marker.detail}` : ''}`,
      style: `left: ${percent(marker.offset)}`,
      onclick: (event) => { event.stopPropagation(); onSeek(marker.offset, marker); },
    });
  }

  function clusterButton(cluster) {
    const count = cluster.markers.length;
    return h('button', {
      type: 'button', class: `marker cluster lane-${cluster.lane}`, 'data-kind': cluster.kind, 'data-count': String(count),
      'data-id': cluster.markers.map((m) => m.id).join(' '), 'data-offset': String(cluster.offset),
      'aria-label': describeCluster(cluster), title: clusterTitle(cluster), style: `left: ${percent(cluster.offset)}`,
      onclick: (event) => { event.stopPropagation(); onSeek(cluster.offset, cluster.markers[0]); },
    }, cluster.lane === 'main' ? (count > 99 ? '99+' : String(count)) : null);
  }

  /** Draw the markers again, clustered for the track's width; keeps focus on the marker that had it. */
  function layout() {
    pending = 0;
    const focusedId = document.activeElement?.closest?.('.marker')?.dataset.id?.split(' ')[0];
    for (const old of markerLayer.querySelectorAll('.marker')) old.remove();
    const clusters = clusterMarkers([...markers.values()], { duration: total, widthPx: track.clientWidth });
    for (const cluster of clusters) {
      const button = cluster.markers.length === 1 ? markerButton(cluster.markers[0]) : clusterButton(cluster);
      markerLayer.append(button);
      if (focusedId && cluster.markers.some((m) => m.id === focusedId)) button.focus({ preventScroll: true });
    }
  }

  function scheduleLayout() {
    if (!pending) pending = requestAnimationFrame(layout);
  }
  new ResizeObserver(scheduleLayout).observe(track);

  function addMarker(marker) {
    markers.set(marker.id, marker);
    scheduleLayout();
  }

  return {
    track,
    addMarkers(markers) { for (const marker of markers) addMarker(marker); },
    removeMarker(id) {
      markers.delete(id);
      scheduleLayout();
    },
    addMarker,
    addInactive(periods) {
      for (const { start, end } of periods) {
        bar.insertBefore(h('div', { class: 'track-inactive', style: `left: ${percent(start)}; width: calc(${percent(end)} - ${percent(start)})` }), played);
      }
    },
    setTime(offset) {
      played.style.width = percent(offset);
      playhead.style.left = percent(offset);
      slider.setAttribute('aria-valuenow', String(Math.round(offset)));
      slider.setAttribute('aria-valuetext', formatOffset(offset));
    },
    setLoaded(offset) { loaded.style.width = percent(offset); },
  };
}
