// A page's heatmap: its first frame replayed at the chosen viewport, the click / rage /
// dead / scroll-depth PNG over it, and what is behind any spot you click (the sessions,
// or how many visits saw that far). The page may be a pattern of pages (/product/*).
import { api } from '../lib/api.js';
import { $, $$, clear, h, readPageData } from '../lib/dom.js';
import { formatDateTime, formatOffset } from '../lib/format.js';
import { initPage, toast } from '../lib/ui.js';
import { mountPageFrame } from '../heatmap/page-frame.js';
import { depthAt, heatmapQuery, widthOptions } from '../heatmap/query.js';

initPage();
const data = readPageData();
const state = { url: data.url, kind: data.kind || 'click', variant: data.variant || '', viewport: data.viewport || '',
  frame: null, overlay: null, depths: null };

const query = (extra = {}) => heatmapQuery(state, extra);

function syncControls() {
  for (const button of $$('.segmented button')) button.setAttribute('aria-pressed', String(button.dataset.kind === state.kind));
  $('#variant').value = state.variant;
  $('#viewport').value = state.viewport;
  $('#scroll-legend').hidden = state.kind !== 'scroll';
  $('#spot-hint').textContent = state.kind === 'scroll' ? 'Click the map to see how many visits saw that far.'
    : 'Click the heatmap to list the sessions behind a spot.';
  clear($('#spot-sessions'));
  history.replaceState(null, '', `?${heatmapQuery(state)}`);
}

async function drawOverlay() {
  if (!state.frame) return;
  const { width, height, wrapper } = state.frame;
  if (!state.overlay) {
    state.overlay = h('img', { class: 'heatmap-overlay', alt: 'Heatmap', style: `width:${width}px;height:${height}px`, onclick: onSpot });
    wrapper.append(state.overlay);
  }
  const src = `/api/v1/heatmap.png?${query({ width: String(width), height: String(height) })}`;
  $('#heatmap-total').textContent = '';
  const response = await fetch(src, { credentials: 'same-origin' });
  const sessions = response.headers.get('X-Replaydesk-Sessions') || 0;
  $('#heatmap-total').textContent = state.kind === 'scroll' ? `${sessions} visits`
    : `${response.headers.get('X-Replaydesk-Points') || 0} points · ${sessions} sessions`;
  const blob = await response.blob();
  if (state.overlay.src.startsWith('blob:')) URL.revokeObjectURL(state.overlay.src);
  state.overlay.src = URL.createObjectURL(blob);
  state.overlay.dataset.kind = state.kind;
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
    if (state.kind === 'scroll') {
      state.depths ??= (await api(`/api/v1/heatmap/scroll?${query()}`)).depths;
      $('#spot-hint').textContent = depthAt(state.depths, y);
      return;
    }
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

/** The backdrop: the newest visit at this viewport, rendered at its width. */
async function loadFrame() {
  const stage = clear($('#heatmap-stage'));
  state.frame = null;
  state.overlay = null;
  state.depths = null;
  $('#heatmap-total').textContent = '';
  const status = h('div', { class: 'empty', id: 'heatmap-status' }, 'Rendering the page…');
  stage.append(status);
  try {
    const frame = await api(`/api/v1/heatmap/frame?${query()}`);
    status.remove();
    state.frame = await mountPageFrame(stage, frame);
    stage.dataset.width = String(state.frame.width);
    await drawOverlay();
  } catch (error) {
    status.textContent = error.status === 404 ? 'No visit of this page at this viewport.' : error.message;
  }
}

async function offerWidths() {
  try {
    const { widths } = await api(`/api/v1/heatmap/viewports?${heatmapQuery({ url: state.url, kind: 'click', variant: state.variant })}`);
    const select = $('#viewport');
    for (const option of widthOptions(widths)) select.append(new Option(option.label, option.value));
    select.value = state.viewport;
  } catch {
    // the classes still work without the list of exact widths
  }
}

for (const button of $$('.segmented button')) {
  button.addEventListener('click', () => {
    state.kind = button.dataset.kind;
    state.depths = null;
    syncControls();
    drawOverlay();
  });
}
$('#variant').addEventListener('change', () => {
  state.variant = $('#variant').value;
  syncControls();
  loadFrame();
});
$('#viewport').addEventListener('change', () => {
  state.viewport = $('#viewport').value;
  syncControls();
  loadFrame();
});

offerWidths().then(() => {
  syncControls();
  loadFrame();
});
