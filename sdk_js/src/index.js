// Public API of the Replaydesk recorder:
//   init({key, endpoint, ...})      start recording this page (see config.js for options)
//   identify(distinct_id, traits)   name the visitor ($identify)
//   track(tag, payload)             the product's own event (tag without "$")
//   setVariant(experiment, variant) record an A/B variant ($variant, meta.variants)
//   getVariant(experiment)          Promise of the server's variant for this visitor, or null
//   task(task_id, status)           study task progress ($task): start|complete|give_up|fail|abandon
//   stop()                          stop recording; every hook comes off
//   optOut() / optIn()              the visitor's choice, remembered for this site
// No function throws; internal errors are logged with the "[replaydesk]" prefix.

import { createClient } from './client.js';
import { SDK_VERSION } from './constants.js';
import { browserEnv } from './environment.js';

let client = null;

function getClient() {
  if (client) return client;
  if (typeof globalThis.window === 'undefined' || typeof globalThis.document === 'undefined') return null; // server-side rendering
  client = createClient(browserEnv());
  return client;
}

function call(name, fallback) {
  return (...args) => {
    try {
      const current = getClient();
      return current ? current[name](...args) : fallback;
    } catch (_) {
      return fallback; // a browser without the globals we need: stay out of the way
    }
  };
}

export const init = call('init', false);
export const identify = call('identify');
export const track = call('track');
export const setVariant = call('setVariant');
export const getVariant = (experiment) => Promise.resolve(call('getVariant', null)(experiment));
export const task = call('task');
export const stop = call('stop');
export const optOut = call('optOut');
export const optIn = call('optIn');
export const isRecording = call('isRecording', false);
export const version = SDK_VERSION;
