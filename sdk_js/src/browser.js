// Entry of the IIFE bundle (dist/replaydesk.js): publishes the API as
// window.Replaydesk and replays the calls the loader snippet queued before the
// bundle arrived (loader.js). The stub object is turned into a forwarder, so code
// that kept a reference to it keeps working.

import * as api from './index.js';

/** Replay `stub._q` ([method, args, resolve?] entries) against `target`; then make the stub forward. */
export function drainQueue(stub, target) {
  if (!stub || !Array.isArray(stub._q)) return;
  const queued = stub._q;
  stub._q = null;
  for (const [method, args, resolve] of queued) {
    if (typeof target[method] !== 'function') continue;
    const result = target[method](...(args || []));
    if (typeof resolve === 'function') resolve(result);
  }
  for (const name of Object.keys(target)) {
    if (typeof target[name] === 'function') stub[name] = target[name];
  }
}

const publicApi = { ...api };
const existing = window.Replaydesk;
if (!existing || !existing.__replaydesk) {
  publicApi.__replaydesk = true;
  window.Replaydesk = publicApi;
  try {
    drainQueue(existing, publicApi);
  } catch (_) {
    // a malformed queue must not break the page; the calls are simply not replayed
  }
}
