// A live room's events without gaps or doubles. The room is joined first; what it
// streams is held while the stored events are fetched (the backlog, or after a
// reconnect everything stored after the last fetch); then the fetched events are
// applied, followed by the held ones that the fetch did not already contain. Events
// have no ids, so "the same event" means the same JSON, counted (a multiset): two
// identical events in the stream stay two.

/** The identity of an event for de-duplication. */
export function eventKey(event) {
  return JSON.stringify(event);
}

function countKeys(events) {
  const counts = new Map();
  for (const event of events) {
    const key = eventKey(event);
    counts.set(key, (counts.get(key) || 0) + 1);
  }
  return counts;
}

/** `events` minus those counted in `counts` (consuming the counts). */
export function withoutCounted(events, counts) {
  const kept = [];
  for (const event of events) {
    const key = eventKey(event);
    const left = counts.get(key) || 0;
    if (left > 0) counts.set(key, left - 1);
    else kept.push(event);
  }
  return kept;
}

/**
 * createLiveFeed(apply): `apply(events)` receives every event once, in arrival order.
 *   stream(events)  events from the room
 *   rejoin()        the socket reconnected: hold the stream until the next caught()
 *   caught(events)  the stored events fetched after the last fetch (all, the first time)
 */
export function createLiveFeed(apply) {
  let catchingUp = true;
  let held = [];
  let appliedSinceFetch = new Map(); // streamed events a fetch has not returned yet

  return {
    get catchingUp() {
      return catchingUp;
    },
    stream(events) {
      if (catchingUp) {
        held.push(...events);
        return;
      }
      apply(events);
      for (const [key, n] of countKeys(events)) appliedSinceFetch.set(key, (appliedSinceFetch.get(key) || 0) + n);
    },
    rejoin() {
      catchingUp = true;
    },
    caught(fetched) {
      const fresh = withoutCounted(fetched, appliedSinceFetch);
      const late = withoutCounted(held, countKeys(fetched));
      held = [];
      catchingUp = false;
      appliedSinceFetch = countKeys(late);
      const all = fresh.concat(late);
      if (all.length) apply(all);
    },
  };
}

const FULL_SNAPSHOT = 2;
const META = 4;

/**
 * What a live view needs of a backlog: the last full snapshot (with the Meta right
 * before it) and everything after; earlier pages can no longer be seen.
 */
export function fromLastSnapshot(events) {
  let index = -1;
  for (let i = events.length - 1; i >= 0; i -= 1) {
    if (events[i].type === FULL_SNAPSHOT) {
      index = i;
      break;
    }
  }
  if (index < 0) return events;
  for (let i = index - 1; i >= 0 && i >= index - 3; i -= 1) {
    if (events[i].type === META) return events.slice(i);
  }
  return events.slice(index);
}
