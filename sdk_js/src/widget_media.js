// Think-aloud in the study widget: after the participant agrees to the study's consent
// text, the microphone (and the camera, when the study asks) is recorded with
// MediaRecorder in one-second pieces, each uploaded with the session
// (POST <endpoint>/api/v1/media, the project key) in order, retried like batches, and
// stored once however often it is sent. Nothing here runs without the participant's
// yes; stop() ends the recording and releases the devices.

export const MEDIA_PATH = '/api/v1/media';
/** One piece a second: a page left mid-sentence loses at most that much. */
export const TIMESLICE_MS = 1000;
/** Speech needs little: 32 kbit/s Opus is 4 KB a second. */
export const AUDIO_BITS_PER_SECOND = 32_000;
export const VIDEO_BITS_PER_SECOND = 250_000;
/** Unsent pieces kept while the server cannot be reached; past it the oldest go (logged). */
export const MAX_QUEUED_BYTES = 8 * 1024 * 1024;
export const RETRY_MIN_MS = 1_000;
export const RETRY_MAX_MS = 30_000;
/** fetch keepalive carries at most 64 KB in flight: what a closing page may still send. */
export const KEEPALIVE_BYTES = 60 * 1024;

const AUDIO_TYPES = ['audio/webm;codecs=opus', 'audio/ogg;codecs=opus', 'audio/mp4'];
const VIDEO_TYPES = ['video/webm;codecs=vp8,opus', 'video/webm', 'video/mp4'];

/** The first type this browser's MediaRecorder can write, or '' (its default). */
export function pickMimeType(MediaRecorderClass, camera) {
  const wanted = camera ? VIDEO_TYPES : AUDIO_TYPES;
  const supported = MediaRecorderClass && typeof MediaRecorderClass.isTypeSupported === 'function'
    ? wanted.find((type) => MediaRecorderClass.isTypeSupported(type)) : '';
  return supported || '';
}

/** A recording's id: 16 url-safe characters. */
export function recordingId(random = Math.random) {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  let id = 'rec-';
  for (let i = 0; i < 16; i += 1) id += alphabet[Math.floor(random() * alphabet.length)];
  return id;
}

/** What to do after an upload's answer: 'done', 'retry' (later) or 'drop' (the server refused it for good). */
export function uploadOutcome(status) {
  if (status >= 200 && status < 300) return 'done';
  if (status === 0 || status === 404 || status === 408 || status === 429 || status >= 500) return 'retry';
  return 'drop'; // 400 malformed, 401/403 key, 409 another project's session, 413 too large
}

/**
 * The upload queue of one recording: pieces go one at a time, in order; a failure
 * waits (1 s doubling to 30 s; 404 means the session's first batch is not stored yet)
 * and tries the same piece again. flushOnExit() sends what it can with keepalive.
 */
export function createMediaUploader({ fetch, endpoint, key, sessionId, recording, kind, mime, startedAt, setTimeout, clearTimeout, log }) {
  const queue = [];
  let queuedBytes = 0;
  let sending = false;
  let waitMs = RETRY_MIN_MS;
  let timer = null;
  let stopped = false;
  let warned = false;

  function url(seq) {
    const query = new URLSearchParams({ session_id: sessionId(), recording, seq: String(seq), kind, started_at: String(startedAt) });
    return `${endpoint}${MEDIA_PATH}?${query}`;
  }

  function request(piece, keepalive = false) {
    return fetch(url(piece.seq), {
      method: 'POST', body: piece.data, keepalive, credentials: 'omit', mode: 'cors',
      headers: { 'Content-Type': mime || (kind === 'video' ? 'video/webm' : 'audio/webm'), 'X-Replaydesk-Key': key },
    });
  }

  async function pump() {
    if (sending || stopped || !queue.length) return;
    sending = true;
    const piece = queue[0];
    let outcome;
    try {
      outcome = uploadOutcome((await request(piece)).status);
    } catch (_) {
      outcome = 'retry';
    }
    sending = false;
    if (outcome === 'retry') {
      timer = setTimeout(() => { timer = null; pump(); }, waitMs);
      waitMs = Math.min(RETRY_MAX_MS, waitMs * 2);
      return;
    }
    if (outcome === 'drop' && !warned) {
      warned = true;
      log.warn('the server refused a piece of the think-aloud recording');
    }
    waitMs = RETRY_MIN_MS;
    queue.shift();
    queuedBytes -= piece.data.size;
    pump();
  }

  return {
    /** Piece `seq` of the recording (a Blob). */
    add(seq, data) {
      if (stopped || !data || !data.size) return;
      queue.push({ seq, data });
      queuedBytes += data.size;
      while (queuedBytes > MAX_QUEUED_BYTES && queue.length > 1) {
        const dropped = queue.splice(sending ? 1 : 0, 1)[0];
        queuedBytes -= dropped.data.size;
        log.warn('the think-aloud upload fell behind: a piece was left out');
      }
      pump();
    },
    get pending() {
      return queue.length;
    },
    /** The page is going: send what fits in keepalive's budget, now. */
    flushOnExit() {
      let budget = KEEPALIVE_BYTES;
      for (const piece of queue.slice(sending ? 1 : 0)) {
        if (piece.data.size > budget) break;
        budget -= piece.data.size;
        try {
          request(piece, true).catch(() => {});
        } catch (_) {
          // the page is closing: nothing more to do
        }
      }
    },
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}

/**
 * Ask for the microphone (and camera) and record. Resolves with {stream, recording,
 * stop()} once recording, or rejects when the participant or the browser refuses.
 * `onPiece(seq, blob)` hears each piece; `now()` stamps the start on the page's clock.
 */
export async function startRecorder({ navigator, MediaRecorder: MediaRecorderClass, camera, onPiece, now }) {
  if (!navigator || !navigator.mediaDevices || !MediaRecorderClass) throw new Error('this browser cannot record');
  const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: camera ? { width: 320, height: 240 } : false });
  const mimeType = pickMimeType(MediaRecorderClass, camera);
  const options = { audioBitsPerSecond: AUDIO_BITS_PER_SECOND };
  if (camera) options.videoBitsPerSecond = VIDEO_BITS_PER_SECOND;
  if (mimeType) options.mimeType = mimeType;
  const recorder = new MediaRecorderClass(stream, options);
  let seq = 0;
  recorder.ondataavailable = (event) => {
    if (event.data && event.data.size) onPiece(seq++, event.data);
  };
  const startedAt = now();
  recorder.start(TIMESLICE_MS);
  return {
    stream,
    startedAt,
    mime: recorder.mimeType || mimeType,
    stop() {
      if (recorder.state !== 'inactive') recorder.stop(); // hands over the last piece first
      for (const track of stream.getTracks()) track.stop();
    },
  };
}

/**
 * The think-aloud of one page: start() asks for the devices and records, uploading as
 * it goes; stop() ends it; flushOnExit() when the page goes. `stream` is the live
 * media (for observers listening in). A page load starts a new recording: pieces of
 * one MediaRecorder run make one file, and each file knows when it started.
 */
export function createThinkAloud({ window, media, camera, log, random = Math.random }) {
  let recorder = null;
  let uploader = null;
  const early = [];
  return {
    get stream() {
      return recorder ? recorder.stream : null;
    },
    get recording() {
      return Boolean(recorder);
    },
    async start() {
      if (recorder) return;
      const recording = recordingId(random);
      const started = await startRecorder({
        navigator: window.navigator,
        MediaRecorder: window.MediaRecorder,
        camera,
        now: () => Date.now(),
        onPiece: (seq, data) => (uploader ? uploader.add(seq, data) : early.push([seq, data])),
      });
      recorder = started;
      uploader = createMediaUploader({
        fetch: window.fetch.bind(window), endpoint: media.endpoint, key: media.key, sessionId: media.sessionId,
        recording, kind: camera ? 'video' : 'audio', mime: started.mime, startedAt: started.startedAt,
        setTimeout: window.setTimeout.bind(window), clearTimeout: window.clearTimeout.bind(window), log,
      });
      for (const [seq, data] of early.splice(0)) uploader.add(seq, data);
    },
    stop() {
      if (recorder) recorder.stop();
      recorder = null;
      // the uploader keeps sending what is queued (the last piece comes after stop())
    },
    flushOnExit() {
      if (uploader) uploader.flushOnExit();
    },
    /** Pieces waiting to be sent (tests, and the panel's "saving…"). */
    get pending() {
      return uploader ? uploader.pending : 0;
    },
  };
}
