// A page's heatmap: its first frame replayed, the click / rage / dead PNG over it, and
// the sessions behind any spot you click.
import { api } from '../lib/api.js';
import { $, $$, clear, h, readPageData } from '../lib/dom.js';
import { formatDateTime, formatOffset } from '../lib/format.js';
import { initPage, toast } from '../lib/ui.js';
import { mountPageFrame } from '../heatmap/page-frame.js';

initPage();
const data = readPageData();
const state = { kind: data.kind || 'click', variant: data.variant || '', frame: null, overlay: null };

function query(extra = {}) {
  const params = new URLSearchParams({ url: data.url, kind: state.kind, ...extra });
  if (state.variant) params.set('variant', state.variant);
  return params.toString();
}

function syncControls() {
  for (const button of $$('.segmented button')) button.setAttribute('aria-pressed', String(button.dataset.kind === state.kind));
  $('#variant').value = state.variant;
  history.replaceState(null, '', `?${query()}`);
}

async function drawOverlay() {
  if (!state.frame) return;
  const { width, height, wrapper } = state.frame;
  if (!state.overlay) {
    state.overlay = h('img', { class: 'heatmap-overlay', alt: 'Heatmap', style: `width:${width}px;height:${height}px`, onclick: onSpot });
    wrapper.append(state.overlay);
  }
  const src = `/api/v1/heatmap.png?${query({ width: String(width), height: String(height) })}`;
  const response = await fetch(src, { credentials: 'same-origin' });
  $('#heatmap-total').textContent = `${response.headers.get('X-Replaydesk-Points') || 0} points · ${response.headers.get('X-Replaydesk-Sessions') || 0} sessions`;
  const blob = await response.blob();
  if (state.overlay.src.startsWith('blob:')) URL.revokeObjectURL(state.overlay.src);
  state.overlay.src = URL.createObjectURL(blob);
}

function placePin(x, y) {
  $('.heatmap-pin', state.frame.wrapper)?.remove();
  state.frame.wrapper.append(h('div', { class: 'heatmap-pin', style: `left:${x}px;top:${y}px` }));
}

async function onSpot(event) {
  const rect = state.overlay.getBoundingClientRect();
  const x = Math.round(((event.clientX - rect.left) / rect.width) * state.frame.width);
  const y = Math.round(((event.clientY - rect.top) / rect.height) * state.frame.height);
  placePin(x, y);
  try {
    const body = await api(`/api/v1/heatmap/sessions?${query({ x: String(x), y: String(y), radius: '40' })}`);
    showSessions(body.sessions);
  } catch (error) {
    toast(error.message, { error: true });
  }
}

function showSessions(sessions) {
  const list = clear($('#spot-sessions'));
  $('#spot-hint').textContent = sessions.length ? `${sessions.length} session${sessions.length === 1 ? '' : 's'} near this spot` : 'Nobody clicked near this spot.';
  for (const session of sessions) {
    list.append(h('li', { class: 'item', onclick: () => window.location.assign(session.link) },
      h('span', { class: 'at' }, formatOffset(session.offset_ms)),
      h('div', { class: 'what' },
        h('a', { href: session.link }, formatDateTime(session.started_at)),
        h('div', { class: 'detail' }, `${session.count} point${session.count === 1 ? '' : 's'} here · ${formatOffset(session.duration_ms)} long`))));
  }
}

async function load() {
  syncControls();
  try {
    const frame = await api(`/api/v1/heatmap/frame?${query()}`);
    const stage = $('#heatmap-stage');
    $('#heatmap-status').remove();
    state.frame = await mountPageFrame(stage, frame);
    await drawOverlay();
  } catch (error) {
    $('#heatmap-status').textContent = error.message;
  }
}

for (const button of $$('.segmented button')) {
  button.addEventListener('click', () => {
    state.kind = button.dataset.kind;
    syncControls();
    drawOverlay();
  });
}
$('#variant').addEventListener('change', () => {
  state.variant = $('#variant').value;
  syncControls();
  drawOverlay();
});

load();
