// The live room: follow a running session in a live replay, share notes with every
// observer, talk in a private chat, see signals flagged as they happen, and (for study
// sessions) follow the participant's task and send them their next one.
import { $, clear, h, readPageData } from '../lib/dom.js';
import { formatOffset } from '../lib/format.js';
import { renderMarkdown } from '../lib/markdown.js';
import { initPage, isPlainKey, isTyping, toast } from '../lib/ui.js';
import { fetchEventsAfter } from '../live/backlog.js';
import { createLiveFeed, fromLastSnapshot } from '../live/feed.js';
import { joinLiveRoom } from '../live/room.js';
import { presence } from '../live/presence.js';
import { followAssetMap } from '../player/assets.js';
import { mountLiveReplay } from '../live/stage.js';
import { createVoiceListener } from '../live/voice.js';
import { describeCommand, describeCurrentTask, foldCurrentTask, foldTaskProgress, nextTask, taskCommand, taskState } from '../live/tasks.js';

const IDLE_NOTICE_MS = 15_000;

initPage();
const data = readPageData();
const session = data.session;
const state = {
  notes: new Map(data.notes.map((note) => [note.id, note])),
  sent: data.sent.map((row) => ({ command: row.command, at: row.sent_at })),
  progress: {},
  current: null, // the participant's latest task step ($task, $answer)
  signals: new Map((data.signals || []).map((signal) => [signalKey(signal), signal])),
  chat: new Map(),
  lastCastTs: null, // the latest moment shown, on the participant's clock
  lastArrival: null, // performance.now() of the latest streamed batch
  lastBatch: performance.now() - data.sinceLastBatchMs, // the latest batch the server got, stored or streamed
  connection: 'connecting',
  noteMoment: null, // the moment a note being typed is about
  cursor: null, // where the next catch-up fetch resumes
  joins: 0,
  caughtUpOnce: false,
};

const assets = followAssetMap(data.assetsUrl, data.assets); // cached copies, as the server gets them
const stage = mountLiveReplay($('#stage'), {
  assets: assets.current,
  onFirstFrame: () => {
    $('#stage-status').hidden = true;
    document.documentElement.dataset.firstFrame = String(Math.round(performance.now()));
  },
  onCast: (ts) => {
    state.lastCastTs = ts;
  },
});
function signalKey(signal) {
  return `${signal.kind}|${signal.ts}|${signal.url}`;
}

const feed = createLiveFeed((events) => {
  stage.add(events);
  state.progress = foldTaskProgress(events, state.progress);
  state.current = foldCurrentTask(events, state.current);
  renderTasks();
  renderCurrentTask();
});
const room = joinLiveRoom(session.id, {
  onJoined: () => {
    catchUp();
    voice?.listen();
  },
  onState: showState,
  onEvents: (events) => {
    state.lastArrival = performance.now();
    state.lastBatch = state.lastArrival;
    feed.stream(events);
  },
  onNote: addNote,
  onChat: addChat,
  onRtcSignal: (message) => voice?.onSignal(message).catch((error) => toast(`Voice: ${error.message}`, { error: true })),
  onRtcParticipant: () => voice?.onParticipant(),
  onSignals: addSignals,
  onLiveness: (answer) => {
    // The server's clock and live window decide; streamed batches keep it fresh between heartbeats.
    state.lastBatch = Math.max(state.lastArrival ?? -Infinity, performance.now() - answer.since_last_batch_ms);
    if (answer.live_window_ms) data.liveWindowMs = answer.live_window_ms;
    for (const message of answer.chat || []) state.chat.set(message.id, message);
    if (answer.chat) renderChat();
    showPresence();
  },
  onCommand: (command) => {
    state.sent.push({ command, at: Date.now() });
    renderSent();
    renderTasks();
  },
});

// ---- the participant's voice (think-aloud studies) --------------------------------

const VOICE_WORDS = {
  waiting: 'Waiting for the participant’s voice…',
  connecting: 'Connecting to the participant’s voice…',
  hearing: 'Hearing the participant',
  blocked: 'The browser holds the sound back: press Listen',
  ended: 'The participant’s voice stopped',
};
const voice = data.thinkAloud && window.RTCPeerConnection ? createVoiceListener({
  room, RTCPeerConnection: window.RTCPeerConnection, audio: $('#live-voice-audio'), onState: showVoice,
}) : null;

function showVoice(name) {
  $('#live-voice').dataset.state = name;
  $('#voice-state').textContent = VOICE_WORDS[name] || name;
  $('#voice-play').hidden = name !== 'blocked';
}

async function meterVoice() {
  if (!voice) return;
  const level = await voice.level().catch(() => null);
  const bar = $('#voice-level');
  bar.style.width = `${Math.round(Math.min(1, (level || 0) * 3) * 100)}%`; // speech sits low on the 0-1 scale
  $('#live-voice').dataset.level = level === null ? '' : level.toFixed(3);
  const received = await voice.received().catch(() => ({ bytes: 0, energy: 0 }));
  $('#live-voice').dataset.bytes = String(received.bytes);
  $('#live-voice').dataset.energy = received.energy.toFixed(6);
}

$('#voice-play')?.addEventListener('click', () => {
  $('#live-voice-audio').play().then(() => showVoice('hearing'), () => showVoice('blocked'));
});

function currentMoment() {
  return state.lastCastTs ?? session.ended_at;
}

function showState(name, detail) {
  state.connection = name;
  showPresence(detail);
  if (name === 'reconnecting') feed.rejoin();
  if (name === 'refused') toast(detail || 'Cannot join the live session.', { error: true });
}

/** Fetch what was stored since the last fetch, then let the held stream follow. */
async function catchUp() {
  const join = ++state.joins;
  try {
    const { events, cursor, restarted } = await fetchEventsAfter(data.eventsUrl, state.cursor);
    if (join !== state.joins) return; // a newer join is catching up; it refetches from the old cursor
    state.cursor = cursor;
    if (restarted) feed.caught(fromLastSnapshot(events)); // the stored stream was rewritten: replay from its last snapshot
    else if (!state.caughtUpOnce) {
      state.progress = foldTaskProgress(events, state.progress);
      state.current = foldCurrentTask(events, state.current);
      state.caughtUpOnce = true;
      if (events.length < 2) $('#stage-status').textContent = 'Waiting for the participant’s page…';
      feed.caught(fromLastSnapshot(events));
    } else feed.caught(events);
  } catch (error) {
    toast(error.message, { error: true });
  }
}

// ---- notes ------------------------------------------------------------------

function noteItem(note) {
  const offset = Math.max(0, note.ts - session.started_at);
  return h('li', { class: 'item live-note', 'data-note': note.id },
    h('a', { class: 'at', href: `${data.replayUrl}?t=${offset}`, title: 'Open the recording at this moment' }, formatOffset(offset)),
    h('div', { class: 'what' },
      h('div', { class: 'line' }, h('strong', { class: 'small' }, note.author || 'someone')),
      h('div', { class: 'note-text' }, renderMarkdown(note.text)),
      note.tags?.length ? h('div', { class: 'line' }, note.tags.map((tag) => h('span', { class: 'tag' }, tag))) : null));
}

function renderNotes() {
  const notes = [...state.notes.values()].sort((a, b) => a.ts - b.ts || a.id - b.id);
  const list = $('#live-notes');
  const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
  clear(list).append(...notes.map(noteItem));
  if (!notes.length) list.append(h('li', { class: 'muted small empty-note' }, 'No notes yet. What you write appears for everyone here.'));
  $('#notes-count').textContent = String(notes.length);
  if (atBottom) list.scrollTop = list.scrollHeight;
}

function addNote(note) {
  state.notes.set(note.id, note);
  renderNotes();
}

function onNoteTyping() {
  const text = $('#live-note-text').value;
  if (text.trim() && state.noteMoment === null) state.noteMoment = currentMoment();
  if (!text.trim()) state.noteMoment = null;
  $('#note-moment').textContent = state.noteMoment === null ? '' : `at ${formatOffset(state.noteMoment - session.started_at)}`;
}

async function shareNote(event) {
  event.preventDefault();
  const field = $('#live-note-text');
  const text = field.value.trim();
  if (!text) return;
  $('#share-note').disabled = true;
  try {
    const answer = await room.note({ text, ts: state.noteMoment ?? currentMoment() });
    if (!answer?.ok) throw new Error(answer?.error || 'The note was not saved.');
    addNote(answer.annotation);
    field.value = '';
    onNoteTyping();
  } catch (error) {
    toast(error.message.includes('timed out') ? 'The server did not answer; the note was not shared.' : error.message, { error: true });
  } finally {
    $('#share-note').disabled = false;
    field.focus();
  }
}

// ---- signals, chat --------------------------------------------------------------

const KIND_WORDS = {
  rage_click: 'Rage click', dead_click: 'Dead click', error_click: 'Error click', quick_back: 'Quick back',
  dead_end: 'Dead end', thrashed_cursor: 'Thrashed cursor', excessive_scroll: 'Excessive scroll', form_abandon: 'Form abandon',
};

function pathOf(url) {
  try {
    return new URL(url).pathname; // the query (an invite link's study context, say) is in the title
  } catch {
    return url || '';
  }
}

function signalItem(signal) {
  const offset = Math.max(0, signal.ts - session.started_at);
  const what = KIND_WORDS[signal.kind] || signal.kind;
  const count = signal.count > 1 ? ` ×${signal.count}` : '';
  return h('li', { class: 'item live-signal', 'data-kind': signal.kind },
    h('a', { class: 'at', href: `${data.replayUrl}?t=${offset}`, title: 'Open the recording at this moment' }, formatOffset(offset)),
    h('div', { class: 'what' }, h('span', { class: 'badge', 'data-kind': signal.kind }, `${what}${count}`),
      h('span', { class: 'muted small', title: signal.url || '' }, ` ${pathOf(signal.url)}${signal.target?.text ? ` · “${signal.target.text}”` : ''}`)));
}

function renderSignals() {
  const signals = [...state.signals.values()].sort((a, b) => a.ts - b.ts);
  const list = $('#live-signals');
  clear(list).append(...signals.map(signalItem));
  if (!signals.length) list.append(h('li', { class: 'muted small empty-note' }, 'None yet. Rage, dead and error clicks, quick backs and dead ends show here as they happen.'));
  $('#signals-count').textContent = String(signals.length);
}

function addSignals(signals) {
  const fresh = signals.filter((signal) => !state.signals.has(signalKey(signal)));
  for (const signal of fresh) state.signals.set(signalKey(signal), signal);
  if (!fresh.length) return;
  renderSignals();
  toast(`Flagged: ${fresh.map((signal) => KIND_WORDS[signal.kind] || signal.kind).join(', ')}`);
}

function chatItem(message) {
  return h('li', { class: 'item chat-line', 'data-chat': message.id },
    h('time', { class: 'at muted small', datetime: new Date(message.at).toISOString() }, new Date(message.at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })),
    h('div', { class: 'what' }, h('strong', { class: 'small' }, message.author), ' ', h('span', { class: 'chat-text' }, message.text)));
}

function renderChat() {
  const messages = [...state.chat.values()].sort((a, b) => a.id - b.id);
  const list = $('#live-chat');
  const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
  clear(list).append(...messages.map(chatItem));
  if (!messages.length) list.append(h('li', { class: 'muted small empty-note' }, 'Nothing said yet.'));
  if (atBottom) list.scrollTop = list.scrollHeight;
}

function addChat(message) {
  state.chat.set(message.id, message);
  renderChat();
}

async function sendChat(event) {
  event.preventDefault();
  const field = $('#live-chat-text');
  const text = field.value.trim();
  if (!text) return;
  try {
    const answer = await room.chat(text);
    if (!answer?.ok) throw new Error(answer?.error || 'The message was not sent.');
    addChat(answer.message);
    field.value = '';
  } catch (error) {
    toast(error.message.includes('timed out') ? 'The server did not answer; the message was not sent.' : error.message, { error: true });
  }
}

// ---- moderator ----------------------------------------------------------------

function sentCommands() {
  return state.sent.map((row) => row.command);
}

async function send(command) {
  try {
    const answer = await room.command(command);
    if (!answer?.ok) throw new Error(answer?.error || 'The command was not sent.');
  } catch (error) {
    toast(error.message, { error: true });
  }
}

function renderTasks() {
  const list = $('#live-tasks');
  if (!list) return;
  const commands = sentCommands();
  clear(list).append(...data.tasks.map((task) => {
    const status = taskState(task, commands, state.progress);
    return h('li', { class: 'live-task', 'data-task': task.task_id },
      h('div', { class: 'what' }, h('strong', {}, task.title), h('span', { class: `chip task-state state-${status.key}` }, status.text)),
      h('button', { type: 'button', class: 'small', onclick: () => send(taskCommand(task)), 'aria-label': `Send “${task.title}”` }, status.key === 'waiting' ? 'Send' : 'Send again'));
  }));
  const next = nextTask(data.tasks, commands, state.progress);
  $('#send-next-task').disabled = !next;
  $('#send-next-task').textContent = next ? `Send the next task: ${next.title}` : 'Every task was sent';
}

function renderCurrentTask() {
  const now = state.current?.status === 'start' ? currentMoment() : null;
  const text = describeCurrentTask(state.current, data.tasks, now);
  const el = $('#current-task');
  if (el.textContent !== text) el.textContent = text;
  el.dataset.status = state.current?.status || 'none';
}

function renderSent() {
  const rows = state.sent;
  clear($('#sent-commands')).append(...rows.slice().reverse().map((row) => h('li', { class: 'sent-command small' },
    h('time', { class: 'muted' }, new Date(row.at).toLocaleTimeString()), ' ', describeCommand(row.command))));
  $('#sent-count').textContent = String(rows.length);
}

// ---- page -----------------------------------------------------------------------

function showPresence(detail = '') {
  const shown = presence({ connection: state.connection, sinceLastBatchMs: performance.now() - state.lastBatch, windowMs: data.liveWindowMs });
  const el = $('#live-state');
  if (el.dataset.state === shown.state && el.textContent === shown.text) return;
  el.dataset.state = shown.state;
  el.textContent = shown.text;
  el.title = detail || shown.title;
}

function tick() {
  showPresence();
  renderCurrentTask();
  meterVoice();
  if (state.lastCastTs !== null) $('#live-clock').textContent = formatOffset(state.lastCastTs - session.started_at);
  const idle = state.lastArrival === null ? null : performance.now() - state.lastArrival;
  $('#live-activity').textContent = idle !== null && idle > IDLE_NOTICE_MS
    ? `Nothing from the participant for ${Math.round(idle / 1000)} s.` : '';
}

function onKey(event) {
  if (isTyping(event) || !isPlainKey(event) || document.querySelector('dialog[open]')) return;
  if (event.key === 'n' || event.key === 'N') {
    event.preventDefault();
    $('#live-note-text').focus();
  }
}

$('#live-note-form').addEventListener('submit', shareNote);
$('#live-chat-form').addEventListener('submit', sendChat);
if (!data.canWrite) {
  // Viewers read the room; writing (notes, chat) is a member's.
  $('#live-chat-text').disabled = true;
  $('#live-chat-text').placeholder = 'Your role in this project reads the chat';
  $('#send-chat').disabled = true;
}
$('#live-note-text').addEventListener('input', onNoteTyping);
$('#live-note-text').addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) shareNote(event);
});
$('#send-next-task')?.addEventListener('click', () => {
  const next = nextTask(data.tasks, sentCommands(), state.progress);
  if (next) send(taskCommand(next));
});
$('#clear-task')?.addEventListener('click', () => send(taskCommand(null)));
document.addEventListener('keydown', onKey);
window.addEventListener('pagehide', () => room.close());
setInterval(tick, 250);
renderNotes();
renderTasks();
renderSent();
renderSignals();
renderChat();
renderCurrentTask();
