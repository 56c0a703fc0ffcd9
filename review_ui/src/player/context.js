// The engineer's context beside the replay: console output, network requests and custom
// events from GET /api/v1/sessions/<id>/context. Pure: filters, the entry at the current
// moment, waterfall geometry, labels and timeline markers; the DOM is context-panels.js.
import { shortUrl } from '../lib/format.js';

export const CONSOLE_LEVELS = ['error', 'warn', 'info', 'log', 'debug'];
export const LEVEL_LABELS = { error: 'Error', warn: 'Warning', info: 'Info', log: 'Log', debug: 'Debug' };

/** Status choices of the network filter, in the order the select shows them. */
export const NETWORK_FILTERS = [
  ['all', 'All requests'],
  ['failed', 'Failed'],
  ['slow', 'Slow'],
  ['2xx', '2xx success'],
  ['3xx', '3xx redirect'],
  ['4xx', '4xx client error'],
  ['5xx', '5xx server error'],
  ['none', 'No response'],
];

// The timeline keeps one marker per slice of this share of the session, so a page that
// logs an error every frame adds a few dozen buttons, not thousands.
const MARKER_SLICES = 240;
// A waterfall bar never gets thinner than this share of its track: a 2 ms request stays visible.
const MIN_BAR_PERCENT = 0.6;

/** The context as the panels use it: lists always present, in time order. */
export function normalizeContext(raw) {
  const byTime = (list) => (Array.isArray(list) ? [...list].sort((a, b) => a.ts - b.ts) : []);
  return {
    console: byTime(raw?.console),
    network: byTime(raw?.network),
    events: byTime(raw?.events),
    slowMs: Number.isFinite(raw?.slow_ms) ? raw.slow_ms : 1000,
    truncated: { console: false, network: false, events: false, ...(raw?.truncated || {}) },
  };
}

/** Case-insensitive "does any of these texts contain the needle" (an empty needle matches). */
export function matchesText(needle, ...texts) {
  const wanted = String(needle || '').trim().toLowerCase();
  if (!wanted) return true;
  return texts.some((text) => text !== null && text !== undefined && String(text).toLowerCase().includes(wanted));
}

export function levelCounts(entries) {
  const counts = Object.fromEntries(CONSOLE_LEVELS.map((level) => [level, 0]));
  for (const entry of entries) counts[entry.level] = (counts[entry.level] || 0) + 1;
  return counts;
}

/** Console entries of the chosen levels (none chosen: every level) containing the text. */
export function filterConsole(entries, { levels = [], text = '' } = {}) {
  const chosen = new Set(levels);
  return entries.filter((entry) => (!chosen.size || chosen.has(entry.level))
    && matchesText(text, entry.message, ...(entry.trace || [])));
}

/** "2xx".."5xx", "1xx", or "none" when no response came back. */
export function statusClass(request) {
  const status = request.status;
  if (status === null || status === undefined || !Number.isFinite(status)) return 'none';
  return `${Math.min(5, Math.max(1, Math.floor(status / 100)))}xx`;
}

export function isFailed(request) {
  return request.failed ?? (request.status >= 400 || (statusClass(request) === 'none' && Boolean(request.error)));
}

export function isSlow(request, slowMs) {
  return request.slow ?? (request.duration_ms !== null && request.duration_ms >= slowMs);
}

/** Requests of a status choice (NETWORK_FILTERS) whose method, URL, status or error has the text. */
export function filterNetwork(requests, { status = 'all', text = '', slowMs = 1000 } = {}) {
  const keep = {
    all: () => true,
    failed: (r) => isFailed(r),
    slow: (r) => isSlow(r, slowMs),
  }[status] || ((r) => statusClass(r) === status);
  return requests.filter((r) => keep(r) && matchesText(text, r.url, r.method, r.status, r.error, r.initiator));
}

export function isSdkTag(tag) {
  return String(tag || '').startsWith('$');
}

/** Tags in the order of their first appearance, with how often each occurs. */
export function tagCounts(events) {
  const counts = new Map();
  for (const event of events) counts.set(event.tag, (counts.get(event.tag) || 0) + 1);
  return [...counts].map(([tag, count]) => ({ tag, count }));
}

/** Custom events of a tag ('' for all), with or without the SDK's own `$` tags, containing the text. */
export function filterEvents(events, { tag = '', text = '', sdk = true } = {}) {
  return events.filter((event) => (tag ? event.tag === tag : (sdk || !isSdkTag(event.tag)))
    && matchesText(text, event.tag, compactPayload(event.payload, Infinity), json(event.payload)));
}

/**
 * Index of the last entry at or before `ts` (entries sorted by ts), or -1 when all are later.
 * Runs every animation frame while playing: a binary search.
 */
export function indexAtOrBefore(entries, ts) {
  let low = 0;
  let high = entries.length - 1;
  let found = -1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if (entries[mid].ts <= ts) { found = mid; low = mid + 1; } else high = mid - 1;
  }
  return found;
}

function requestStart(request) {
  return Number.isFinite(request.start_ms) ? request.start_ms : request.ts;
}

/** The time span the waterfall draws: from the first start to the last end among `requests`. */
export function waterfallWindow(requests) {
  if (!requests.length) return null;
  let start = Infinity;
  let end = -Infinity;
  for (const request of requests) {
    const begin = requestStart(request);
    start = Math.min(start, begin);
    end = Math.max(end, begin + Math.max(0, request.duration_ms || 0));
  }
  // One request, or several at one instant without durations: a second of room.
  return { start, end: end > start ? end : start + 1000 };
}

/** Where a request's bar sits in its track, in percent of the window. */
export function waterfallBar(request, window) {
  const span = window.end - window.start;
  const clamp = (value) => Math.min(100, Math.max(0, value));
  const left = Math.min(clamp(((requestStart(request) - window.start) / span) * 100), 100 - MIN_BAR_PERCENT);
  const width = Math.min(100 - left, Math.max(MIN_BAR_PERCENT, ((request.duration_ms || 0) / span) * 100));
  return { left, width };
}

/** Where the current moment falls in the window, in percent, or null outside it. */
export function waterfallNow(ts, window) {
  if (!window || ts < window.start || ts > window.end) return null;
  return ((ts - window.start) / (window.end - window.start)) * 100;
}

export function formatBytes(bytes) {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return '—';
  if (bytes < 1000) return `${bytes} B`;
  if (bytes < 1_000_000) return `${(bytes / 1000).toFixed(bytes < 10_000 ? 1 : 0)} kB`;
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}

export function formatMs(ms) {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

/** A request's URL as the list shows it: path and query on the session's own origin,
 * host and path elsewhere (an API on another host is worth seeing). */
export function requestLabel(url, origin) {
  try {
    const parsed = new URL(url, origin || undefined);
    return parsed.origin === origin ? parsed.pathname + parsed.search : parsed.host + parsed.pathname + parsed.search;
  } catch {
    return url || '—';
  }
}

/** The status cell: the code, the error ("network error"), or "?" when the browser hid
 * the status (a cross-origin image, a no-cors fetch). */
export function statusText(request) {
  if (statusClass(request) !== 'none') return String(request.status);
  return request.error || '?';
}

function json(value) {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** A payload on one line, `key: value, …` for an object, cut at `max` characters. */
export function compactPayload(payload, max = 140) {
  if (payload === null || payload === undefined) return '';
  let text;
  if (typeof payload === 'string') text = payload;
  else if (typeof payload === 'object' && !Array.isArray(payload)) {
    text = Object.entries(payload).map(([key, value]) => `${key}: ${typeof value === 'string' && value ? value : json(value)}`).join(', ');
  } else text = json(payload);
  if (text === '[]') return '';
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Scroll position that shows a row of a list (row top and height relative to the list's
 * content), or null when it is already in view: the list scrolls, never the page. */
export function scrollToReveal(row, view, margin = 8) {
  if (row.top < view.scrollTop + margin) return Math.max(0, row.top - margin);
  if (row.top + row.height > view.scrollTop + view.height - margin) {
    return Math.max(0, row.top + row.height - view.height + margin);
  }
  return null;
}

function clustered(items, { kind, startedAt, duration, one, many }) {
  const slice = Math.max(1, duration / MARKER_SLICES);
  const groups = new Map();
  for (const item of items) {
    const offset = Math.max(0, item.ts - startedAt);
    const key = Math.floor(offset / slice);
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push({ item, offset });
  }
  return [...groups.values()].map((group) => {
    const [first] = group;
    return {
      id: `${kind}-${first.item.ts}-${group.length}`,
      kind,
      group: 'context',
      offset: first.offset,
      label: group.length > 1 ? many(group.length) : one(first.item),
      detail: group.length > 1 ? one(first.item) : '',
    };
  });
}

function cut(text, max) {
  const one = String(text ?? '').replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

/** Timeline markers: console errors and failed requests, one per slice of the session. */
export function contextMarkers(context, startedAt, duration) {
  return [
    ...clustered(context.console.filter((entry) => entry.level === 'error'), {
      kind: 'console_error', startedAt, duration,
      one: (entry) => `Console error: ${cut(entry.message, 80)}`,
      many: (n) => `${n} console errors`,
    }),
    ...clustered(context.network.filter(isFailed), {
      kind: 'failed_request', startedAt, duration,
      one: (r) => `Failed request: ${r.method || 'GET'} ${cut(shortUrl(r.url), 60)} → ${statusText(r)}`,
      many: (n) => `${n} failed requests`,
    }),
  ];
}
