import assert from 'node:assert/strict';
import test from 'node:test';
import { STORAGE_KEYS } from '../src/constants.js';
import { createTaskFlow, describeView, parseStudyTasks, parseTaskCommand, startTaskWidget } from '../src/widget.js';
import { SUS_ITEMS, describeQuestion } from '../src/widget_questions.js';
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

test('the current task survives a page load without a second start; taking it back abandons it', () => {
  const storage = createStorage();
  const first = flow(storage);
  first.taskFlow.show({ task_id: 'purchase', title: 'Buy', text: 'Any colour' });
  const second = flow(storage);
  assert.deepEqual(second.taskFlow.current, { task_id: 'purchase', title: 'Buy', text: 'Any colour' });
  assert.deepEqual(second.emitted, []);
  second.taskFlow.clear();
  second.taskFlow.clear(); // nothing current: no event
  assert.deepEqual(second.emitted, [['purchase', 'abandon']]);
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
  taskFlow.answer(null); // skips the question after the task
  assert.deepEqual(views.at(-1), { kind: 'next', task: PLAN[1], position: 2, total: 2 });

  // A reload keeps the walk; the server's list again does not reset it.
  const again = createTaskFlow({ storage, onTask: (id, status) => emitted.push([id, status]) });
  again.setPlan('study-1', PLAN);
  assert.deepEqual(again.view(), { kind: 'next', task: PLAN[1], position: 2, total: 2 });
  again.startNext();
  again.finish('give_up');
  for (let question = 0; question < 12; question += 1) again.answer(null); // SEQ, ten SUS statements, comment
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
  taskFlow.answer(null);
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
  assert.deepEqual(JSON.parse(storage.getItem(STORAGE_KEYS.studyTasks)), { study: 's', tasks: PLAN, finished: [], asking: null, waiting: null, surveyed: false, thinkAloud: null, voice: null });
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

function walk(storage = createStorage()) {
  const events = [];
  const views = [];
  const taskFlow = createTaskFlow({
    storage,
    onTask: (id, status) => events.push(['$task', id, status]),
    onAnswer: (question, value, taskId) => events.push(['$answer', question, value, taskId]),
    onChange: (view) => views.push(view),
  });
  return { taskFlow, events, views, storage };
}

test('a study walk asks SEQ after each task, then the ten SUS statements and a comment', () => {
  const { taskFlow, events, views } = walk();
  taskFlow.setPlan('study-1', PLAN);
  taskFlow.startNext();
  taskFlow.finish('complete');
  assert.deepEqual(views.at(-1), { kind: 'seq', task: PLAN[0], position: 1, total: 2 });
  taskFlow.startNext(); // no next task while a question waits
  assert.equal(views.at(-1).kind, 'seq');
  taskFlow.answer(6);
  assert.deepEqual(views.at(-1), { kind: 'next', task: PLAN[1], position: 2, total: 2 });
  taskFlow.startNext();
  taskFlow.finish('give_up');
  taskFlow.answer(null); // Skip: no answer sent
  assert.deepEqual(views.at(-1), { kind: 'sus', item: 1, total: 10 });
  for (let item = 1; item <= SUS_ITEMS.length; item += 1) taskFlow.answer(item === 4 ? null : (item % 5) + 1);
  assert.deepEqual(views.at(-1), { kind: 'comment' });
  taskFlow.answer('  The checkout button was hard to find.  ');
  assert.deepEqual(views.at(-1), { kind: 'finished', total: 2 });
  assert.deepEqual(events, [
    ['$task', 'buy', 'start'], ['$task', 'buy', 'complete'], ['$answer', 'seq', 6, 'buy'],
    ['$task', 'returns', 'start'], ['$task', 'returns', 'give_up'],
    ['$answer', 'sus_1', 2, undefined], ['$answer', 'sus_2', 3, undefined], ['$answer', 'sus_3', 4, undefined],
    ['$answer', 'sus_5', 1, undefined], ['$answer', 'sus_6', 2, undefined], ['$answer', 'sus_7', 3, undefined],
    ['$answer', 'sus_8', 4, undefined], ['$answer', 'sus_9', 5, undefined], ['$answer', 'sus_10', 1, undefined],
    ['$answer', 'comment', 'The checkout button was hard to find.', undefined],
  ]);
});

test('the question waiting survives a reload; a moderator task waits for the answer', () => {
  const storage = createStorage();
  const first = walk(storage);
  first.taskFlow.setPlan('study-1', PLAN);
  first.taskFlow.startNext();
  first.taskFlow.finish('complete');
  const again = walk(storage);
  again.taskFlow.setPlan('study-1', PLAN); // the server's list again after the reload
  assert.deepEqual(again.taskFlow.view(), { kind: 'seq', task: PLAN[0], position: 1, total: 2 });
  again.taskFlow.show(PLAN[1]); // the moderator sends the next task meanwhile
  assert.deepEqual(again.events, []);
  again.taskFlow.answer(3);
  assert.deepEqual(again.events, [['$answer', 'seq', 3, 'buy'], ['$task', 'returns', 'start']]);
  assert.deepEqual(again.taskFlow.view(), { kind: 'active', task: PLAN[1], position: 2, total: 2 });
});

test('without a study walk (moderator commands only) nothing is asked', () => {
  const { taskFlow, events } = walk();
  taskFlow.show({ task_id: 'x', title: 'X', text: '' });
  taskFlow.finish('complete');
  assert.equal(taskFlow.view(), null);
  assert.deepEqual(events, [['$task', 'x', 'start'], ['$task', 'x', 'complete']]);
});

test('each question says what it asks and what its ends mean', () => {
  const seq = describeQuestion({ kind: 'seq', task: PLAN[0], position: 1, total: 2 });
  assert.equal(seq.scale.points, 7);
  assert.match(seq.announce, /1, very difficult, to 7, very easy/);
  assert.equal(describeQuestion({ kind: 'sus', item: 2, total: 10 }).question, 'I found the website unnecessarily complex.');
  assert.equal(describeQuestion({ kind: 'sus', item: 2, total: 10 }).scale.points, 5);
  assert.equal(describeQuestion({ kind: 'comment' }).scale, null);
});

test('a think-aloud study asks for consent before the first task, and remembers the answer', () => {
  const storage = createStorage();
  const { taskFlow, events } = walk(storage);
  taskFlow.setPlan('study-1', PLAN, { consent: 'We record your voice.', camera: false });
  assert.deepEqual(taskFlow.view(), { kind: 'consent', text: 'We record your voice.', camera: false });
  taskFlow.startNext(); // not before the participant answered
  assert.deepEqual(events, []);
  taskFlow.setVoice(true);
  assert.equal(taskFlow.voice, 'yes');
  assert.deepEqual(taskFlow.view(), { kind: 'next', task: PLAN[0], position: 1, total: 2 });
  const again = walk(storage);
  again.taskFlow.setPlan('study-1', PLAN, { consent: 'We record your voice.', camera: false });
  assert.equal(again.taskFlow.voice, 'yes', 'a reload records again without asking');
  again.taskFlow.setVoice('stopped');
  assert.equal(again.taskFlow.view().kind, 'next', 'stopping does not ask again');
});
