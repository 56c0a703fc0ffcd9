// The optional study task widget: a small panel, in its own shadow DOM, that shows
// the participant's current task with Done / Give up buttons and emits `$task`
// events. Tasks arrive as server commands: {"type": "task", "task": {"task_id",
// "title", "text"}} shows one, {"type": "task", "task": null} clears it. The task
// survives page loads of the visit (sessionStorage). The panel's host element carries
// the block class, so replays show an empty box instead of the widget.

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
  const task = command.task;
  if (!task || typeof task !== 'object') return null;
  const taskId = task.task_id ?? task.id;
  if (typeof taskId !== 'string' || !taskId) return null;
  return {
    action: 'show',
    task: {
      task_id: taskId,
      title: typeof task.title === 'string' && task.title ? task.title : taskId,
      text: typeof task.text === 'string' ? task.text : typeof task.description === 'string' ? task.description : '',
    },
  };
}

/**
 * The widget's state without the DOM: which task is current, and the `$task` events
 * its changes mean. `onTask(task_id, status)` emits them; `onChange(task|null)` redraws.
 */
export function createTaskFlow({ storage, onTask, onChange = () => {} }) {
  let current = parseJson(storage.getItem(STORAGE_KEYS.task));
  if (!current || typeof current.task_id !== 'string') current = null;

  function save() {
    if (current) storage.setItem(STORAGE_KEYS.task, JSON.stringify(current));
    else storage.removeItem(STORAGE_KEYS.task);
    onChange(current);
  }

  return {
    get current() {
      return current;
    },
    /** Show `task`; an unfinished other task is abandoned first. The same task again is a no-op. */
    show(task) {
      if (current && current.task_id === task.task_id) return;
      if (current) onTask(current.task_id, 'abandon');
      current = { ...task };
      onTask(current.task_id, 'start');
      save();
    },
    /** The participant finished: status "complete" (Done) or "abandon" (Give up). */
    finish(status) {
      if (!current) return;
      onTask(current.task_id, status);
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

/**
 * The panel: created on first render, removed by `remove()`. Accessible: a labelled
 * region, real buttons, a collapse toggle with aria-expanded, Escape collapses, and a
 * polite live region announcing new tasks without stealing focus.
 */
export function createTaskPanel({ document, onDone, onGiveUp }) {
  let host = null;
  let parts = null;
  const teardowns = [];

  function build() {
    host = document.createElement('div');
    host.setAttribute('data-rd-widget', '');
    host.className = BLOCK_CLASS;
    const root = host.attachShadow({ mode: 'open' });
    root.innerHTML = `<style>${PANEL_STYLE}</style>
<section class="panel" role="region" aria-label="Study task">
  <div class="head"><span class="label" id="rd-label">Your task</span>
    <button type="button" class="toggle" aria-expanded="true" aria-controls="rd-body">Hide</button></div>
  <div id="rd-body"><h2 id="rd-title"></h2><p id="rd-text"></p>
    <div class="actions"><button type="button" class="primary done">Done</button>
      <button type="button" class="give-up">Give up</button></div></div>
  <div class="status" role="status" aria-live="polite"></div>
</section>`;
    parts = {
      body: root.getElementById('rd-body'),
      title: root.getElementById('rd-title'),
      text: root.getElementById('rd-text'),
      toggle: root.querySelector('.toggle'),
      status: root.querySelector('.status'),
      actions: root.querySelector('.actions'),
      panel: root.querySelector('.panel'),
    };
    const setExpanded = (expanded) => {
      parts.body.hidden = !expanded;
      parts.toggle.setAttribute('aria-expanded', String(expanded));
      parts.toggle.textContent = expanded ? 'Hide' : 'Show task';
    };
    teardowns.push(
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

  return {
    /** Show `task` ({title, text}) or hide the panel for null. */
    render(task) {
      if (!task) {
        if (!parts) return;
        // Keep the panel: a keyboard user who pressed Done must not lose their place.
        const hadFocus = host.shadowRoot.activeElement !== null;
        parts.title.textContent = 'Thank you';
        parts.text.textContent = 'Your next task will appear here.';
        parts.actions.hidden = true;
        parts.status.textContent = 'Task finished.';
        if (hadFocus) parts.toggle.focus();
        return;
      }
      if (!document.body) return; // the caller renders again once the body exists
      if (!host) build();
      parts.title.textContent = task.title; // textContent: server text is never parsed as HTML
      parts.text.textContent = task.text;
      parts.actions.hidden = false;
      parts.status.textContent = `New task: ${task.title}`;
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
 * Start the widget: restores the visit's current task and handles task commands.
 * Returns {handleCommand(command) → handled?, stop()}.
 */
export function startTaskWidget({ document, storage, onTask, wrap = (fn) => fn }) {
  let flow = null;
  const panel = createTaskPanel({
    document,
    onDone: wrap(() => flow.finish('complete'), 'task widget'),
    onGiveUp: wrap(() => flow.finish('abandon'), 'task widget'),
  });
  flow = createTaskFlow({ storage, onTask, onChange: (task) => panel.render(task) });

  let stopWaiting = () => {};
  if (flow.current) {
    if (document.body) panel.render(flow.current);
    else stopWaiting = listen(document, 'DOMContentLoaded', wrap(() => panel.render(flow.current), 'task widget'));
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
      stopWaiting();
      panel.remove();
    },
  };
}
