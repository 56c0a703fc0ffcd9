// The scrubber: played and loaded ranges, inactive stretches, and a marker per signal,
// note, page view, task, error, console error and failed request. Clicking the track or a marker seeks.
import { h } from '../lib/dom.js';
import { formatOffset, kindLabel } from '../lib/format.js';
import { describe } from './markers.js';

// Console errors and failed requests sit in a lane of their own under the track.
const LEGEND = ['rage_click', 'dead_click', 'error_click', 'quick_back', 'dead_end', 'note', 'pageview', 'task', 'error',
  'console_error', 'failed_request'];

export function createTimeline(root, { duration, onSeek }) {
  const played = h('div', { class: 'track-played' });
  const loaded = h('div', { class: 'track-loaded' });
  const bar = h('div', { class: 'track-bar' }, loaded, played);
  const playhead = h('div', { class: 'playhead' });
  const hover = h('div', { class: 'hover-time', hidden: true });
  const track = h('div', { class: 'track', role: 'slider', tabindex: '0', 'aria-label': 'Session time',
    'aria-valuemin': '0', 'aria-valuemax': String(duration), 'aria-valuenow': '0' }, bar, playhead, hover);
  const legend = h('div', { class: 'legend', 'aria-hidden': 'true' },
    LEGEND.map((kind) => h('span', { 'data-kind': kind }, kind === 'pageview' ? 'Page view' : kindLabel(kind))));
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

  function addMarker(marker) {
    const button = h('button', {
      type: 'button', class: 'marker', 'data-kind': marker.kind, 'data-id': marker.id, 'data-offset': String(marker.offset),
      'aria-label': describe(marker), title: `${describe(marker)}${marker.detail ? `\n${marker.detail}` : ''}`,
      style: `left: ${percent(marker.offset)}`,
      onclick: (event) => { event.stopPropagation(); onSeek(marker.offset, marker); },
    });
    track.append(button);
    return button;
  }

  return {
    track,
    addMarkers(markers) { for (const marker of markers) addMarker(marker); },
    removeMarker(id) { track.querySelector(`.marker[data-id="${CSS.escape(id)}"]`)?.remove(); },
    addMarker,
    addInactive(periods) {
      for (const { start, end } of periods) {
        bar.insertBefore(h('div', { class: 'track-inactive', style: `left: ${percent(start)}; width: calc(${percent(end)} - ${percent(start)})` }), played);
      }
    },
    setTime(offset) {
      played.style.width = percent(offset);
      playhead.style.left = percent(offset);
      track.setAttribute('aria-valuenow', String(Math.round(offset)));
      track.setAttribute('aria-valuetext', formatOffset(offset));
    },
    setLoaded(offset) { loaded.style.width = percent(offset); },
  };
}
