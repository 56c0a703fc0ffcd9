// Batching and delivery (STYLE P15), composed from one module per job:
//   buffer.js          events as JSON text, cut into batches numbered by `seq`;
//   flushing.js        when they leave: 2 s after the first event (500 ms while the
//                      server says `live`), at once at 256 K characters, on page hide;
//   batch_queue.js     batches not yet acknowledged, bounded, mirrored in the outbox;
//   delivery.js        one request at a time, oldest first, nothing while a retry waits;
//   settlement.js      what an answer does: retry 5xx / network errors with bounded
//                      backoff and jitter, honour Retry-After on 429, drop a batch on
//                      any other 4xx (the first drop warns, with the server's reason; later
//                      batches keep going), stop on 401/403 (see retry_policy.js);
//   ingest_request.js  one POST: gzip (`Content-Encoding`), key header, timeout;
//   exit_beacon.js     sendBeacon of what waits when the page hides;
//   live_poll.js       while the server says `live` and the page is idle, an empty
//                      poll every second (moderator commands ride on ingest answers);
//   outbox.js          unsent batches kept across reloads;
//   timer_slot.js      the flush, retry and poll timers, each pending at most once.
// fetch, sendBeacon, timers, clock, randomness and storage (in `outbox`) are injected.

import { createBatchQueue } from './batch_queue.js';
import { createBuffer } from './buffer.js';
import { createDelivery } from './delivery.js';
import { createExitBeacon } from './exit_beacon.js';
import { createFlushing } from './flushing.js';
import { createIngestRequest } from './ingest_request.js';
import { createLivePoll } from './live_poll.js';
import { createSettlement } from './settlement.js';
import { createTimerSlot } from './timer_slot.js';

export { gzip } from './ingest_request.js';

/**
 * Create the transport of one window (page load).
 *
 * - `getContext()` → {sessionId, windowId, meta}, read when a batch is cut.
 * - `onAnswer({live, commands, duplicate})` after each acknowledged batch or poll.
 * - `onFatal(status)` once when the server refuses the key; the transport has stopped.
 * - `outbox` (outbox.js) or null; `compress` (text → Promise<bytes>) or null.
 *
 * Returns {add(event), flush(), cutBatch() (before a session rotates), flushOnExit()
 * (the page hides), adopt(entries) (batches an earlier page kept, sent first),
 * stop({discard}), state}.
 */
export function createTransport({
  endpoint, key, fetch, getContext,
  sendBeacon = null, compress = null, outbox = null, log = null,
  onAnswer = () => {}, onFatal = () => {},
  now = Date.now, random = Math.random, AbortControllerClass = globalThis.AbortController,
  setTimeout: setTimer = globalThis.setTimeout, clearTimeout: clearTimer = globalThis.clearTimeout,
}) {
  const timerSlot = () => createTimerSlot(setTimer, clearTimer);
  const buffer = createBuffer({ getContext });
  const queue = createBatchQueue({ outbox, log });
  const request = createIngestRequest({ endpoint, key, fetch, compress, setTimer, clearTimer, AbortControllerClass });
  const livePoll = createLivePoll({ buffer, queue, request, onAnswer, timer: timerSlot() });
  const settlement = createSettlement({ queue, request, onAcknowledged: livePoll.answered, onRefused: halt, now, random, log });
  const delivery = createDelivery({ queue, request, settle: settlement.settle, retryTimer: timerSlot() });
  const beaconOnce = createExitBeacon({ endpoint, key, sendBeacon, isGzipAllowed: request.gzipAllowed });
  const flushing = createFlushing({ buffer, queue, send: delivery.pump, beaconOnce, flushTimer: timerSlot(), isLive: livePoll.isLive });

  /** Stop for good: flush what can be flushed (unless `discard`), clear every timer. */
  function stop(options) {
    flushing.stop(options);
    delivery.stop();
    livePoll.stop();
  }

  function halt(status) {
    stop({ discard: true }); // nothing is kept for a key the server refuses
    onFatal(status);
  }

  function adopt(entries) {
    if (queue.adopt(entries)) delivery.pump();
  }

  const { add, flush, cutBatch, flushOnExit } = flushing;
  return {
    add, flush, cutBatch, flushOnExit, adopt, stop,
    get state() {
      return { live: livePoll.isLive(), healthy: settlement.healthy(), buffered: buffer.size(), queued: queue.size(), nextSeq: buffer.nextSeq(), stopped: flushing.stopped(), gzipAllowed: request.gzipAllowed() };
    },
  };
}
