// Whether someone watches the session live, as the last ingest answer said, and the
// polling that follows from it. A moderator's command rides on an ingest answer, and
// an idle page sends no batch, so it would never get one: while someone watches and
// nothing is on its way, an empty batch goes every second. It stores nothing, leaves
// its seq free, and brings the answer.

import { LIVE_POLL_INTERVAL_MS } from './constants.js';
import { readAnswer } from './ingest_request.js';
import { classifyStatus } from './retry_policy.js';

/**
 * - `buffer`: buffer.js; `queue`: batch_queue.js; `request`: ingest_request.js; `timer`: timer_slot.js.
 * - `onAnswer({live, commands, duplicate})` for every acknowledgement, batch or poll.
 */
export function createLivePoll({ buffer, queue, request, onAnswer, timer }) {
  let live = false;
  let stopped = false;

  /** Take the JSON of an acknowledgement: it says whether someone watches, and brings commands. */
  function answered(answer) {
    const reply = readAnswer(answer);
    live = reply.live;
    onAnswer(reply);
    schedule();
  }

  function schedule() {
    if (stopped || !live) return;
    timer.start(poll, LIVE_POLL_INTERVAL_MS);
  }

  async function poll() {
    if (stopped || !live) return;
    if (buffer.size() || queue.size() || queue.sending()) {
      schedule(); // a real batch is on its way and brings the answer
      return;
    }
    const { status, answer } = await request.post(buffer.emptyBatch());
    if (classifyStatus(status) === 'ack') answered(answer);
    else schedule();
  }

  return {
    answered,
    stop() {
      stopped = true;
      timer.cancel();
    },
    isLive: () => live,
  };
}
