// A shared replay: the player without a login, notes or panels. It plays the link's
// range (from_ms to to_ms into the session; the server sends no event after it).
import { $, readPageData } from '../lib/dom.js';
import { formatOffset } from '../lib/format.js';
import { SPEEDS, readSpeed, saveSpeed } from '../lib/prefs.js';
import { initPage, isPlainKey, isTyping } from '../lib/ui.js';
import { rewriteEvents } from '../player/assets.js';
import { eventPages } from '../player/loader.js';
import { mountPlayer } from '../player/stage.js';
import { createTimeline } from '../player/timeline.js';

const SEEK_MS = 5_000;
const PLAY_ICON = 'M4 2.5v11l9-5.5z';
const PAUSE_ICON = 'M3.5 2.5h3v11h-3zM9.5 2.5h3v11h-3z';

initPage();
const data = readPageData();
const from = data.from_ms;
const end = Math.max(from + 1, data.to_ms);
const state = { player: null, time: from, playing: false };
const timeline = createTimeline($('#timeline'), { duration: end, onSeek: (offset) => seek(offset) });

function clamp(offset) {
  return Math.max(from, Math.min(end, Math.round(offset)));
}

function onTime(offset) {
  state.time = offset;
  timeline.setTime(offset);
  $('#clock').textContent = `${formatOffset(offset)} / ${formatOffset(end)}`;
  if (offset >= end && state.playing) state.player.pause(); // the range ends here
}

function seek(offset) {
  if (!state.player) return;
  const target = clamp(offset);
  state.player.goto(target, state.playing);
  onTime(target);
}

function togglePlay() {
  if (!state.player) return;
  if (state.playing) state.player.pause();
  else state.player.goto(state.time >= end - 50 ? from : state.time, true);
}

function setupControls() {
  const speed = $('#speed');
  for (const value of SPEEDS) speed.append(new Option(`${value}×`, String(value), false, value === readSpeed()));
  speed.addEventListener('change', () => {
    saveSpeed(Number(speed.value));
    state.player?.setSpeed(Number(speed.value));
  });
  $('#play').addEventListener('click', togglePlay);
  document.addEventListener('keydown', (event) => {
    if (isTyping(event) || !isPlainKey(event) || document.querySelector('dialog[open]')) return;
    const actions = { ' ': togglePlay, ArrowLeft: () => seek(state.time - SEEK_MS), ArrowRight: () => seek(state.time + SEEK_MS) };
    if (!actions[event.key]) return;
    event.preventDefault();
    actions[event.key]();
  });
}

async function load() {
  const events = [];
  for await (const page of eventPages(data.eventsUrl, { firstLimit: data.firstLimit })) events.push(...page);
  if (events.length < 2) {
    $('#stage-status').textContent = 'Nothing to replay here.';
    return;
  }
  rewriteEvents(events, data.assets);
  const player = mountPlayer($('#stage'), events, { speed: readSpeed(), skipInactive: false,
    onFirstFrame: () => { $('#stage-status').hidden = true; } });
  state.player = player;
  player.addEventListener('ui-update-current-time', ({ payload }) => onTime(payload));
  player.addEventListener('ui-update-player-state', ({ payload }) => {
    state.playing = payload === 'playing';
    $('#play-icon').setAttribute('d', state.playing ? PAUSE_ICON : PLAY_ICON);
    $('#play').setAttribute('aria-label', state.playing ? 'Pause' : 'Play');
  });
  timeline.setLoaded(end);
  $('#play').disabled = false;
  player.goto(from, false); // opens paused on the shared moment
  onTime(from);
}

setupControls();
load().catch((error) => { $('#stage-status').textContent = error.message; });
