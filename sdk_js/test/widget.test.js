import assert from 'node:assert/strict';
import test from 'node:test';
import { STORAGE_KEYS } from '../src/constants.js';
import { createTaskFlow, parseTaskCommand, startTaskWidget } from '../src/widget.js';
import { createBrowser, createStorage } from '../testing/fakes.js';

test('parseTaskCommand reads task commands and ignores everything else', () => {
  const rows = [
    // [command, expected]
    [{ type: 'task', task: { task_id: 'purchase', title: 'Buy towels', text: 'Any colour' } }, { action: 'show', task: { task_id: 'purchase', title: 'Buy towels', text: 'Any colour' } }],
    [{ type: 'task', task: { id: 'returns', description: 'Find the policy' } }, { action: 'show', task: { task_id: 'returns', title: 'returns', text: 'Find the policy' } }],
    [{ type: 'task', task: null }, { action: 'clear' }],
    [{ type: 'task', task: { title: 'no id' } }, null],
    [{ type: 'task', task: 'purchase' }, null],
    [{ type: 'message', text: 'hello' }, null],
    [null, null],
  ];
  for (const [command, expected] of rows) assert.deepEqual(parseTaskCommand(command), expected, JSON.stringify(command));
});

function flow(storage = createStorage()) {
  const emitted = [];
  const shown = [];
  const taskFlow = createTaskFlow({ storage, onTask: (id, status) => emitted.push([id, status]), onChange: (task) => shown.push(task && task.task_id) });
  return { taskFlow, emitted, shown, storage };
}

test('showing a task emits start; Done emits complete; Give up emits abandon', () => {
  const { taskFlow, emitted, shown } = flow();
  taskFlow.show({ task_id: 'purchase', title: 'Buy', text: '' });
  taskFlow.show({ task_id: 'purchase', title: 'Buy', text: '' }); // the same command twice (a retried answer)
  taskFlow.finish('complete');
  taskFlow.show({ task_id: 'returns', title: 'Returns', text: '' });
  taskFlow.finish('abandon');
  taskFlow.finish('abandon'); // nothing current: no event
  assert.deepEqual(emitted, [['purchase', 'start'], ['purchase', 'complete'], ['returns', 'start'], ['returns', 'abandon']]);
  assert.deepEqual(shown, ['purchase', null, 'returns', null]);
});

test('a new task while one is open abandons the open one first', () => {
  const { taskFlow, emitted } = flow();
  taskFlow.show({ task_id: 'a', title: 'A', text: '' });
  taskFlow.show({ task_id: 'b', title: 'B', text: '' });
  assert.deepEqual(emitted, [['a', 'start'], ['a', 'abandon'], ['b', 'start']]);
});

test('the current task survives a page load without a second start; clear emits nothing', () => {
  const storage = createStorage();
  const first = flow(storage);
  first.taskFlow.show({ task_id: 'purchase', title: 'Buy', text: 'Any colour' });
  const second = flow(storage);
  assert.deepEqual(second.taskFlow.current, { task_id: 'purchase', title: 'Buy', text: 'Any colour' });
  assert.deepEqual(second.emitted, []);
  second.taskFlow.clear();
  assert.deepEqual(second.emitted, []);
  assert.equal(storage.getItem(STORAGE_KEYS.task), null);
});

test('startTaskWidget handles task commands only and stops cleanly without a body', () => {
  const browser = createBrowser({ readyState: 'loading' });
  const storage = createStorage();
  storage.setItem(STORAGE_KEYS.task, JSON.stringify({ task_id: 't1', title: 'T', text: '' }));
  const emitted = [];
  const widget = startTaskWidget({ document: browser.document, storage, onTask: (id, status) => emitted.push([id, status]) });
  assert.equal(browser.document.listenerCount('DOMContentLoaded'), 1, 'waits for the body to show the restored task');
  assert.equal(widget.handleCommand({ type: 'other' }), false);
  assert.equal(widget.handleCommand({ type: 'task', task: { task_id: 't2', title: 'Next' } }), true);
  assert.deepEqual(emitted, [['t1', 'abandon'], ['t2', 'start']]);
  widget.stop();
  assert.equal(browser.document.listenerCount(), 0);
});
