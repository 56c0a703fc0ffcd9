// What an ingest answer means for the batch that got it, and how long to wait before
// sending it again (STYLE P15: bounded backoff, Retry-After on 429, stop on other 4xx).
// Pure: the clock and the randomness come in as arguments.

import { MAX_RETRY_AFTER_MS, RETRY_BASE_DELAY_MS, RETRY_JITTER_RATIO, RETRY_MAX_DELAY_MS } from './constants.js';

/**
 * What to do with a batch after the server answered `status` (0: no answer).
 * "ack" | "retry" | "throttled" (429) | "bad_encoding" (415) | "drop" (other 4xx) | "fatal" (401, 403).
 */
export function classifyStatus(status) {
  if (status >= 200 && status < 300) return 'ack';
  if (status === 429) return 'throttled';
  if (status === 401 || status === 403) return 'fatal'; // the key is wrong: every batch would fail
  if (status === 415) return 'bad_encoding';
  if (status === 408) return 'retry'; // a timeout is the network's fault, not the batch's
  if (status >= 400 && status < 500) return 'drop'; // the batch itself is rejected: resending cannot help
  return 'retry'; // 5xx, no answer (offline, server down, CORS failure)
}

/** ms to wait before retry number `attempt` (0-based): exponential, capped, with jitter. */
export function backoffDelayMs(attempt, random = Math.random) {
  const ceiling = Math.min(RETRY_MAX_DELAY_MS, RETRY_BASE_DELAY_MS * 2 ** Math.max(0, attempt));
  return Math.round(ceiling * (1 - RETRY_JITTER_RATIO) + ceiling * RETRY_JITTER_RATIO * random());
}

/** A Retry-After header (seconds or HTTP date) in ms from `now`, capped; null when absent or unreadable. */
export function parseRetryAfterMs(value, now = Date.now()) {
  if (value == null || String(value).trim() === '') return null;
  const text = String(value).trim();
  let delay;
  if (/^\d+(\.\d+)?$/.test(text)) delay = Number(text) * 1000;
  else {
    const date = Date.parse(text);
    if (Number.isNaN(date)) return null;
    delay = Math.max(0, date - now);
  }
  return Math.min(delay, MAX_RETRY_AFTER_MS);
}

/** ms to wait before resending after a "retry" or "throttled" verdict. */
export function retryDelayMs({ verdict, attempt, retryAfter, now, random }) {
  if (verdict === 'throttled') {
    const serverDelay = parseRetryAfterMs(retryAfter, now);
    if (serverDelay !== null) return serverDelay;
  }
  return backoffDelayMs(attempt, random);
}
