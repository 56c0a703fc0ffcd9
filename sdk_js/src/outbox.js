// Unsent batches kept in localStorage, so that a reload or a closed tab during a
// server outage loses nothing: the next page of the site sends them (the server
// acknowledges a batch it already has with `duplicate: true` and stores it once).
// Bounded in size and age; the oldest batches go first.

import { MAX_PERSISTED_AGE_MS, MAX_PERSISTED_CHARS, STORAGE_KEYS } from './constants.js';

/**
 * Entries are `{id, savedAt, body}` where `body` is the batch's JSON text. They are
 * stored as one JSON array whose items embed each body as JSON (not as an escaped
 * string), so the stored size is the bodies' size.
 */
export function createOutbox({ storage, projectKey, now = Date.now, maxChars = MAX_PERSISTED_CHARS, maxAgeMs = MAX_PERSISTED_AGE_MS }) {
  // One outbox per project key: a batch must only ever be sent with the key it was made for.
  const storageKey = `${STORAGE_KEYS.outbox}:${projectKey}`;

  function read() {
    const text = storage.getItem(storageKey);
    if (!text) return [];
    let items;
    try {
      items = JSON.parse(text);
    } catch (_) {
      return []; // a corrupt outbox is dropped, not retried forever
    }
    if (!Array.isArray(items)) return [];
    const oldest = now() - maxAgeMs;
    return items
      .filter((item) => item && typeof item.id === 'string' && item.savedAt >= oldest && item.batch)
      .map((item) => ({ id: item.id, savedAt: item.savedAt, body: JSON.stringify(item.batch) }));
  }

  function serialize(entries) {
    const items = entries.map((entry) => `{"id":${JSON.stringify(entry.id)},"savedAt":${entry.savedAt},"batch":${entry.body}}`);
    return `[${items.join(',')}]`;
  }

  /** Keep the newest entries whose serialized size fits `maxChars`. */
  function bound(entries) {
    const kept = [];
    let size = 2;
    for (let i = entries.length - 1; i >= 0; i -= 1) {
      const entrySize = entries[i].body.length + entries[i].id.length + 40;
      if (size + entrySize > maxChars) break;
      size += entrySize;
      kept.unshift(entries[i]);
    }
    return kept;
  }

  function write(entries) {
    if (!entries.length) {
      storage.removeItem(storageKey);
      return true;
    }
    let kept = bound(entries);
    // A full quota (the host's own data) halves what we keep until it fits, or nothing does.
    while (kept.length) {
      if (storage.setItem(storageKey, serialize(kept)) !== false) return kept.length === entries.length;
      kept = kept.slice(Math.ceil(kept.length / 2));
    }
    storage.removeItem(storageKey);
    return false;
  }

  return {
    /** Every stored entry that is not too old, oldest first. */
    load: read,
    /**
     * Add or replace `batches` ({id, body}); returns false when some had to be dropped
     * to respect the bounds.
     */
    save(batches) {
      const byId = new Map(read().map((entry) => [entry.id, entry]));
      const time = now();
      for (const batch of batches) {
        const existing = byId.get(batch.id);
        byId.set(batch.id, { id: batch.id, body: batch.body, savedAt: existing ? existing.savedAt : time });
      }
      const entries = [...byId.values()].sort((a, b) => a.savedAt - b.savedAt);
      return write(entries);
    },
    /** Forget the entries with these ids (acknowledged by the server). */
    remove(ids) {
      const drop = new Set(ids);
      const entries = read();
      const kept = entries.filter((entry) => !drop.has(entry.id));
      if (kept.length !== entries.length) write(kept);
    },
    clear() {
      storage.removeItem(storageKey);
    },
  };
}
