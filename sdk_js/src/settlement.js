// What one ingest answer does to the batch it answers (verdicts: retry_policy.js).
// Acknowledged and rejected batches leave the queue; a refused key ends everything;
// a 415 to a gzipped body turns gzip off and the batch goes again at once; a failure
// keeps the batch, in the outbox too, for a retry after a backoff or Retry-After.

import { classifyStatus, retryDelayMs } from './retry_policy.js';

const GO_ON = { goOn: true };

/**
 * Returns `settle(batch, result)` → {goOn: true} when the next batch may go at once,
 * {retryInMs} when nothing may go before then, {goOn: false} after a refused key.
 * `healthy`: the last answer was a 2xx (or none failed yet).
 */
export function createSettlement({ queue, request, onAcknowledged, onRefused, now, random, log }) {
  let healthy = true;
  let dropped = 0;

  function settle(batch, { status, retryAfter, answer, gzipped }) {
    const verdict = classifyStatus(status);
    if (verdict === 'ack') {
      healthy = true;
      queue.remove(batch);
      onAcknowledged(answer);
      return GO_ON;
    }
    if (verdict === 'fatal') {
      if (log) log.error(`the server refused the project key (HTTP ${status}); recording stops`);
      onRefused(status);
      return { goOn: false };
    }
    if (verdict === 'bad_encoding' && gzipped) {
      if (log) log.warn('the server does not accept gzip; sending uncompressed');
      request.refuseGzip();
      return GO_ON; // the same batch is still first in the queue
    }
    if (verdict === 'drop' || verdict === 'bad_encoding') {
      // Said once (later ones in debug mode): a page that keeps making bad batches must not flood the console.
      if (log) log[dropped++ ? 'debug' : 'warn'](`batch ${batch.id} rejected with HTTP ${status}${answer && answer.message ? ` (${answer.message})` : ''}; dropped`);
      queue.remove(batch);
      return GO_ON;
    }
    healthy = false;
    return retryLater(batch, verdict, status, retryAfter);
  }

  function retryLater(batch, verdict, status, retryAfter) {
    const retryInMs = retryDelayMs({ verdict, attempt: batch.attempt, retryAfter, now: now(), random });
    batch.attempt += 1;
    if (log) log.debug(`batch ${batch.id} not delivered (HTTP ${status}); retry in ${retryInMs} ms`);
    // The server is failing: what waits is at risk if the page goes away, so keep it.
    if (queue.unsaved()) queue.persist();
    return { retryInMs };
  }

  return { settle, healthy: () => healthy };
}
