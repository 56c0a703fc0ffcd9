// A session's events page by page: a small first page so the replay starts at once,
// then bigger pages that follow the server's cursor (X-Replaydesk-Cursor) for as
// long as it announces more (Link: rel="next").

export const PAGE_LIMIT = 5000;

function hasNext(response) {
  return /rel="?next"?/.test(response.headers.get('Link') || '');
}

/**
 * Async generator of event arrays. `fetchImpl` is injectable for tests.
 * @param {string} url  the session's /events URL, without a query
 */
export async function* eventPages(url, { firstLimit, pageLimit = PAGE_LIMIT, fetchImpl = globalThis.fetch, signal } = {}) {
  let next = `${url}?limit=${firstLimit}`;
  while (next) {
    const response = await fetchImpl(next, { credentials: 'same-origin', signal });
    if (!response.ok) throw new Error(`Loading events failed: the server answered ${response.status}.`);
    const events = await response.json();
    const cursor = response.headers.get('X-Replaydesk-Cursor');
    next = hasNext(response) && cursor ? `${url}?after=${encodeURIComponent(cursor)}&limit=${pageLimit}` : null;
    yield events;
  }
}
