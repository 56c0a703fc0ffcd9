import assert from 'node:assert/strict';
import test from 'node:test';
import { LIVE_POLL_INTERVAL_MS } from '../src/constants.js';
import { createLivePoll } from '../src/live_poll.js';
import { createTimerSlot } from '../src/timer_slot.js';
import { createClock, settle } from '../testing/fakes.js';

/** `page`: what is buffered, queued and in flight; `replies`: the status and JSON of each poll. */
function setup({ page = {}, replies = [] } = {}) {
  const clock = createClock();
  const state = { buffered: 0, queued: 0, sending: false, ...page };
  const polls = [];
  const answers = [];
  const buffer = { size: () => state.buffered, emptyBatch: () => ({ id: 'poll', body: '{"events":[]}', seq: 4 }) };
  const queue = { size: () => state.queued, sending: () => state.sending };
  const request = {
    post: async (batch) => {
      polls.push(batch);
      return replies[polls.length - 1] || { status: 200, answer: { live: true } };
    },
  };
  const livePoll = createLivePoll({ buffer, queue, request, onAnswer: (reply) => answers.push(reply), timer: createTimerSlot(clock.setTimeout, clock.clearTimeout) });
  return { clock, state, polls, answers, livePoll };
}

async function wait(clock, ms) {
  clock.advance(ms);
  await settle();
}

// Each row: the answer of a real batch, then one poll interval with the page as given.
const POLLS = [
  { input: { answer: { live: false }, page: {} }, expected: { polls: 0, live: false }, why: 'nobody watches: no poll' },
  { input: { answer: { live: true }, page: {} }, expected: { polls: 1, live: true }, why: 'watched and idle: an empty batch after 1 s' },
  { input: { answer: { live: true }, page: { buffered: 3 } }, expected: { polls: 0, live: true }, why: 'events are buffered: their batch brings the answer' },
  { input: { answer: { live: true }, page: { queued: 1 } }, expected: { polls: 0, live: true }, why: 'a batch is queued (maybe waiting for a retry)' },
  { input: { answer: { live: true }, page: { sending: true } }, expected: { polls: 0, live: true }, why: 'a request is on its way' },
  { input: { answer: { live: 'true' }, page: {} }, expected: { polls: 0, live: false }, why: 'only a JSON true means live' },
  { input: { answer: null, page: {} }, expected: { polls: 0, live: false }, why: 'an unreadable answer means nobody watches' },
];

for (const { input, expected, why } of POLLS) {
  test(`after ${JSON.stringify(input.answer)} with ${JSON.stringify(input.page)}: ${expected.polls} poll (${why})`, async () => {
    const { clock, polls, livePoll } = setup({ page: input.page });
    livePoll.answered(input.answer);
    await wait(clock, LIVE_POLL_INTERVAL_MS - 1);
    assert.equal(polls.length, 0, 'never before the interval');
    await wait(clock, 1);
    assert.equal(polls.length, expected.polls);
    assert.equal(livePoll.isLive(), expected.live);
  });
}

test('a poll is the empty batch at the next seq, and its answer reaches onAnswer', async () => {
  const command = { type: 'task', task: { task_id: 'next', title: 'Find the returns page' } };
  const { clock, polls, answers, livePoll } = setup({ replies: [{ status: 200, answer: { live: true, commands: [command], duplicate: false } }] });
  livePoll.answered({ live: true });
  await wait(clock, LIVE_POLL_INTERVAL_MS);
  assert.deepEqual(polls, [{ id: 'poll', body: '{"events":[]}', seq: 4 }]);
  assert.deepEqual(answers, [
    { live: true, commands: [], duplicate: false },
    { live: true, commands: [command], duplicate: false },
  ]);
});

// Each row: the status and JSON answering the first poll, and how many polls follow in the next 5 s.
const FOLLOW_UPS = [
  { input: { status: 200, answer: { live: true } }, expected: 5, why: 'still watched: one poll a second' },
  { input: { status: 200, answer: { live: false } }, expected: 0, why: 'nobody watches any more: polling stops' },
  { input: { status: 503, answer: null }, expected: 5, why: 'a failed poll says nothing: keep asking' },
  { input: { status: 401, answer: null }, expected: 5, why: 'a poll never stops the transport; the next real batch will' },
];

for (const { input, expected, why } of FOLLOW_UPS) {
  test(`a poll answered HTTP ${input.status} ${JSON.stringify(input.answer)} → ${expected} more in 5 s (${why})`, async () => {
    const { clock, polls, livePoll } = setup({ replies: [input] });
    livePoll.answered({ live: true });
    await wait(clock, LIVE_POLL_INTERVAL_MS);
    for (let second = 0; second < 5; second += 1) await wait(clock, LIVE_POLL_INTERVAL_MS);
    assert.equal(polls.length - 1, expected);
  });
}

test('a busy page defers the poll by a second, then polls once it is idle', async () => {
  const { clock, state, polls, livePoll } = setup({ page: { sending: true } });
  livePoll.answered({ live: true });
  await wait(clock, LIVE_POLL_INTERVAL_MS);
  assert.equal(polls.length, 0);
  state.sending = false;
  await wait(clock, LIVE_POLL_INTERVAL_MS);
  assert.equal(polls.length, 1);
});

test('stop() cancels the pending poll; a later answer schedules none', async () => {
  const { clock, polls, livePoll } = setup();
  livePoll.answered({ live: true });
  livePoll.stop();
  assert.equal(clock.pending().length, 0);
  livePoll.answered({ live: true });
  await wait(clock, LIVE_POLL_INTERVAL_MS * 3);
  assert.equal(polls.length, 0);
});

test('answers never stack polls: one pending at a time', async () => {
  const { clock, livePoll } = setup();
  livePoll.answered({ live: true });
  livePoll.answered({ live: true });
  assert.equal(clock.pending().length, 1);
});
