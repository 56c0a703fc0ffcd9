// One POST of one batch to the ingest route, and what came back. Bodies of 1 KB and
// more are gzipped while the server accepts gzip; a request unanswered after 20 s is
// aborted. No answer (offline, server down, CORS failure, timeout) is status 0.

import { INGEST_PATH, KEEPALIVE_MAX_BYTES, MIN_COMPRESS_CHARS, REQUEST_TIMEOUT_MS } from './constants.js';
import { parseJson } from './safe.js';

/** gzip `text` with the browser's CompressionStream; resolves to bytes. */
export async function gzip(text, CompressionStreamClass = globalThis.CompressionStream) {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStreamClass('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** What an acknowledgement's JSON tells the page: {live, commands, duplicate}, whatever its shape. */
export function readAnswer(answer) {
  return {
    live: Boolean(answer && answer.live === true),
    commands: answer && Array.isArray(answer.commands) ? answer.commands : [],
    duplicate: Boolean(answer && answer.duplicate),
  };
}

/** The fetch() options of one batch; `body` is bytes. */
export function requestInit({ key, body, gzipped, signal }) {
  const headers = { 'Content-Type': 'application/json', 'X-Replaydesk-Key': key };
  if (gzipped) headers['Content-Encoding'] = 'gzip';
  return {
    method: 'POST',
    headers,
    body,
    // keepalive lets the request outlive the page, but browsers refuse large keepalive bodies.
    keepalive: body.byteLength <= KEEPALIVE_MAX_BYTES,
    credentials: 'omit',
    mode: 'cors',
    signal,
  };
}

/**
 * `compress` (text → Promise<bytes>) or null. `post(batch)` resolves to
 * {status, retryAfter, answer, gzipped}; a gzipped body is kept on `batch.gzipped`
 * for its resends and its beacon.
 */
export function createIngestRequest({ endpoint, key, fetch, compress, setTimer, clearTimer, AbortControllerClass }) {
  const url = `${endpoint}${INGEST_PATH}`;
  const encoder = new TextEncoder();
  let gzipAllowed = Boolean(compress);

  async function encode(batch) {
    if (gzipAllowed && batch.body.length >= MIN_COMPRESS_CHARS) {
      if (!batch.gzipped) batch.gzipped = await compress(batch.body);
      return { body: batch.gzipped, gzipped: true };
    }
    return { body: encoder.encode(batch.body), gzipped: false };
  }

  async function post(batch) {
    const { body, gzipped } = await encode(batch);
    const controller = AbortControllerClass ? new AbortControllerClass() : null;
    const timeout = controller ? setTimer(() => controller.abort(), REQUEST_TIMEOUT_MS) : null;
    try {
      const response = await fetch(url, requestInit({ key, body, gzipped, signal: controller ? controller.signal : undefined }));
      // text(), never json(): errors.js wraps Response.prototype.json for the host's sake.
      const answer = parseJson(await response.text(), {}); // a refusal's {message} says why
      return { status: response.status, retryAfter: response.headers.get('Retry-After'), answer, gzipped };
    } catch (_) {
      return { status: 0, retryAfter: null, answer: null, gzipped };
    } finally {
      if (timeout !== null) clearTimer(timeout);
    }
  }

  return {
    /** Resolves to the answer; rejects only when compressing fails. */
    post,
    /** The server answered 415 to gzip: plain JSON from now on. */
    refuseGzip() {
      gzipAllowed = false;
    },
    gzipAllowed: () => gzipAllowed,
  };
}
