// Entry of the IIFE bundle (dist/replaydesk.js): publishes the API as
// window.Replaydesk and replays the calls the loader snippet queued before the
// bundle arrived.

import * as api from './index.js';
import { drainQueue } from './queue.js';

const existing = window.Replaydesk;
if (!existing || !existing.__replaydesk) {
  // A bundle loaded twice keeps the first copy: one recorder per page.
  const publicApi = { ...api, __replaydesk: true };
  window.Replaydesk = publicApi;
  try {
    drainQueue(existing, publicApi);
  } catch (_) {
    // a malformed queue must not break the page; its calls are simply not replayed
  }
}
