// What the timeline marks and the side panel lists, derived from the session detail
// and from the events as they stream in. Pure: data in, plain objects out.
import { formatOffset, kindLabel, shortUrl } from '../lib/format.js';
import { requestLabel } from './context.js';

const CUSTOM = 5;
const INCREMENTAL = 3;
// rrweb sources that count as a user doing something (as rrweb's replayer counts them).
const INTERACTION_SOURCES = new Set([1, 2, 3, 4, 5, 6, 7, 12]);
export const INACTIVITY_MS = 10_000;

/** The failed request a click signal carries (details.request), in one line; '' without one. */
export function signalRequestText(signal) {
  const request = signal.details?.request;
  if (!request) return '';
  const outcome = request.status ?? request.error ?? 'no response';
  let origin = '';
  try { origin = new URL(signal.url).origin; } catch { /* no page URL: show the request's host */ }
  return `Request failed: ${request.method || 'GET'} ${requestLabel(request.url, origin)} → ${outcome}`;
}

export function signalMarker(signal, startedAt) {
  const target = signal.target?.selector || signal.target?.text || '';
  const count = signal.count > 1 ? ` ×${signal.count}` : '';
  return {
    id: `signal-${signal.id ?? signal.ts}`,
    kind: signal.kind,
    group: 'signal',
    offset: signal.ts - startedAt,
    label: `${kindLabel(signal.kind)}${count}`,
    detail: [[target, shortUrl(signal.url)].filter(Boolean).join(' · '), signalRequestText(signal)].filter(Boolean).join('\n'),
  };
}

export function noteMarker(note, startedAt) {
  return {
    id: `note-${note.id}`,
    kind: 'note',
    group: 'note',
    offset: note.ts - startedAt,
    label: `Note: ${note.text.length > 60 ? `${note.text.slice(0, 57)}…` : note.text}`,
    detail: note.author || '',
    note,
  };
}

export function pageMarker(page, startedAt) {
  return {
    id: `page-${page.entered}-${page.url}`,
    kind: 'pageview',
    group: 'page',
    offset: page.entered - startedAt,
    label: `Page: ${shortUrl(page.url)}`,
    detail: page.title || '',
    page,
  };
}

export function markersFromSession(session) {
  const start = session.started_at;
  return [
    ...(session.pages || []).map((page) => pageMarker(page, start)),
    ...(session.signals || []).map((signal) => signalMarker(signal, start)),
    ...(session.annotations || []).map((note) => noteMarker(note, start)),
  ];
}

/** Task and error markers from custom events ($task, $error) in a page of events. */
export function markersFromEvents(events, startedAt) {
  const found = [];
  for (const event of events) {
    if (event.type !== CUSTOM || !event.data) continue;
    const { tag, payload = {} } = event.data;
    if (tag === '$task') {
      found.push({ id: `task-${event.timestamp}-${payload.task_id}`, kind: 'task', group: 'task', offset: event.timestamp - startedAt,
        label: `Task ${payload.task_id ?? ''}: ${payload.status ?? ''}`.trim(), detail: '' });
    } else if (tag === '$error') {
      found.push({ id: `error-${event.timestamp}`, kind: 'error', group: 'error', offset: event.timestamp - startedAt,
        label: `Error: ${String(payload.message ?? '').slice(0, 80)}`, detail: payload.source ? shortUrl(payload.source) : '' });
    }
  }
  return found;
}

/**
 * Gaps of more than INACTIVITY_MS between user interactions, found incrementally:
 * pass the same `state` object with each page of events.
 */
export function inactivePeriods(events, startedAt, state) {
  const periods = [];
  for (const event of events) {
    const isInteraction = event.type === INCREMENTAL && INTERACTION_SOURCES.has(event.data?.source);
    if (!isInteraction) continue;
    const last = state.lastInteraction ?? startedAt;
    if (event.timestamp - last > INACTIVITY_MS) periods.push({ start: last - startedAt, end: event.timestamp - startedAt });
    state.lastInteraction = event.timestamp;
  }
  return periods;
}

export function describe(marker) {
  return `${marker.label} at ${formatOffset(marker.offset)}`;
}

/** The marker before/after `offset` among `markers` (sorted by offset), for [ and ]. */
export function adjacent(markers, offset, direction) {
  const sorted = [...markers].sort((a, b) => a.offset - b.offset);
  if (direction > 0) return sorted.find((m) => m.offset > offset + 500) ?? null;
  return [...sorted].reverse().find((m) => m.offset < offset - 1500) ?? null;
}
