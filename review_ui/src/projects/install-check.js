// The install page's check: has a batch arrived since the page opened? Pure.
import { formatAgo } from '../live/presence.js';

/**
 * receivedState({openedAt, lastReceivedAt, now}) → {state, text}: `received` once a
 * batch arrived after the page opened (the snippet works), else `waiting`, saying when
 * the project last heard from anyone.
 */
export function receivedState({ openedAt, lastReceivedAt, now }) {
  if (lastReceivedAt !== null && lastReceivedAt !== undefined && lastReceivedAt >= openedAt) {
    return { state: 'received', text: 'Received! The snippet works: a visit is being recorded.' };
  }
  if (lastReceivedAt === null || lastReceivedAt === undefined) return { state: 'waiting', text: 'Waiting for the first event…' };
  return { state: 'waiting', text: `Waiting for a new event… (the last one arrived ${formatAgo(now - lastReceivedAt)} ago)` };
}

/** Whether the page was reached at another address than the one the snippet sends to. */
export function reachedElsewhere(publicUrl, origin) {
  try {
    return new URL(publicUrl).origin !== new URL(origin).origin;
  } catch {
    return false;
  }
}
