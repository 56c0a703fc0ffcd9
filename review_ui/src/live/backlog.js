// Stored events of a session after a cursor, following the server's paging
// (X-Replaydesk-Cursor, Link: rel="next") to the end. The last cursor resumes later;
// a cursor the server no longer applies (410: the session was compacted since) is
// dropped and everything is fetched again (`restarted`).

export const BACKLOG_PAGE = 5000;

function hasNext(response) {
  return /rel="?next"?/.test(response.headers.get('Link') || '');
}

/** {events, cursor, restarted}: every event stored after `cursor` (all of them for null). */
export async function fetchEventsAfter(url, cursor, { fetchImpl = globalThis.fetch, limit = BACKLOG_PAGE } = {}) {
  const events = [];
  let after = cursor;
  for (;;) {
    const query = new URLSearchParams({ limit: String(limit) });
    if (after) query.set('after', after);
    const response = await fetchImpl(`${url}?${query}`, { credentials: 'same-origin' });
    if (response.status === 410 && after) {
      return { ...(await fetchEventsAfter(url, null, { fetchImpl, limit })), restarted: true };
    }
    if (!response.ok) throw new Error(`Loading the session failed: the server answered ${response.status}.`);
    const page = await response.json();
    events.push(...page);
    after = response.headers.get('X-Replaydesk-Cursor') || after;
    if (!hasNext(response) || !page.length) return { events, cursor: after, restarted: false };
  }
}
