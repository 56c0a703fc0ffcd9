// The optional study task widget: a small panel, in its own shadow DOM, that shows
// the participant's current task with Done / Give up buttons and emits `$task`
// events (Done: complete, Give up: give_up; a task the moderator replaces or takes
// back: abandon). In a study walk it asks the Single Ease Question after each task and
// the System Usability Scale with a free comment after the last (widget_questions.js),
// emitted as `$answer {question, value, task_id?}`. On a page opened from a study's invite link it walks the participant
// through the study's tasks in order ("Start task" emits start). A moderator's
// server command overrides the walk: {"type": "task", "task": {"task_id", "title",
// "text"}} shows (and starts) one, {"type": "task", "task": null} clears it. The
// task and the walk survive page loads of the visit (sessionStorage). The panel's
// host element carries the block class, so replays show an empty box instead.
//
// Only study participants see it, so the IIFE bundle leaves it out: this module is
// built on its own as dist/replaydesk-widget.js (an ES module) and imported on demand
// (widget_loader.js, environment.js).

import { BLOCK_CLASS } from './privacy.js';
import { listen } from './patch.js';
import { createTaskFlow } from './widget_flow.js';
import { shareVoice } from './widget_live.js';
import { createThinkAloud } from './widget_media.js';
import { COMMENT, describeQuestion } from './widget_questions.js';

export { createTaskFlow };

/**
 * Read a server command. Returns {action: "show", task} | {action: "clear"} | null
 * (not a task command, or a malformed one).
 */
export function parseTaskCommand(command) {
  if (!command || command.type !== 'task') return null;
  if (command.task === null) return { action: 'clear' };
  const task = normalizeTask(command.task);
  return task ? { action: 'show', task } : null;
}

/** A task as the widget shows it, {task_id, title, text}, or null when malformed. */
export function normalizeTask(task) {
  if (!task || typeof task !== 'object') return null;
  const taskId = task.task_id ?? task.id;
  if (typeof taskId !== 'string' || !taskId) return null;
  return {
    task_id: taskId,
    title: typeof task.title === 'string' && task.title ? task.title : taskId,
    text: typeof task.text === 'string' ? task.text : typeof task.description === 'string' ? task.description : '',
  };
}

/** A study's think-aloud as the server sends it → {consent, camera}, or null. */
export function parseThinkAloud(answer) {
  const found = answer && answer.think_aloud;
  if (!found || typeof found.consent !== 'string' || !found.consent.trim()) return null;
  return { consent: found.consent, camera: found.camera === true };
}

/** A study's task list as the server sends it → valid tasks, or null. */
export function parseStudyTasks(answer) {
  if (!answer || !Array.isArray(answer.tasks)) return null;
  return answer.tasks.map(normalizeTask).filter(Boolean);
}

const PANEL_STYLE = `
:host { all: initial; }
.panel { position: fixed; right: 16px; bottom: 16px; z-index: 2147483647; width: 320px; max-width: calc(100vw - 32px);
  max-height: calc(100vh - 32px); overflow: auto; box-sizing: border-box; padding: 12px 14px; border-radius: 10px;
  background: #fff; color: #1d2330; font: 14px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif;
  box-shadow: 0 6px 24px rgba(0,0,0,.22); border: 1px solid #c9cfdb; }
.head { display: flex; justify-content: space-between; align-items: center; gap: 8px; }
.label { font-size: 12px; font-weight: 600; text-transform: uppercase; letter-spacing: .04em; color: #4a5468; }
h2 { margin: 6px 0 4px; font-size: 16px; }
p { margin: 0 0 10px; white-space: pre-wrap; }
.actions { display: flex; gap: 8px; flex-wrap: wrap; }
button { font: inherit; cursor: pointer; border-radius: 6px; padding: 6px 12px; border: 1px solid #1d4ed8; background: #fff; color: #1d4ed8; }
button.primary { background: #1d4ed8; color: #fff; }
button.toggle { padding: 2px 8px; border-color: #c9cfdb; color: #1d2330; font-size: 12px; }
button.quiet { border-color: transparent; color: #3b4456; text-decoration: underline; }
button:focus-visible, input:focus-visible + span, textarea:focus-visible { outline: 3px solid #f59e0b; outline-offset: 2px; }
[hidden] { display: none !important; }
.sr, .status { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
fieldset { border: 0; margin: 0 0 10px; padding: 0; min-width: 0; }
legend { padding: 0; margin: 0 0 8px; font-weight: 600; }
.scale { display: flex; gap: 4px; }
.scale label { flex: 1 1 0; min-width: 0; position: relative; }
.scale input { position: absolute; opacity: 0; inset: 0; margin: 0; cursor: pointer; }
.scale span { display: block; text-align: center; padding: 8px 0; border: 1px solid #8a93a6; border-radius: 6px; font-weight: 600; }
.scale input:checked + span { background: #1d4ed8; border-color: #1d4ed8; color: #fff; }
.anchors { display: flex; justify-content: space-between; gap: 8px; margin-top: 4px; font-size: 12px; color: #4a5468; }
textarea { box-sizing: border-box; width: 100%; min-height: 72px; font: inherit; padding: 6px 8px; border: 1px solid #8a93a6; border-radius: 6px; resize: vertical; }
.problem { color: #b42318; font-size: 13px; margin: 0 0 8px; }
.comment-label { display: block; margin: 0 0 6px; }
.recording { display: flex; align-items: center; gap: 8px; margin: 0 0 8px; padding: 4px 8px; border-radius: 6px; background: #fef3f2; color: #8f1d14; font-size: 13px; font-weight: 600; }
.recording .dot { width: 8px; height: 8px; border-radius: 50%; background: #d92d20; }
.recording button { margin-left: auto; padding: 2px 8px; font-size: 12px; border-color: #8f1d14; color: #8f1d14; }
.consent-text { font-size: 13px; }
@media (max-width: 480px) { .panel { left: 12px; right: 12px; bottom: 12px; width: auto; max-width: none; } }
`;

/** What the panel says for a task view: label, title, text, which buttons, what to announce. */
export function describeView(view) {
  if (!view) return null;
  const counter = view.position ? `Task ${view.position} of ${view.total}` : 'Your task';
  if (view.kind === 'active') {
    return { label: counter, title: view.task.title, text: view.task.text, buttons: 'finish', announce: `${counter}: ${view.task.title}` };
  }
  if (view.kind === 'next') {
    return { label: counter, title: view.task.title, text: view.task.text, buttons: 'start', announce: `${counter}: ${view.task.title}. Press Start task when you are ready.` };
  }
  return { label: 'Study tasks', title: 'All done. Thank you!', text: 'You have finished every task of this study.', buttons: 'none', announce: 'All tasks finished.' };
}

const QUESTION_KINDS = new Set(['seq', 'sus', 'comment']);
const CONSENT_VIEW = { label: 'Before you start', title: 'Think aloud while you work', buttons: 'consent' };
const COMMENT_MAX = COMMENT.maxLength;

/** The radio buttons of a 1..points scale; each one's name says its number and, at the ends, what it means. */
function fillScale(document, container, scale) {
  container.replaceChildren();
  for (let point = 1; point <= scale.points; point += 1) {
    const label = document.createElement('label');
    const input = document.createElement('input');
    input.type = 'radio';
    input.name = 'rd-answer';
    input.value = String(point);
    const shown = document.createElement('span');
    shown.textContent = String(point);
    const meaning = point === 1 ? scale.low : point === scale.points ? scale.high : '';
    // The ends say what they mean, "1, very difficult"; the name starts with the number shown.
    if (meaning) input.setAttribute('aria-label', `${point}, ${meaning.toLowerCase()}`);
    label.append(input, shown);
    container.append(label);
  }
}

/**
 * The panel: created on first render, removed by `remove()`. Accessible: a labelled
 * region, real buttons, a collapse toggle with aria-expanded, Escape collapses, and a
 * polite live region announcing new tasks and questions without stealing focus (focus
 * moves only from a control that disappears to the one that takes its place). A
 * question is a form: a fieldset whose legend is the question and native radio buttons
 * (arrow keys choose, Enter sends), or a labelled text field; Skip passes.
 */
export function createTaskPanel({ document, onStart, onDone, onGiveUp, onAnswer, onConsent = () => {}, onStopVoice = () => {} }) {
  let host = null;
  let parts = null;
  const teardowns = [];

  function build() {
    host = document.createElement('div');
    host.setAttribute('data-rd-widget', '');
    host.className = BLOCK_CLASS;
    const root = host.attachShadow({ mode: 'open' });
    root.innerHTML = `<style>${PANEL_STYLE}</style>
<section class="panel" role="region" aria-labelledby="rd-label">
  <div class="head"><span class="label" id="rd-label">Your task</span>
    <button type="button" class="toggle" aria-expanded="true" aria-controls="rd-body">Hide</button></div>
  <div class="recording" hidden><span class="dot" aria-hidden="true"></span><span class="recording-text">Recording your voice</span>
    <button type="button" class="stop-voice">Stop recording</button></div>
  <div id="rd-body"><h2 id="rd-title"></h2><p id="rd-text"></p>
    <div class="actions consent-actions" hidden><button type="button" class="primary agree">Allow the microphone and start</button>
      <button type="button" class="decline">Continue without recording</button></div>
    <div class="actions start-actions" hidden><button type="button" class="primary start">Start task</button></div>
    <div class="actions finish-actions"><button type="button" class="primary done">Done</button>
      <button type="button" class="give-up">Give up</button></div>
    <form class="ask" hidden novalidate>
      <fieldset class="scale-set"><legend id="rd-question"></legend>
        <div class="scale"></div>
        <div class="anchors" aria-hidden="true"><span class="low"></span><span class="high"></span></div>
      </fieldset>
      <div class="comment-set"><label for="rd-comment" class="comment-label"></label>
        <textarea id="rd-comment" rows="3"></textarea></div>
      <p class="problem" id="rd-problem" hidden></p>
      <div class="actions"><button type="submit" class="primary send">Next</button>
        <button type="button" class="quiet skip">Skip</button></div>
    </form></div>
  <div class="status" role="status" aria-live="polite"></div>
</section>`;
    parts = {
      body: root.getElementById('rd-body'),
      label: root.getElementById('rd-label'),
      title: root.getElementById('rd-title'),
      text: root.getElementById('rd-text'),
      toggle: root.querySelector('.toggle'),
      status: root.querySelector('.status'),
      start: root.querySelector('.start-actions'),
      finish: root.querySelector('.finish-actions'),
      panel: root.querySelector('.panel'),
      ask: root.querySelector('.ask'),
      scaleSet: root.querySelector('.scale-set'),
      question: root.getElementById('rd-question'),
      scale: root.querySelector('.scale'),
      low: root.querySelector('.anchors .low'),
      high: root.querySelector('.anchors .high'),
      commentSet: root.querySelector('.comment-set'),
      commentLabel: root.querySelector('.comment-label'),
      comment: root.getElementById('rd-comment'),
      problem: root.getElementById('rd-problem'),
      send: root.querySelector('.send'),
      consent: root.querySelector('.consent-actions'),
      recording: root.querySelector('.recording'),
      recordingText: root.querySelector('.recording-text'),
      root,
    };
    const setExpanded = (expanded) => {
      parts.body.hidden = !expanded;
      parts.toggle.setAttribute('aria-expanded', String(expanded));
      parts.toggle.textContent = expanded ? 'Hide' : 'Show task';
    };
    teardowns.push(
      listen(root.querySelector('.start'), 'click', () => onStart()),
      listen(root.querySelector('.done'), 'click', () => onDone()),
      listen(root.querySelector('.give-up'), 'click', () => onGiveUp()),
      listen(root.querySelector('.skip'), 'click', () => onAnswer(null)),
      listen(root.querySelector('.agree'), 'click', () => onConsent(true)),
      listen(root.querySelector('.decline'), 'click', () => onConsent(false)),
      listen(root.querySelector('.stop-voice'), 'click', () => onStopVoice()),
      listen(parts.ask, 'submit', (event) => {
        event.preventDefault();
        sendAnswer();
      }),
      listen(parts.toggle, 'click', () => setExpanded(parts.body.hidden)),
      listen(parts.panel, 'keydown', (event) => {
        if (event.key === 'Escape') {
          setExpanded(false);
          parts.toggle.focus();
        }
      }),
    );
    document.body.appendChild(host);
  }

  function sendAnswer() {
    if (!parts.commentSet.hidden) {
      onAnswer(parts.comment.value.slice(0, COMMENT_MAX));
      return;
    }
    const chosen = parts.scale.querySelector('input:checked');
    if (chosen) {
      onAnswer(Number(chosen.value));
      return;
    }
    parts.problem.hidden = false;
    parts.problem.textContent = 'Choose a number, or press Skip.';
    parts.status.textContent = parts.problem.textContent;
    parts.scale.querySelector('input').focus();
  }

  function showWaiting() {
    // Keep the panel: a keyboard user who pressed Done must not lose their place.
    parts.label.textContent = 'Your task';
    parts.title.textContent = 'Thank you';
    parts.text.textContent = 'Your next task will appear here.';
    parts.start.hidden = true;
    parts.finish.hidden = true;
    parts.ask.hidden = true;
    parts.consent.hidden = true;
    parts.status.textContent = 'Task finished.';
  }

  function showConsent(view) {
    parts.label.textContent = CONSENT_VIEW.label;
    parts.title.textContent = view.camera ? 'Think aloud while you work (voice and camera)' : CONSENT_VIEW.title;
    parts.text.textContent = view.text; // the study's words, never parsed as HTML
    parts.text.hidden = false;
    parts.text.className = 'consent-text';
    parts.start.hidden = true;
    parts.finish.hidden = true;
    parts.ask.hidden = true;
    parts.consent.hidden = false;
    parts.consent.querySelector('.agree').textContent = view.camera ? 'Allow the microphone and camera, and start' : 'Allow the microphone and start';
    parts.status.textContent = `${CONSENT_VIEW.title}. ${view.text}`;
    return parts.consent.querySelector('.agree');
  }

  function showQuestion(view) {
    const asked = describeQuestion(view);
    parts.label.textContent = asked.label;
    parts.title.textContent = asked.title;
    parts.text.textContent = '';
    parts.text.hidden = true;
    parts.start.hidden = true;
    parts.finish.hidden = true;
    parts.consent.hidden = true;
    parts.ask.hidden = false;
    parts.problem.hidden = true;
    parts.scaleSet.hidden = !asked.scale;
    parts.commentSet.hidden = Boolean(asked.scale);
    parts.send.textContent = asked.submit;
    if (asked.scale) {
      parts.question.textContent = asked.question;
      fillScale(document, parts.scale, asked.scale);
      parts.low.textContent = `1 · ${asked.scale.low}`;
      parts.high.textContent = `${asked.scale.high} · ${asked.scale.points}`;
    } else {
      parts.commentLabel.textContent = asked.question;
      parts.comment.value = '';
      parts.comment.maxLength = COMMENT_MAX;
    }
    parts.status.textContent = asked.announce;
    return asked.scale ? parts.scale.querySelector('input') : parts.comment;
  }

  function showTask(text) {
    parts.label.textContent = text.label; // textContent: server text is never parsed as HTML
    parts.title.textContent = text.title;
    parts.text.textContent = text.text;
    parts.text.hidden = false;
    parts.text.className = '';
    parts.ask.hidden = true;
    parts.consent.hidden = true;
    parts.start.hidden = text.buttons !== 'start';
    parts.finish.hidden = text.buttons !== 'finish';
    parts.status.textContent = text.announce;
    return !parts.start.hidden ? parts.start.querySelector('button') : !parts.finish.hidden ? parts.finish.querySelector('button') : parts.toggle;
  }

  return {
    /** Show a view of the task flow (see createTaskFlow); null after a task keeps a waiting note. */
    render(view) {
      const asking = Boolean(view && QUESTION_KINDS.has(view.kind));
      const consenting = Boolean(view && view.kind === 'consent');
      const text = asking || consenting ? null : describeView(view);
      if (!asking && !consenting && !text && !parts) return;
      if (!document.body) return; // the caller renders again once the body exists
      if (!host) build();
      const hadFocus = host.shadowRoot.activeElement !== null;
      let target = parts.toggle;
      if (consenting) target = showConsent(view);
      else if (asking) target = showQuestion(view);
      else if (text) target = showTask(text);
      else showWaiting();
      if (hadFocus && !parts.body.hidden) target.focus();
    },
    /** The recording bar: "on" (with Stop), "off" (hidden), or "failed" (a note why). */
    showRecording(state, camera = false) {
      if (!parts) return;
      parts.recording.hidden = state === 'off';
      parts.recording.querySelector('button').hidden = state !== 'on';
      parts.recordingText.textContent = state === 'on' ? (camera ? 'Recording your voice and camera' : 'Recording your voice')
        : 'Recording is off: the microphone could not be used';
      parts.status.textContent = state === 'on' ? 'Recording started.' : state === 'failed' ? parts.recordingText.textContent : 'Recording stopped.';
    },
    remove() {
      for (const teardown of teardowns) teardown();
      teardowns.length = 0;
      if (host && host.parentNode) host.parentNode.removeChild(host);
      host = null;
      parts = null;
    },
  };
}


/**
 * Start the widget: restores the visit's task and walk, loads the study's tasks when
 * `loadTasks()` is given (a Promise of {study, tasks, think_aloud?} or null, as the
 * server sent them), and handles task commands. `onTask(task_id, status)` and
 * `onAnswer(question, value, task_id?)` emit the events. For a think-aloud study,
 * `media` ({endpoint, key, sessionId()}) is where recordings go, and
 * `onStream(stream | null)` hears the live media (observers listen to it).
 * Returns {handleCommand(command) → handled?, stop()}.
 */
export function startTaskWidget({ document, storage, onTask, onAnswer = () => {}, wrap = (fn) => fn, loadTasks = null,
  media = null, onStream = () => {}, log = { warn() {} } }) {
  let flow = null;
  let stopped = false;
  let voice = null;
  let live = null; // the voice shared with the live room's observers
  let camera = false;
  const window = document.defaultView;

  const startVoice = wrap(async () => {
    if (!media || !window || (voice && voice.recording)) return;
    voice = voice || createThinkAloud({ window, media, camera, log });
    try {
      await voice.start();
    } catch (_) {
      if (!stopped) {
        flow.setVoice('failed'); // refused, or no microphone: the tasks go on without a recording
        panel.showRecording('failed');
      }
      return;
    }
    if (stopped) {
      voice.stop();
      return;
    }
    panel.showRecording('on', camera);
    onStream(voice.stream);
    if (window.RTCPeerConnection) {
      live = shareVoice({ endpoint: media.endpoint, key: media.key, sessionId: media.sessionId, stream: voice.stream,
        RTCPeerConnection: window.RTCPeerConnection, log });
    }
  }, 'think-aloud');

  function stopVoice() {
    if (live) live.stop();
    live = null;
    if (voice && voice.recording) {
      voice.stop();
      onStream(null);
    }
  }

  const panel = createTaskPanel({
    document,
    onStart: wrap(() => flow.startNext(), 'task widget'),
    onDone: wrap(() => flow.finish('complete'), 'task widget'),
    onGiveUp: wrap(() => flow.finish('give_up'), 'task widget'),
    onAnswer: wrap((value) => flow.answer(value), 'task widget'),
    onConsent: wrap((yes) => {
      flow.setVoice(yes);
      if (yes) startVoice();
    }, 'task widget'),
    onStopVoice: wrap(() => {
      flow.setVoice('stopped');
      stopVoice();
      panel.showRecording('off');
    }, 'task widget'),
  });
  flow = createTaskFlow({ storage, onTask, onAnswer, onChange: (view) => panel.render(view) });
  const flushVoice = wrap(() => voice && voice.flushOnExit(), 'think-aloud');
  const stopListening = window ? listen(window, 'pagehide', flushVoice) : () => {};

  const show = wrap(() => panel.render(flow.view()), 'task widget');
  let stopWaiting = () => {};
  if (document.body) show();
  else stopWaiting = listen(document, 'DOMContentLoaded', show);

  if (loadTasks) {
    new Promise((resolve) => resolve(loadTasks())) // asked at once: nothing starts after stop()
      .then(wrap((loaded) => {
        const tasks = loaded && parseStudyTasks(loaded); // the server's answer, read defensively here
        if (stopped || !tasks || !tasks.length) return;
        const thinkAloud = parseThinkAloud(loaded);
        camera = Boolean(thinkAloud && thinkAloud.camera);
        flow.setPlan(loaded.study, tasks, thinkAloud);
        if (thinkAloud && flow.voice === 'yes') startVoice(); // agreed on an earlier page of this visit
      }, 'study tasks'))
      .catch(() => {}); // no task list (offline, unknown study): commands still work
  }

  return {
    handleCommand(command) {
      const parsed = parseTaskCommand(command);
      if (!parsed) return false;
      if (parsed.action === 'show') flow.show(parsed.task);
      else flow.clear();
      return true;
    },
    stop() {
      stopped = true;
      stopWaiting();
      stopListening();
      stopVoice();
      panel.remove();
    },
  };
}
