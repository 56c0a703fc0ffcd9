// The optional study task widget: a small panel, in its own shadow DOM, that shows
// the participant's current task with Done / Give up buttons and emits `$task`
// events (Done: complete, Give up: give_up; a task the moderator replaces: abandon). On a page opened from a study's invite link it walks the participant
// through the study's tasks in order ("Start task" emits start). A moderator's
// server command overrides the walk: {"type": "task", "task": {"task_id", "title",
// "text"}} shows (and starts) one, {"type": "task", "task": null} clears it. The
// task and the walk survive page loads of the visit (sessionStorage). The panel's
// host element carries the block class, so replays show an empty box instead.
//
// Only study participants see it, so the IIFE bundle leaves it out: this module is
// built on its own as dist/replaydesk-widget.js (an ES module) and imported on demand
// (widget_loader.js, environment.js).

import { STORAGE_KEYS } from './constants.js';
import { BLOCK_CLASS } from './privacy.js';
import { listen } from './patch.js';
import { parseJson } from './safe.js';

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

/** A study's task list as the server sends it → valid tasks, or null. */
export function parseStudyTasks(answer) {
  if (!answer || !Array.isArray(answer.tasks)) return null;
  return answer.tasks.map(normalizeTask).filter(Boolean);
}

/**
 * The widget's state without the DOM: the current task, the study's tasks and which
 * are finished, and the `$task` events changes mean. `onTask(task_id, status)` emits
 * them; `onChange(view)` redraws, with view one of
 *   {kind: "active", task, position?, total?}   a started task: Done / Give up
 *   {kind: "next", task, position, total}       the study's next task: Start task
 *   {kind: "finished", total}                   every study task is finished
 *   null                                        nothing to show
 */
export function createTaskFlow({ storage, onTask, onChange = () => {} }) {
  let current = parseJson(storage.getItem(STORAGE_KEYS.task));
  if (!current || typeof current.task_id !== 'string') current = null;
  let plan = parseJson(storage.getItem(STORAGE_KEYS.studyTasks));
  if (!plan || !Array.isArray(plan.tasks) || !Array.isArray(plan.finished)) plan = null;

  function place(task) {
    const index = plan ? plan.tasks.findIndex((t) => t.task_id === task.task_id) : -1;
    return index < 0 ? {} : { position: index + 1, total: plan.tasks.length };
  }

  function upcoming() {
    const index = plan ? plan.tasks.findIndex((t) => !plan.finished.includes(t.task_id)) : -1;
    return index < 0 ? null : plan.tasks[index];
  }

  function view() {
    if (current) return { kind: 'active', task: current, ...place(current) };
    const next = upcoming();
    if (next) return { kind: 'next', task: next, ...place(next) };
    return plan && plan.tasks.length ? { kind: 'finished', total: plan.tasks.length } : null;
  }

  function save() {
    if (current) storage.setItem(STORAGE_KEYS.task, JSON.stringify(current));
    else storage.removeItem(STORAGE_KEYS.task);
    if (plan) storage.setItem(STORAGE_KEYS.studyTasks, JSON.stringify(plan));
    onChange(view());
  }

  return {
    get current() {
      return current;
    },
    view,
    /** The study's tasks (from the server); what this visit finished stays finished. */
    setPlan(study, tasks) {
      const finished = plan && plan.study === study ? plan.finished : [];
      plan = { study, tasks, finished: finished.filter((id) => tasks.some((t) => t.task_id === id)) };
      save();
    },
    /** Show `task` and start it; an unfinished other task is abandoned first. The same task again is a no-op. */
    show(task) {
      if (current && current.task_id === task.task_id) return;
      if (current) onTask(current.task_id, 'abandon');
      current = { ...task };
      onTask(current.task_id, 'start');
      save();
    },
    /** Start the study's next task (the participant pressed Start task). */
    startNext() {
      const next = upcoming();
      if (next && !current) this.show(next);
    },
    /** The participant finished: status "complete" (Done) or "give_up" (Give up). */
    finish(status) {
      if (!current) return;
      onTask(current.task_id, status);
      if (plan && !plan.finished.includes(current.task_id)) plan.finished.push(current.task_id);
      current = null;
      save();
    },
    /** The moderator withdrew the task without a result. */
    clear() {
      if (!current) return;
      current = null;
      save();
    },
  };
}

const PANEL_STYLE = `
:host { all: initial; }
.panel { position: fixed; right: 16px; bottom: 16px; z-index: 2147483647; width: 300px; max-width: calc(100vw - 32px);
  box-sizing: border-box; padding: 12px 14px; border-radius: 10px; background: #fff; color: #1d2330;
  font: 14px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; box-shadow: 0 6px 24px rgba(0,0,0,.22); border: 1px solid #c9cfdb; }
.head { display: flex; justify-content: space-between; align-items: center; gap: 8px; }
.label { font-size: 12px; font-weight: 600; text-transform: uppercase; letter-spacing: .04em; color: #4a5468; }
h2 { margin: 6px 0 4px; font-size: 16px; }
p { margin: 0 0 10px; white-space: pre-wrap; }
.actions { display: flex; gap: 8px; }
button { font: inherit; cursor: pointer; border-radius: 6px; padding: 6px 12px; border: 1px solid #1d4ed8; background: #fff; color: #1d4ed8; }
button.primary { background: #1d4ed8; color: #fff; }
button.toggle { padding: 2px 8px; border-color: #c9cfdb; color: #1d2330; font-size: 12px; }
button:focus-visible { outline: 3px solid #f59e0b; outline-offset: 2px; }
[hidden] { display: none !important; }
.status { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
`;

/** What the panel says for a view: label, title, text, which buttons, what to announce. */
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

/**
 * The panel: created on first render, removed by `remove()`. Accessible: a labelled
 * region, real buttons, a collapse toggle with aria-expanded, Escape collapses, and a
 * polite live region announcing new tasks without stealing focus (focus moves only
 * from a button that disappears to the one that takes its place).
 */
export function createTaskPanel({ document, onStart, onDone, onGiveUp }) {
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
  <div id="rd-body"><h2 id="rd-title"></h2><p id="rd-text"></p>
    <div class="actions start-actions" hidden><button type="button" class="primary start">Start task</button></div>
    <div class="actions finish-actions"><button type="button" class="primary done">Done</button>
      <button type="button" class="give-up">Give up</button></div></div>
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

  function showWaiting() {
    // Keep the panel: a keyboard user who pressed Done must not lose their place.
    parts.label.textContent = 'Your task';
    parts.title.textContent = 'Thank you';
    parts.text.textContent = 'Your next task will appear here.';
    parts.start.hidden = true;
    parts.finish.hidden = true;
    parts.status.textContent = 'Task finished.';
  }

  return {
    /** Show a view of the task flow (see createTaskFlow); null after a task keeps a waiting note. */
    render(view) {
      const text = describeView(view);
      if (!text && !parts) return;
      if (!document.body) return; // the caller renders again once the body exists
      if (!host) build();
      const hadFocus = host.shadowRoot.activeElement !== null;
      if (!text) showWaiting();
      else {
        parts.label.textContent = text.label; // textContent: server text is never parsed as HTML
        parts.title.textContent = text.title;
        parts.text.textContent = text.text;
        parts.start.hidden = text.buttons !== 'start';
        parts.finish.hidden = text.buttons !== 'finish';
        parts.status.textContent = text.announce;
      }
      if (!hadFocus) return;
      const target = !parts.start.hidden ? parts.start.querySelector('button') : !parts.finish.hidden ? parts.finish.querySelector('button') : parts.toggle;
      target.focus();
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
 * `loadTasks()` is given (a Promise of {study, tasks} or null, `tasks` as the server
 * sent them), and handles task commands. Returns {handleCommand(command) → handled?, stop()}.
 */
export function startTaskWidget({ document, storage, onTask, wrap = (fn) => fn, loadTasks = null }) {
  let flow = null;
  let stopped = false;
  const panel = createTaskPanel({
    document,
    onStart: wrap(() => flow.startNext(), 'task widget'),
    onDone: wrap(() => flow.finish('complete'), 'task widget'),
    onGiveUp: wrap(() => flow.finish('give_up'), 'task widget'),
  });
  flow = createTaskFlow({ storage, onTask, onChange: (view) => panel.render(view) });

  const show = wrap(() => panel.render(flow.view()), 'task widget');
  let stopWaiting = () => {};
  if (document.body) show();
  else stopWaiting = listen(document, 'DOMContentLoaded', show);

  if (loadTasks) {
    new Promise((resolve) => resolve(loadTasks())) // asked at once: nothing starts after stop()
      .then(wrap((loaded) => {
        const tasks = loaded && parseStudyTasks(loaded); // the server's answer, read defensively here
        if (!stopped && tasks && tasks.length) flow.setPlan(loaded.study, tasks);
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
      panel.remove();
    },
  };
}
