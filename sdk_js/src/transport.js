// Batching and delivery (STYLE P15). Events are buffered as JSON text, cut into
// batches numbered by `seq`, and sent one at a time, in order:
//   - flush 2 s after the first buffered event (500 ms while the server says `live`),
//     or at once when the buffer reaches 256 K characters;
//   - gzip with CompressionStream when available (`Content-Encoding: gzip`);
//   - retry 5xx / network errors with bounded exponential backoff and jitter, honour
//     Retry-After on 429, drop a batch on any other 4xx (logged), stop on 401/403;
//   - when the page hides: sendBeacon what is waiting (key and encoding in the query),
//     and keep every batch queued and in the outbox until a fetch is acknowledged;
//   - while the server says `live` and the page is idle: an empty poll every second,
//     since moderator commands ride on ingest answers.
// fetch, sendBeacon, timers, clock, randomness and storage are injected.

import {
  FLUSH_INTERVAL_MS,
  INGEST_PATH,
  KEEPALIVE_MAX_BYTES,
  LIVE_FLUSH_INTERVAL_MS,
  LIVE_POLL_INTERVAL_MS,
  MAX_BATCH_CHARS,
  MAX_QUEUED_CHARS,
  MAX_RETRY_AFTER_MS,
  MIN_COMPRESS_CHARS,
  REQUEST_TIMEOUT_MS,
  RETRY_BASE_DELAY_MS,
  RETRY_JITTER_RATIO,
  RETRY_MAX_DELAY_MS,
} from './constants.js';
import { parseJson } from './safe.js';

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

/** gzip `text` with the browser's CompressionStream; resolves to bytes. */
export async function gzip(text, CompressionStreamClass = globalThis.CompressionStream) {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStreamClass('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** The JSON text of one batch, fields in the SPEC's order; `eventsJson` are serialized events. */
export function batchBody({ sessionId, windowId, seq, eventsJson, meta }) {
  return `{"session_id":${JSON.stringify(sessionId)},"window_id":${JSON.stringify(windowId)},"seq":${seq},"events":[${eventsJson.join(',')}],"meta":${JSON.stringify(meta)}}`;
}

/**
 * Create the transport of one window (page load).
 *
 * - `getContext()` → {sessionId, windowId, meta}, read when a batch is cut.
 * - `onAnswer({live, commands})` after each acknowledged batch.
 * - `onFatal(status)` once when the server refuses the key; the transport has stopped.
 * - `outbox` (outbox.js) or null; `compress` (text → Promise<bytes>) or null.
 */
export function createTransport({
  endpoint,
  key,
  fetch,
  sendBeacon = null,
  compress = null,
  outbox = null,
  getContext,
  onAnswer = () => {},
  onFatal = () => {},
  now = Date.now,
  random = Math.random,
  setTimeout: setTimer = globalThis.setTimeout,
  clearTimeout: clearTimer = globalThis.clearTimeout,
  AbortControllerClass = globalThis.AbortController,
  log = null,
}) {
  const ingestUrl = `${endpoint}${INGEST_PATH}`;
  const beaconUrl = `${ingestUrl}?key=${encodeURIComponent(key)}`;
  const encoder = new TextEncoder();

  let buffer = []; // serialized events not yet in a batch
  let bufferChars = 0;
  let queue = []; // batches not yet acknowledged, oldest first
  let nextSeq = 0;
  let live = false;
  let healthy = true; // the last request was answered 2xx (or none failed yet); reported in `state`
  let gzipAllowed = Boolean(compress);
  let sending = false;
  let inFlight = null;
  let flushTimer = null;
  let retryTimer = null;
  let pollTimer = null;
  let stopped = false;

  function queuedChars() {
    return queue.reduce((sum, batch) => sum + batch.body.length, 0);
  }

  function enqueue(batch) {
    queue.push(batch);
    // Memory is bounded: during a long outage the oldest batches go first (they are in the outbox, if any).
    while (queue.length > 1 && queuedChars() > MAX_QUEUED_CHARS) {
      const victim = queue.find((candidate) => candidate !== inFlight);
      queue = queue.filter((candidate) => candidate !== victim);
      if (log) log.warn(`dropped unsent batch ${victim.id}: more than ${MAX_QUEUED_CHARS} characters waiting`);
    }
  }

  function remove(batch) {
    queue = queue.filter((candidate) => candidate !== batch);
    if (batch.persisted && outbox) outbox.remove([batch.id]);
  }

  function persistQueue() {
    if (!outbox || !queue.length) return;
    outbox.save(queue);
    for (const batch of queue) batch.persisted = true;
  }

  /** Turn the buffer into a batch; returns it, or null when nothing was buffered. */
  function cutBatch() {
    if (!buffer.length) return null;
    const { sessionId, windowId, meta } = getContext();
    const seq = nextSeq;
    nextSeq += 1;
    const body = batchBody({ sessionId, windowId, seq, eventsJson: buffer, meta });
    buffer = [];
    bufferChars = 0;
    const batch = { id: `${sessionId}/${windowId}/${seq}`, body, seq, attempt: 0, gzipped: null, persisted: false, beaconed: false };
    enqueue(batch);
    return batch;
  }

  function scheduleFlush() {
    if (flushTimer !== null || stopped) return;
    flushTimer = setTimer(() => {
      flushTimer = null;
      flush();
    }, live ? LIVE_FLUSH_INTERVAL_MS : FLUSH_INTERVAL_MS);
  }

  async function encode(batch) {
    if (gzipAllowed && batch.body.length >= MIN_COMPRESS_CHARS) {
      if (!batch.gzipped) batch.gzipped = await compress(batch.body);
      return { body: batch.gzipped, gzipped: true };
    }
    return { body: encoder.encode(batch.body), gzipped: false };
  }

  async function post(batch) {
    const { body, gzipped } = await encode(batch);
    const headers = { 'Content-Type': 'application/json', 'X-Replaydesk-Key': key };
    if (gzipped) headers['Content-Encoding'] = 'gzip';
    const controller = AbortControllerClass ? new AbortControllerClass() : null;
    const timeout = controller ? setTimer(() => controller.abort(), REQUEST_TIMEOUT_MS) : null;
    try {
      const response = await fetch(ingestUrl, {
        method: 'POST',
        headers,
        body,
        // keepalive lets the request outlive the page, but browsers refuse large keepalive bodies.
        keepalive: body.byteLength <= KEEPALIVE_MAX_BYTES,
        credentials: 'omit',
        mode: 'cors',
        signal: controller ? controller.signal : undefined,
      });
      // text(), never json(): errors.js wraps Response.prototype.json for the host's sake.
      const answer = response.ok ? parseJson(await response.text(), {}) : null;
      return { status: response.status, retryAfter: response.headers.get('Retry-After'), answer, gzipped };
    } catch (_) {
      return { status: 0, retryAfter: null, answer: null, gzipped };
    } finally {
      if (timeout !== null) clearTimer(timeout);
    }
  }

  function handleResult(batch, { status, retryAfter, answer, gzipped }) {
    const verdict = classifyStatus(status);
    if (verdict === 'ack') {
      healthy = true;
      remove(batch);
      takeAnswer(answer);
      return true;
    }
    if (verdict === 'fatal') {
      if (log) log.error(`the server refused the project key (HTTP ${status}); recording stops`);
      discard();
      stopped = true;
      clearTimers();
      onFatal(status);
      return false;
    }
    if (verdict === 'bad_encoding' && gzipped) {
      if (log) log.warn('the server does not accept gzip; sending uncompressed');
      gzipAllowed = false;
      return true;
    }
    if (verdict === 'drop' || verdict === 'bad_encoding') {
      if (log) log.warn(`batch ${batch.id} rejected with HTTP ${status}; dropped`);
      remove(batch);
      return true;
    }
    healthy = false;
    const delay = retryDelayMs({ verdict, attempt: batch.attempt, retryAfter, now: now(), random });
    batch.attempt += 1;
    if (log) log.debug(`batch ${batch.id} not delivered (HTTP ${status}); retry in ${delay} ms`);
    // The server is failing: what waits is at risk if the page goes away, so keep it.
    if (queue.some((waiting) => !waiting.persisted)) persistQueue();
    if (!stopped) {
      retryTimer = setTimer(() => {
        retryTimer = null;
        pump();
      }, delay);
    }
    return false;
  }

  function takeAnswer(answer) {
    live = Boolean(answer && answer.live === true);
    const commands = answer && Array.isArray(answer.commands) ? answer.commands : [];
    onAnswer({ live, commands, duplicate: Boolean(answer && answer.duplicate) });
    schedulePoll();
  }

  function schedulePoll() {
    if (pollTimer !== null || stopped || !live) return;
    pollTimer = setTimer(() => {
      pollTimer = null;
      poll();
    }, LIVE_POLL_INTERVAL_MS);
  }

  /**
   * While someone watches, ask the server even without events: an empty batch stores
   * nothing and leaves its seq free, and its answer carries moderator commands.
   */
  async function poll() {
    if (stopped || !live) return;
    if (buffer.length || queue.length || sending) {
      schedulePoll(); // a real batch is on its way and brings the answer
      return;
    }
    const { sessionId, windowId, meta } = getContext();
    const body = batchBody({ sessionId, windowId, seq: nextSeq, eventsJson: [], meta });
    const result = await post({ id: 'poll', body, seq: nextSeq, gzipped: null });
    if (classifyStatus(result.status) === 'ack') takeAnswer(result.answer);
    else schedulePoll();
  }

  /** Send queued batches one at a time, oldest first, until the queue is empty or a retry waits. */
  async function pump() {
    while (!sending && !stopped && retryTimer === null && queue.length) {
      const batch = queue[0];
      sending = true;
      inFlight = batch;
      let result;
      try {
        result = await post(batch);
      } catch (_) {
        result = { status: 0, retryAfter: null, answer: null, gzipped: false };
      }
      sending = false;
      inFlight = null;
      if (!handleResult(batch, result)) return;
    }
  }

  function flush() {
    if (stopped) return;
    if (flushTimer !== null) {
      clearTimer(flushTimer);
      flushTimer = null;
    }
    cutBatch();
    pump();
  }

  function sendByBeacon(batch) {
    if (batch.gzipped && gzipAllowed) {
      if (batch.gzipped.byteLength > KEEPALIVE_MAX_BYTES) return false;
      return sendBeacon(`${beaconUrl}&compression=gzip`, new Blob([batch.gzipped]));
    }
    if (batch.body.length > KEEPALIVE_MAX_BYTES) return false;
    // A string body goes as text/plain: a CORS-safelisted type, so no preflight is needed.
    return sendBeacon(beaconUrl, batch.body);
  }

  /**
   * The page is hiding or going away: no promise may be awaited. Every waiting batch
   * goes by sendBeacon, once. A beacon is only "queued by the browser", never
   * confirmed: the server may have gone down since its last answer, and a beacon to a
   * dead server is lost without a trace. So every batch, beaconed or not, stays queued
   * and in the outbox until a fetch is acknowledged: this page sends it again if it
   * lives on (a hidden tab comes back), otherwise the next page of the site does.
   * The server acknowledges a copy it already has with `duplicate: true` and stores it
   * once: a duplicate costs one request, a loss is forever. The batch in flight is
   * kept too: its request may die with the page.
   */
  function flushOnExit() {
    if (stopped) return;
    if (flushTimer !== null) {
      clearTimer(flushTimer);
      flushTimer = null;
    }
    cutBatch();
    if (sendBeacon) {
      for (const batch of queue.filter((candidate) => candidate !== inFlight && !candidate.beaconed)) {
        let accepted = false;
        try {
          accepted = sendByBeacon(batch) === true;
        } catch (_) {
          accepted = false;
        }
        if (!accepted) break; // the browser's beacon quota is used up: the rest waits in the outbox
        batch.beaconed = true; // pagehide follows visibilitychange: one beacon per batch is enough
      }
    }
    persistQueue();
  }

  function clearTimers() {
    if (flushTimer !== null) clearTimer(flushTimer);
    if (retryTimer !== null) clearTimer(retryTimer);
    if (pollTimer !== null) clearTimer(pollTimer);
    flushTimer = null;
    retryTimer = null;
    pollTimer = null;
  }

  function discard() {
    buffer = [];
    bufferChars = 0;
    queue = [];
    if (outbox) outbox.clear();
  }

  return {
    /** Buffer one rrweb event. */
    add(event) {
      if (stopped) return;
      const json = JSON.stringify(event);
      buffer.push(json);
      bufferChars += json.length + 1;
      if (bufferChars >= MAX_BATCH_CHARS) flush();
      else scheduleFlush();
    },
    flush,
    /** Cut the buffer as a batch of the current context now (before a session rotates). */
    cutBatch,
    flushOnExit,
    /** Queue batches kept by an earlier page ({id, body}); they are sent first. */
    adopt(entries) {
      const adopted = entries
        .filter((entry) => !queue.some((batch) => batch.id === entry.id))
        .map((entry) => ({ id: entry.id, body: entry.body, seq: null, attempt: 0, gzipped: null, persisted: true, beaconed: false }));
      queue = [...adopted, ...queue];
      if (adopted.length) pump();
    },
    /** Stop for good: flush what can be flushed (unless `discard`), clear every timer. */
    stop({ discard: dropEverything = false } = {}) {
      if (dropEverything) discard();
      else flushOnExit();
      stopped = true;
      clearTimers();
    },
    get state() {
      return { live, healthy, buffered: buffer.length, queued: queue.length, nextSeq, stopped, gzipAllowed };
    },
  };
}
