// Batches not yet acknowledged, oldest first, with their copies in the outbox. Memory
// is bounded: during a long outage the oldest batches go first (they are in the
// outbox, if any). The batch in flight stays queued until its answer settles it.

import { MAX_QUEUED_CHARS } from './constants.js';

function track({ id, body, seq }, persisted) {
  return { id, body, seq, attempt: 0, gzipped: null, persisted, beaconed: false };
}

function queuedChars(batches) {
  return batches.reduce((sum, batch) => sum + batch.body.length, 0);
}

/** `batches` without their oldest past MAX_QUEUED_CHARS characters (never `inFlight`; one always stays): {kept, dropped}. */
export function boundMemory(batches, inFlight) {
  let kept = batches;
  const dropped = [];
  while (kept.length > 1 && queuedChars(kept) > MAX_QUEUED_CHARS) {
    const victim = kept.find((candidate) => candidate !== inFlight);
    kept = kept.filter((candidate) => candidate !== victim);
    dropped.push(victim);
  }
  return { kept, dropped };
}

/** `outbox`: outbox.js or null. */
export function createBatchQueue({ outbox, log }) {
  let batches = [];
  let inFlight = null;

  return {
    /** Queue a new batch ({id, body, seq}) last; past the memory bound the oldest go (logged). */
    push(batch) {
      const { kept, dropped } = boundMemory([...batches, track(batch, false)], inFlight);
      batches = kept;
      if (log) dropped.forEach((victim) => log.warn(`dropped unsent batch ${victim.id}: more than ${MAX_QUEUED_CHARS} characters waiting`));
    },
    /** Queue batches kept by an earlier page ({id, body}) first, unless queued already; returns how many. */
    adopt(entries) {
      const adopted = entries.filter((entry) => !batches.some((batch) => batch.id === entry.id)).map((entry) => track({ ...entry, seq: null }, true));
      batches = [...adopted, ...batches];
      return adopted.length;
    },
    /** The oldest batch, now in flight until `answered()`; it stays queued. */
    startSending: () => (inFlight = batches[0]),
    answered: () => (inFlight = null),
    /** An acknowledged or rejected batch leaves the queue and the outbox. */
    remove(batch) {
      batches = batches.filter((candidate) => candidate !== batch);
      if (batch.persisted && outbox) outbox.remove([batch.id]);
    },
    /** Keep every queued batch in the outbox, where the next page finds it. */
    persist() {
      if (!outbox || !batches.length) return;
      outbox.save(batches);
      for (const batch of batches) batch.persisted = true;
    },
    /** Forget every batch, the outbox too. */
    discard() {
      batches = [];
      if (outbox) outbox.clear();
    },
    /** Batches not in flight, oldest first: what a page exit must take care of. */
    waiting: () => batches.filter((candidate) => candidate !== inFlight),
    size: () => batches.length,
    sending: () => inFlight !== null,
    unsaved: () => batches.some((batch) => !batch.persisted), // some batch is not in the outbox yet
  };
}
