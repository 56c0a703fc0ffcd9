// The player page: stream the session's events into rrweb-player, and wire the
// controls, timeline, side panel (with the console, network and events panels), notes
// and keyboard shortcuts around it.
import { api } from '../lib/api.js';
import { $, readPageData } from '../lib/dom.js';
import { formatOffset } from '../lib/format.js';
import { SPEEDS, nextSpeed, readSkipInactive, readSpeed, saveSkipInactive, saveSpeed } from '../lib/prefs.js';
import { initPage, isPlainKey, isTyping, localizeTimes, toast } from '../lib/ui.js';
import { rewriteEvents, settledAssetMap } from '../player/assets.js';
import { createClipDialog } from '../player/clip-dialog.js';
import { contextMarkers, normalizeContext } from '../player/context.js';
import { createContextPanels } from '../player/context-panels.js';
import { eventPages } from '../player/loader.js';
import { adjacent, inactivePeriods, markersFromEvents, markersFromSession } from '../player/markers.js';
import { copyMomentLink, createNotes } from '../player/notes.js';
import { markCurrentPage, renderPages, renderSignals, selectTab, wireTabs } from '../player/panel.js';
import { mountPlayer } from '../player/stage.js';
import { createTimeline } from '../player/timeline.js';
import { createVoice } from '../player/voice.js';

const SEEK_MS = 5_000;
const FEED_SLICE = 500; // events handed to the replayer per task
const BIG_SEEK_MS = 30_000;
const PLAY_ICON = 'M4 2.5v11l9-5.5z';
const PAUSE_ICON = 'M3.5 2.5h3v11h-3zM9.5 2.5h3v11h-3z';

performance.mark('replaydesk:module-start');
initPage({ localizeNow: false });
const data = readPageData();
const session = data.session;
const startedAt = session.started_at;
const duration = Math.max(1, session.duration_ms);

const state = { player: null, time: 0, playing: false, loadedUntil: 0, loading: true, pendingSeek: null, resumeAfterLoad: false };
const timeline = createTimeline($('#timeline'), { duration, onSeek: (offset) => seek(offset) });
const notes = createNotes({ session, timeline, onSeek: (offset) => seek(offset) });
const signalMarkers = markersFromSession({ ...session, pages: [], annotations: [] });
const contextPanels = createContextPanels({ startedAt, origin: originOf(session.entry_url), onSeek: (offset) => seek(offset) });
const clipDialog = createClipDialog({ sessionId: session.id, duration });
const voice = createVoice({
  list: async () => (await api(`/api/v1/sessions/${encodeURIComponent(session.id)}/media`)).recordings,
  fetchBlob: async (url) => {
    const response = await fetch(url, { credentials: 'same-origin' });
    if (!response.ok) throw new Error(`The recording could not be loaded (${response.status}).`);
    return response.blob();
  },
  document,
  onReady: showVoiceToggle,
});

wireTabs((name) => contextPanels.shown(name));
setupControls();

/** Markers and lists: after the first frame, so a long session's hundreds of pages
 * do not delay it. */
function renderPanels() {
  timeline.addMarkers(markersFromSession(session));
  renderSignals(session.signals, startedAt, seek);
  renderPages(session.pages, startedAt, seek);
  notes.show();
  if (!session.signals.length && notes.notes.length) selectTab('notes');
  loadContext();
  voice.load().catch((error) => toast(`The think-aloud recording could not be played: ${error.message}`, { error: true }));
}

/** A Voice switch in the controls, once the session has a think-aloud recording. */
function showVoiceToggle(recordings) {
  if (!recordings.length || $('#voice')) return;
  const label = document.createElement('label');
  label.className = 'switch-row voice-switch';
  label.title = 'The participant thinking aloud, in step with the replay (speed keeps the pitch)';
  const box = Object.assign(document.createElement('input'), { type: 'checkbox', id: 'voice', checked: true });
  box.setAttribute('role', 'switch');
  box.addEventListener('change', () => voice.setMuted(!box.checked));
  label.append(box, ' Voice');
  $('#skip-inactive').closest('label').before(label);
  for (const rec of recordings.filter((r) => r.kind === 'video')) $('#stage').append(Object.assign(rec.audio, { className: 'voice-video', hidden: false }));
}

function syncVoice() {
  voice.sync({ offset: state.time, playing: state.playing && !state.skipping, speed: readSpeed() });
}

function originOf(url) {
  try {
    return new URL(url).origin;
  } catch {
    return '';
  }
}

/** Console, network and custom events for their panels and the timeline. */
async function loadContext() {
  try {
    const context = normalizeContext(await api(`/api/v1/sessions/${encodeURIComponent(session.id)}/context`));
    contextPanels.render(context);
    contextPanels.setTime(startedAt + state.time);
    timeline.addMarkers(contextMarkers(context, startedAt, duration));
  } catch (error) {
    contextPanels.fail(`The console, requests and events could not be loaded: ${error.message}`);
  }
}

/** ?t= as the server read it (17000, 17s, 0:17, 1:02:03), within the session. */
function requestedStart() {
  if (data.startError) toast(data.startError, { error: true });
  return data.startMs > 0 ? Math.min(data.startMs, duration) : null;
}

function setStatus(text) {
  const el = $('#stage-status');
  el.hidden = !text;
  el.textContent = text || '';
}

function onTime(offset) {
  state.time = offset;
  timeline.setTime(offset);
  $('#clock').textContent = `${formatOffset(offset)} / ${formatOffset(duration)}`;
  markCurrentPage(session.pages, startedAt, offset);
  contextPanels.setTime(startedAt + offset);
  syncVoice();
}

function onPlayerState(playerState) {
  state.playing = playerState === 'playing';
  $('#play-icon').setAttribute('d', state.playing ? PAUSE_ICON : PLAY_ICON);
  $('#play').setAttribute('aria-label', state.playing ? 'Pause' : 'Play');
  syncVoice();
}

/** Jump to a moment; wait for it to load if the stream has not got there yet. */
function seek(offset) {
  const target = Math.max(0, Math.min(duration, Math.round(offset)));
  // At the last loaded moment itself, more events of that moment may be in the next page.
  if (!state.player || (state.loading && target >= state.loadedUntil)) {
    state.pendingSeek = target;
    onTime(target);
    setBuffering(true);
    return;
  }
  state.player.goto(target, state.playing);
  onTime(target);
}

function togglePlay() {
  if (!state.player) return;
  if (state.playing) state.player.pause();
  else state.player.goto(state.time >= duration - 50 ? 0 : state.time, true);
}

function setBuffering(on) {
  let badge = $('#buffering');
  if (on && !badge) {
    badge = document.createElement('div');
    badge.id = 'buffering';
    badge.className = 'buffering';
    badge.textContent = 'Loading…';
    $('#stage').append(badge);
  } else if (!on && badge) badge.remove();
}

function setupControls() {
  const speed = $('#speed');
  for (const value of SPEEDS) speed.append(new Option(`${value}×`, String(value), false, value === readSpeed()));
  speed.addEventListener('change', () => setSpeed(Number(speed.value)));
  const skip = $('#skip-inactive');
  skip.checked = readSkipInactive();
  skip.addEventListener('change', () => {
    saveSkipInactive(skip.checked);
    state.player?.toggleSkipInactive();
  });
  $('#play').addEventListener('click', togglePlay);
  $('#add-note').addEventListener('click', openNote);
  $('#copy-moment').addEventListener('click', () => copyMomentLink(session.id, state.time));
  $('#make-clip').addEventListener('click', () => {
    state.player?.pause();
    clipDialog.open(state.time);
  });
  document.addEventListener('keydown', onKey);
}

function setSpeed(value) {
  saveSpeed(value);
  $('#speed').value = String(value);
  state.player?.setSpeed(value);
  syncVoice();
}

function openNote() {
  state.player?.pause();
  notes.open(state.time);
}

function jumpToSignal(direction) {
  const marker = adjacent(signalMarkers, state.time, direction);
  if (marker) seek(marker.offset);
}

function onKey(event) {
  if (isTyping(event) || !isPlainKey(event) || document.querySelector('dialog[open]')) return;
  const actions = {
    ' ': togglePlay,
    ArrowLeft: () => seek(state.time - (event.shiftKey ? BIG_SEEK_MS : SEEK_MS)),
    ArrowRight: () => seek(state.time + (event.shiftKey ? BIG_SEEK_MS : SEEK_MS)),
    n: openNote, N: openNote,
    '[': () => jumpToSignal(-1), ']': () => jumpToSignal(1),
    s: () => $('#skip-inactive').click(), S: () => $('#skip-inactive').click(),
    '<': () => setSpeed(nextSpeed(readSpeed(), -1)), '>': () => setSpeed(nextSpeed(readSpeed(), 1)),
  };
  const action = actions[event.key];
  if (!action) return;
  event.preventDefault(); // also keeps Space from pressing a focused marker or button a second time
  action();
}

function absorb(events, { rewritten = false } = {}) {
  if (!rewritten) rewriteEvents(events, data.assets);
  timeline.addMarkers(markersFromEvents(events, startedAt));
  timeline.addInactive(inactivePeriods(events, startedAt, absorb.inactivity));
  if (events.length) state.loadedUntil = events[events.length - 1].timestamp - startedAt;
  timeline.setLoaded(state.loading ? state.loadedUntil : duration);
}
absorb.inactivity = {};

function start(player) {
  state.player = player;
  player.addEventListener('ui-update-current-time', ({ payload }) => onTime(payload));
  player.addEventListener('ui-update-player-state', ({ payload }) => onPlayerState(payload));
  // Skipping inactivity fast-forwards the replay: the voice waits for it (nothing is said then).
  player.getReplayer().on('skip-start', () => { state.skipping = true; syncVoice(); });
  player.getReplayer().on('skip-end', () => { state.skipping = false; syncVoice(); });
  // Played past what has arrived: carry on from there once the next page is in.
  player.addEventListener('finish', () => { if (state.loading) state.resumeAfterLoad = true; });
  $('#play').disabled = false;
  const at = requestedStart();
  if (at !== null) seek(at); // a shared moment opens paused on that moment
  else player.play();
}

function resumePendingSeek() {
  if (state.pendingSeek === null || (state.loading && state.pendingSeek >= state.loadedUntil)) return;
  const target = state.pendingSeek;
  state.pendingSeek = null;
  setBuffering(false);
  state.player.goto(target, state.playing);
  onTime(target);
}

/** Hand a page of events to the replayer in slices, yielding between them so playback
 * and input stay smooth; the player's metadata (its end time) is refreshed once per slice. */
async function feed(player, events) {
  const replayer = player.getReplayer();
  for (let start = 0; start < events.length; start += FEED_SLICE) {
    const slice = events.slice(start, start + FEED_SLICE);
    for (let i = 0; i < slice.length - 1; i += 1) replayer.addEvent(slice[i]);
    player.addEvent(slice[slice.length - 1]);
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
}

async function load() {
  const pages = eventPages(data.eventsUrl, { firstLimit: data.firstLimit });
  // A session recorded seconds ago may still have its fonts and images being cached: wait for them.
  const assets = settledAssetMap(`/api/v1/sessions/${encodeURIComponent(session.id)}/assets`,
    { map: data.assets, pending: data.assetsPending });
  const first = await pages.next();
  const events = first.done ? [] : first.value;
  performance.mark('replaydesk:first-events'); // bench/player.py reports the breakdown
  if (events.length < 2) {
    setStatus('Nothing to replay: this session has too few events.');
    return;
  }
  data.assets = await assets;
  rewriteEvents(events, data.assets);
  let shown;
  const firstFrame = new Promise((resolve) => { shown = resolve; });
  const player = mountPlayer($('#stage'), events, { speed: readSpeed(), skipInactive: readSkipInactive(), onFirstFrame: () => shown() });
  performance.mark('replaydesk:player-mounted');
  start(player);
  await firstFrame; // everything else waits until the reviewer sees the page
  setStatus('');
  localizeTimes();
  absorb(events, { rewritten: true });
  renderPanels();
  for await (const page of pages) {
    absorb(page);
    await feed(player, page);
    resumePendingSeek();
    if (state.resumeAfterLoad) {
      state.resumeAfterLoad = false;
      player.goto(state.time, true);
    }
  }
  state.loading = false;
  timeline.setLoaded(duration);
  resumePendingSeek();
}

load().catch((error) => {
  setStatus(error.message);
  toast(error.message, { error: true });
});
