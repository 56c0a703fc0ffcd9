// When buffered events leave as a batch: 2 s after the first one (500 ms while someone
// watches), at once when the buffer is full, when asked, and when the page hides.

import { FLUSH_INTERVAL_MS, LIVE_FLUSH_INTERVAL_MS } from './constants.js';

/**
 * - `buffer`: buffer.js; `queue`: batch_queue.js; `flushTimer`: timer_slot.js.
 * - `send()`: start sending what is queued (delivery.js); `beaconOnce(batches)`: exit_beacon.js.
 * - `isLive()`: whether someone watches.
 */
export function createFlushing({ buffer, queue, send, beaconOnce, flushTimer, isLive }) {
  let stopped = false;

  /** Cut the buffer as a batch of the current context now, and queue it; returns it, or null. */
  function cutBatch() {
    const batch = buffer.cut();
    if (batch) queue.push(batch);
    return batch;
  }

  function flush() {
    if (stopped) return;
    flushTimer.cancel();
    cutBatch();
    send();
  }

  function add(event) {
    if (stopped) return;
    if (buffer.add(event)) flush();
    else flushTimer.start(flush, isLive() ? LIVE_FLUSH_INTERVAL_MS : FLUSH_INTERVAL_MS);
  }

  /** The page hides: beacon what waits, and keep it all queued and in the outbox (exit_beacon.js says why). */
  function flushOnExit() {
    if (stopped) return;
    flushTimer.cancel();
    cutBatch();
    beaconOnce(queue.waiting());
    queue.persist();
  }

  /** Stop for good: flush what can be flushed, or with `discard` drop it all, the outbox too. */
  function stop({ discard = false } = {}) {
    if (discard) {
      buffer.clear();
      queue.discard();
    } else flushOnExit();
    stopped = true;
    flushTimer.cancel();
  }

  return { add, flush, cutBatch, flushOnExit, stop, stopped: () => stopped };
}
