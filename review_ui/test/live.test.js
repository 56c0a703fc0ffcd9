import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fetchEventsAfter } from '../src/live/backlog.js';
import { aheadBy } from '../src/live/clock.js';
import { createLiveFeed, fromLastSnapshot } from '../src/live/feed.js';
import { describeCommand, describeCurrentTask, foldCurrentTask, foldTaskProgress, nextTask, taskCommand, taskState } from '../src/live/tasks.js';

const ev = (timestamp, type = 3, data = { source: 2, id: timestamp }) => ({ type, timestamp, data });
const task = (taskId, status) => ({ type: 5, timestamp: 1, data: { tag: '$task', payload: { task_id: taskId, status } } });

function recordingFeed() {
  const applied = [];
  return { applied, feed: createLiveFeed((events) => applied.push(...events)) };
}

test('streamed events wait for the backlog; the overlap is applied once', () => {
  const { applied, feed } = recordingFeed();
  feed.stream([ev(3), ev(4)]); // stored before the backlog was read: in both
  feed.stream([ev(5)]); // stored after
  assert.deepEqual(applied, []);
  feed.caught([ev(1), ev(2), ev(3), ev(4)]);
  assert.deepEqual(applied.map((e) => e.timestamp), [1, 2, 3, 4, 5]);
  feed.stream([ev(6)]);
  assert.deepEqual(applied.map((e) => e.timestamp), [1, 2, 3, 4, 5, 6]);
});

test('identical events are counted, not collapsed', () => {
  const { applied, feed } = recordingFeed();
  const same = ev(7);
  feed.stream([same, same, same]);
  feed.caught([ev(6), same]); // one of the three was stored when the backlog was read
  assert.equal(applied.filter((e) => e.timestamp === 7).length, 3);
});

test('after a reconnect, the catch-up skips what the stream already delivered', () => {
  const { applied, feed } = recordingFeed();
  feed.caught([ev(1)]);
  feed.stream([ev(2), ev(3)]);
  feed.rejoin();
  feed.stream([ev(5)]); // while catching up again
  feed.caught([ev(2), ev(3), ev(4), ev(5)]); // stored after the first fetch
  assert.deepEqual(applied.map((e) => e.timestamp), [1, 2, 3, 4, 5]);
});

test('a live view starts at the last full snapshot and its Meta', () => {
  const events = [ev(1, 4), ev(2, 2), ev(3), ev(4, 4), ev(5, 2), ev(6)];
  assert.deepEqual(fromLastSnapshot(events).map((e) => e.timestamp), [4, 5, 6]);
  assert.deepEqual(fromLastSnapshot([ev(1), ev(2)]).map((e) => e.timestamp), [1, 2]);
});

test('only a participant clock ahead of ours is corrected', () => {
  assert.equal(aheadBy([ev(900), ev(1000)], 1000), 0);
  assert.equal(aheadBy([ev(5000)], 1000), 4000);
  assert.equal(aheadBy([ev(1500)], 1000, 4000), 4000); // never shrinks mid-session
});

test('the next task is the first neither sent nor begun; states read progress first', () => {
  const tasks = [{ task_id: 'a', title: 'A' }, { task_id: 'b', title: 'B' }, { task_id: 'c', title: 'C', text: 'do c' }];
  const progress = foldTaskProgress([task('a', 'start'), task('a', 'complete'), ev(3)]);
  assert.deepEqual(progress, { a: 'complete' });
  const sent = [taskCommand(tasks[1])];
  assert.equal(nextTask(tasks, sent, progress).task_id, 'c');
  assert.equal(nextTask(tasks, [...sent, taskCommand(tasks[2])], progress), null);
  assert.deepEqual(taskState(tasks[0], sent, progress), { key: 'complete', text: 'said done' });
  assert.deepEqual(taskState(tasks[1], sent, progress), { key: 'sent', text: 'sent' });
  assert.deepEqual(taskCommand(tasks[2]), { type: 'task', task: { task_id: 'c', title: 'C', text: 'do c' } });
  assert.equal(describeCommand(taskCommand(null)), 'Took the task back');
  assert.equal(describeCommand(taskCommand(tasks[0])), 'Task: A');
});

test('the backlog follows the cursor to the end and returns the last cursor', async () => {
  const pages = [
    { body: [ev(1), ev(2)], cursor: 'c2', next: true },
    { body: [ev(3)], cursor: 'c3', next: false },
  ];
  const asked = [];
  const fetchImpl = async (url) => {
    asked.push(url);
    const page = pages.shift();
    return { ok: true, json: async () => page.body,
             headers: new Map([['X-Replaydesk-Cursor', page.cursor], ['Link', page.next ? '<x>; rel="next"' : '']]) };
  };
  const { events, cursor } = await fetchEventsAfter('/e', 'c0', { fetchImpl, limit: 2 });
  assert.deepEqual(events.map((e) => e.timestamp), [1, 2, 3]);
  assert.equal(cursor, 'c3');
  assert.deepEqual(asked, ['/e?limit=2&after=c0', '/e?limit=2&after=c2']);
});

test('a cursor the server no longer applies (410) is dropped and the backlog fetched again', async () => {
  const answers = [
    { status: 410, body: { ok: false } },
    { status: 200, body: [ev(1)], cursor: 'c1', next: true },
    { status: 200, body: [ev(2)], cursor: 'c2', next: false },
  ];
  const asked = [];
  const fetchImpl = async (url) => {
    asked.push(url);
    const page = answers.shift();
    return { ok: page.status === 200, status: page.status, json: async () => page.body,
             headers: new Map([['X-Replaydesk-Cursor', page.cursor], ['Link', page.next ? '<x>; rel="next"' : '']]) };
  };
  const { events, cursor, restarted } = await fetchEventsAfter('/e', 'stale', { fetchImpl, limit: 1 });
  assert.deepEqual([events.map((e) => e.timestamp), cursor, restarted], [[1, 2], 'c2', true]);
  assert.deepEqual(asked, ['/e?limit=1&after=stale', '/e?limit=1', '/e?limit=1&after=c1']);
});

test('the task header follows the participant: working on a task, then what they said and answered', () => {
  const tasks = [{ task_id: 'a', title: 'Add a towel' }, { task_id: 'b', title: 'Check out' }];
  const custom = (tag, payload, timestamp) => ({ type: 5, timestamp, data: { tag, payload } });
  assert.equal(describeCurrentTask(null, tasks), 'No task yet.');
  let current = foldCurrentTask([custom('$task', { task_id: 'b', status: 'start' }, 10_000)]);
  assert.equal(describeCurrentTask(current, tasks, 52_000), 'Task 2 of 2: Check out · working on it for 0:42');
  current = foldCurrentTask([custom('$task', { task_id: 'b', status: 'complete' }, 60_000), ev(61_000)], current);
  assert.equal(describeCurrentTask(current, tasks, 70_000), 'Task 2 of 2: Check out · said done');
  current = foldCurrentTask([custom('$answer', { question: 'seq', value: 5, task_id: 'b' }, 62_000)], current);
  assert.equal(describeCurrentTask(current, tasks), 'Task 2 of 2: Check out · said done, answering questions');
  current = foldCurrentTask([custom('$task', { task_id: 'x', status: 'give_up' }, 63_000)], current);
  assert.equal(describeCurrentTask(current, tasks), 'Task x · gave up');
});
