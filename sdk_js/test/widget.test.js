import assert from 'node:assert/strict';
import test from 'node:test';
import { STORAGE_KEYS } from '../src/constants.js';
import { createTaskFlow, describeView, parseStudyTasks, parseTaskCommand, startTaskWidget } from '../src/widget.js';
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
  const taskFlow = createTaskFlow({ storage, onTask: (id, status) => emitted.push([id, status]), onChange: (view) => shown.push(view?.task?.task_id ?? null) });
  return { taskFlow, emitted, shown, storage };
}

test('showing a task emits start; Done emits complete; Give up emits give_up', () => {
  const { taskFlow, emitted, shown } = flow();
  taskFlow.show({ task_id: 'purchase', title: 'Buy', text: '' });
  taskFlow.show({ task_id: 'purchase', title: 'Buy', text: '' }); // the same command twice (a retried answer)
  taskFlow.finish('complete');
  taskFlow.show({ task_id: 'returns', title: 'Returns', text: '' });
  taskFlow.finish('give_up');
  taskFlow.finish('give_up'); // nothing current: no event
  assert.deepEqual(emitted, [['purchase', 'start'], ['purchase', 'complete'], ['returns', 'start'], ['returns', 'give_up']]);
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

const PLAN = [{ task_id: 'buy', title: 'Buy a towel', text: 'Any towel' }, { task_id: 'returns', title: 'Find returns', text: '' }];

test('a study walk: Start task emits start, Done moves on, the end says so', () => {
  const views = [];
  const emitted = [];
  const storage = createStorage();
  const taskFlow = createTaskFlow({ storage, onTask: (id, status) => emitted.push([id, status]), onChange: (view) => views.push(view) });
  taskFlow.setPlan('study-1', PLAN);
  assert.deepEqual(views.at(-1), { kind: 'next', task: PLAN[0], position: 1, total: 2 });
  assert.deepEqual(emitted, [], 'showing the next task starts nothing');
  taskFlow.startNext();
  assert.deepEqual(views.at(-1), { kind: 'active', task: PLAN[0], position: 1, total: 2 });
  taskFlow.finish('complete');
  assert.deepEqual(views.at(-1), { kind: 'next', task: PLAN[1], position: 2, total: 2 });

  // A reload keeps the walk; the server's list again does not reset it.
  const again = createTaskFlow({ storage, onTask: (id, status) => emitted.push([id, status]) });
  again.setPlan('study-1', PLAN);
  assert.deepEqual(again.view(), { kind: 'next', task: PLAN[1], position: 2, total: 2 });
  again.startNext();
  again.finish('give_up');
  assert.deepEqual(again.view(), { kind: 'finished', total: 2 });
  assert.deepEqual(emitted, [['buy', 'start'], ['buy', 'complete'], ['returns', 'start'], ['returns', 'give_up']]);
});

test('a moderator task overrides the walk, and counts as finished in it', () => {
  const emitted = [];
  const taskFlow = createTaskFlow({ storage: createStorage(), onTask: (id, status) => emitted.push([id, status]) });
  taskFlow.setPlan('study-1', PLAN);
  taskFlow.show(PLAN[1]); // the moderator sent the second task first
  assert.deepEqual(taskFlow.view(), { kind: 'active', task: PLAN[1], position: 2, total: 2 });
  taskFlow.finish('complete');
  assert.deepEqual(taskFlow.view(), { kind: 'next', task: PLAN[0], position: 1, total: 2 });
  taskFlow.show({ task_id: 'extra', title: 'Extra', text: '' }); // not in the study's list
  assert.deepEqual(taskFlow.view(), { kind: 'active', task: { task_id: 'extra', title: 'Extra', text: '' } });
  assert.deepEqual(emitted, [['returns', 'start'], ['returns', 'complete'], ['extra', 'start']]);
});

test('a study task list is read defensively', () => {
  assert.deepEqual(parseStudyTasks({ tasks: [{ task_id: 'a', title: 'A', text: 'x' }, { title: 'no id' }, 'junk'] }), [{ task_id: 'a', title: 'A', text: 'x' }]);
  assert.equal(parseStudyTasks({ ok: false }), null);
  assert.equal(parseStudyTasks(null), null);
});

test('startTaskWidget walks the loaded study tasks; stop() before they arrive leaves nothing', async () => {
  const browser = createBrowser({ readyState: 'loading' });
  const storage = createStorage();
  const widget = startTaskWidget({ document: browser.document, storage, onTask: () => {}, loadTasks: async () => ({ study: 's', tasks: PLAN }) });
  await new Promise((resolve) => setTimeout(resolve, 0));
  assert.deepEqual(JSON.parse(storage.getItem(STORAGE_KEYS.studyTasks)), { study: 's', tasks: PLAN, finished: [] });
  widget.stop();
  assert.equal(browser.document.listenerCount(), 0);

  const late = createStorage();
  const stopped = startTaskWidget({ document: browser.document, storage: late, onTask: () => {}, loadTasks: async () => ({ study: 's', tasks: PLAN }) });
  stopped.stop();
  await new Promise((resolve) => setTimeout(resolve, 0));
  assert.equal(late.getItem(STORAGE_KEYS.studyTasks), null);
});

test('describeView says where the participant is', () => {
  assert.equal(describeView({ kind: 'next', task: PLAN[0], position: 1, total: 2 }).label, 'Task 1 of 2');
  assert.equal(describeView({ kind: 'next', task: PLAN[0], position: 1, total: 2 }).buttons, 'start');
  assert.equal(describeView({ kind: 'active', task: PLAN[0] }).label, 'Your task');
  assert.equal(describeView({ kind: 'finished', total: 2 }).buttons, 'none');
  assert.equal(describeView(null), null);
});
