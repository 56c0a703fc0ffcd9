// Events waiting for their batch. They are kept as JSON text (serialized once, when
// they arrive) and cut into batches numbered by `seq` from 0 for the window, so
// `(session_id, window_id, seq)` never repeats.

import { MAX_BATCH_CHARS } from './constants.js';

/** The JSON text of one batch, fields in the SPEC's order; `eventsJson` are serialized events. */
export function batchBody({ sessionId, windowId, seq, eventsJson, meta }) {
  return `{"session_id":${JSON.stringify(sessionId)},"window_id":${JSON.stringify(windowId)},"seq":${seq},"events":[${eventsJson.join(',')}],"meta":${JSON.stringify(meta)}}`;
}

/** `getContext()` → {sessionId, windowId, meta}, read when a batch is cut. */
export function createBuffer({ getContext }) {
  let events = [];
  let chars = 0;
  let nextSeq = 0;

  function clear() {
    events = [];
    chars = 0;
  }

  function batchAt(seq, eventsJson) {
    const { sessionId, windowId, meta } = getContext();
    return { id: `${sessionId}/${windowId}/${seq}`, body: batchBody({ sessionId, windowId, seq, eventsJson, meta }), seq };
  }

  return {
    /** Buffer one event; true once the buffer holds enough to be flushed at once. */
    add(event) {
      const json = JSON.stringify(event);
      events.push(json);
      chars += json.length + 1;
      return chars >= MAX_BATCH_CHARS;
    },
    /** The buffered events as the next batch {id, body, seq}, leaving the buffer empty; null when it was. */
    cut() {
      if (!events.length) return null;
      const batch = batchAt(nextSeq, events);
      nextSeq += 1;
      clear();
      return batch;
    },
    /** A batch without events at the next seq: the server stores nothing for it, so the seq stays free. */
    emptyBatch() {
      return { ...batchAt(nextSeq, []), id: 'poll' };
    },
    clear,
    size: () => events.length,
    nextSeq: () => nextSeq,
  };
}
