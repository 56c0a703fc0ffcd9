// Every interval, size and limit the SDK uses: value, unit, and why (STYLE P12).
// Change them here, never inline.

/** Reported in meta.sdk_version; a test keeps it equal to package.json's version. */
export const SDK_VERSION = '0.1.0';

// --- Batching -------------------------------------------------------------

/** ms between flushes of buffered events: SPEC, "flush every 2 s". */
export const FLUSH_INTERVAL_MS = 2000;

/** ms between flushes while the server answered `live: true`: observers need < 2 s delay. */
export const LIVE_FLUSH_INTERVAL_MS = 500;

/**
 * ms between empty "poll" batches while someone watches and the visitor is idle: a
 * moderator's command rides on an ingest answer, so an idle page would never get it.
 */
export const LIVE_POLL_INTERVAL_MS = 1000;

/**
 * Characters of serialized events that make a batch flush at once. 256 KiB of JSON
 * stays far below the server's 1 MiB compressed / 16 MiB decompressed limits, and
 * bounds what one failed request has to carry again. (Characters approximate bytes.)
 */
export const MAX_BATCH_CHARS = 256 * 1024;

/** Bodies below this many characters are sent uncompressed: gzip framing would outweigh the gain. */
export const MIN_COMPRESS_CHARS = 1024;

/**
 * Bytes a keepalive fetch or sendBeacon may carry. Browsers refuse larger
 * keepalive bodies (the Fetch spec's 64 KiB in-flight quota).
 */
export const KEEPALIVE_MAX_BYTES = 64 * 1024;

// --- Retry ----------------------------------------------------------------

/** ms before the first retry of a failed batch. */
export const RETRY_BASE_DELAY_MS = 1000;

/** ms cap of the exponential backoff: a server back after an outage hears from us within 30 s. */
export const RETRY_MAX_DELAY_MS = 30 * 1000;

/** Fraction of each backoff delay that is random, so many tabs do not retry in lockstep. */
export const RETRY_JITTER_RATIO = 0.5;

/** ms cap on a server's Retry-After: a misconfigured header must not silence the SDK for hours. */
export const MAX_RETRY_AFTER_MS = 10 * 60 * 1000;

/** ms before an unanswered request is aborted and retried: a hung server must not stall the queue. */
export const REQUEST_TIMEOUT_MS = 20 * 1000;

// --- Holding unsent batches -----------------------------------------------

/** Characters of unsent batches kept in memory; past it the oldest are dropped (logged). */
export const MAX_QUEUED_CHARS = 8 * 1024 * 1024;

/**
 * Characters of unsent batches kept in localStorage across a reload. Browsers give an
 * origin about 5 M characters; the host page needs most of them. A minute of a busy
 * page is about 150 K characters, so 1.5 M covers a long outage.
 */
export const MAX_PERSISTED_CHARS = 1500 * 1024;

/** ms after which a persisted batch is stale and discarded unsent: a session a day old is over. */
export const MAX_PERSISTED_AGE_MS = 24 * 60 * 60 * 1000;

// --- Session --------------------------------------------------------------

/** ms without user activity after which the next activity starts a new session: SPEC, 30 min idle. */
export const SESSION_IDLE_TIMEOUT_MS = 30 * 60 * 1000;

/** ms after which a session rotates even when active: keeps one replay watchable. */
export const SESSION_MAX_DURATION_MS = 24 * 60 * 60 * 1000;

/** ms between writes of the activity time to sessionStorage: mouse moves must not hammer storage. */
export const SESSION_WRITE_THROTTLE_MS = 5000;

/** Length of generated ids; SPEC allows 8-64 chars of [A-Za-z0-9_-]. 22 chars = 132 random bits. */
export const ID_LENGTH = 22;

// --- Errors and logging ---------------------------------------------------

/** Characters kept of an error message / stack: one runaway error must not fill a batch. */
export const MAX_ERROR_MESSAGE_CHARS = 1000;
export const MAX_ERROR_STACK_CHARS = 4000;

/** `$error` events per page load; past it errors are counted, not sent (error loops). */
export const MAX_ERROR_EVENTS_PER_PAGE = 100;

// --- Console and network capture (rrweb plugin events) ----------------------

/**
 * Console lines recorded per minute of a page (`captureConsole`); past it lines are
 * dropped until the minute is over, so a logging loop cannot flood the recording.
 */
export const MAX_CONSOLE_LINES_PER_MINUTE = 100;

/** Arguments kept of one console call; the rest are counted ("… 3 more"). */
export const MAX_CONSOLE_ARGS = 20;

/** Characters of one stringified console argument, and of all of a line's arguments. */
export const MAX_CONSOLE_ARG_CHARS = 2000;
export const MAX_CONSOLE_LINE_CHARS = 8000;

/** Objects in a console argument: nesting levels and keys per object written out. */
export const MAX_STRINGIFY_DEPTH = 4;
export const MAX_STRINGIFY_KEYS = 50;

/** Stack frames kept in a console line's `trace` (and characters per frame). */
export const MAX_TRACE_FRAMES = 10;
export const MAX_TRACE_FRAME_CHARS = 300;

/** Requests (fetch, XHR, resources) recorded per minute of a page; past it they are dropped. */
export const MAX_REQUESTS_PER_MINUTE = 300;

/** Characters of a recorded URL (a data: URL can be megabytes). */
export const MAX_URL_CHARS = 2048;

/** Default bound of a recorded request or response body (only when bodies are allowed). */
export const DEFAULT_MAX_BODY_BYTES = 2048;

/**
 * ms a finished fetch/XHR waits for its resource timing entry (transfer size, end of the
 * body) before it is recorded without one; page hide and stop() record the rest at once.
 */
export const NETWORK_ENTRY_WAIT_MS = 10 * 1000;

/** Finished fetch/XHR requests waiting for their entry; past it the oldest is recorded without. */
export const MAX_REQUESTS_WAITING = 100;

/** Internal log lines per page load: a broken SDK must not flood the host's console. */
export const MAX_LOG_LINES = 50;

/** Prefix of every console line the SDK writes; console.error capture skips these. */
export const LOG_PREFIX = '[replaydesk]';

// --- Storage keys ---------------------------------------------------------

export const STORAGE_KEYS = Object.freeze({
  session: 'rd_session', // sessionStorage: {id, startedAt, lastActivityAt, sampled}
  study: 'rd_study', // sessionStorage: {study, participant} from invite links
  variants: 'rd_variants', // sessionStorage: {experiment: variant}
  task: 'rd_task', // sessionStorage: the task the widget shows
  studyTasks: 'rd_study_tasks', // sessionStorage: {study, tasks, finished} the widget walks through
  distinctId: 'rd_distinct_id', // localStorage: identified or anonymous user id
  optOut: 'rd_opt_out', // localStorage: "1" when the visitor opted out
  outbox: 'rd_outbox', // localStorage: unsent batches kept across reloads
});

/** Invite-link query parameters that carry the study context. */
export const STUDY_PARAM = 'rd_study';
export const PARTICIPANT_PARAM = 'rd_participant';

/** Route the SDK posts batches to, below the configured endpoint. */
export const INGEST_PATH = '/api/v1/ingest';

/** Route that assigns experiment variants to a distinct_id. */
export const DECIDE_PATH = '/api/v1/decide';
/** Path of the study task widget's chunk below the endpoint (built from widget.js, loaded on demand). */
export const WIDGET_CHUNK_PATH = '/sdk/replaydesk-widget.js';
/** Route of a study's task list (`/api/v1/studies/<slug>/tasks?key=…`), below the endpoint. */
export const STUDY_TASKS_PATH = (slug) => `/api/v1/studies/${encodeURIComponent(slug)}/tasks`;

/** Path of rrweb's canvas recorder chunk below the endpoint (built from canvas.js, loaded only with recordCanvas). */
export const CANVAS_CHUNK_PATH = '/sdk/replaydesk-canvas.js';
/**
 * Canvas recording (`recordCanvas`) takes sampled frames, never every drawing call: a
 * chart redrawn 60 times a second would otherwise outweigh the rest of the recording.
 * Frames per second by default and at most; an unchanged canvas sends nothing.
 */
export const CANVAS_FPS = 2;
export const MAX_CANVAS_FPS = 10;
/** Frames are WebP at this quality by default (0..1), never above the maximum: a frame of a 900×330 chart is ~10 KB. */
export const CANVAS_QUALITY = 0.6;
export const MAX_CANVAS_QUALITY = 0.9;
export const CANVAS_FRAME_TYPE = 'image/webp';
