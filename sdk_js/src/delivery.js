// Sending: one request at a time, the oldest batch first, and while a retry waits
// nothing else goes, so batches arrive in order. What each answer does to its batch
// is settlement.js's job; this module sends, and waits when told to.

const NO_ANSWER = { status: 0, retryAfter: null, answer: null, gzipped: false };

/**
 * - `queue`: batch_queue.js; `request`: ingest_request.js; `retryTimer`: timer_slot.js.
 * - `settle(batch, result)` → {goOn} or {retryInMs} (settlement.js).
 */
export function createDelivery({ queue, request, settle, retryTimer }) {
  let stopped = false;

  /** Send queued batches one at a time, oldest first, until the queue is empty or a retry waits. */
  async function pump() {
    while (!queue.sending() && !stopped && !retryTimer.pending() && queue.size()) {
      const batch = queue.startSending();
      const result = await request.post(batch).catch(() => NO_ANSWER);
      queue.answered();
      const { goOn, retryInMs } = settle(batch, result);
      if (retryInMs !== undefined && !stopped) retryTimer.start(pump, retryInMs);
      if (!goOn) return;
    }
  }

  return {
    pump,
    /** Send nothing more; a request in flight still settles. */
    stop() {
      stopped = true;
      retryTimer.cancel();
    },
  };
}
