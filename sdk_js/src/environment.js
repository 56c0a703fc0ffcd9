// The browser globals the SDK uses, gathered in one object for createClient(env).
// Everything else in src/ receives them from here, so tests can pass fakes instead.

import { record } from '@rrweb/record';
import { safeStorage } from './safe.js';

/** The browser globals the SDK uses, read once, lazily (importing this module touches nothing). */
export function browserEnv() {
  const window = globalThis.window;
  const navigator = window.navigator || {};
  return {
    window,
    document: window.document,
    navigator,
    sessionStorage: safeStorage(() => window.sessionStorage),
    localStorage: safeStorage(() => window.localStorage),
    fetch: window.fetch.bind(window),
    sendBeacon: typeof navigator.sendBeacon === 'function' ? navigator.sendBeacon.bind(navigator) : null,
    record,
    CompressionStream: window.CompressionStream || null,
    AbortController: window.AbortController || null,
    now: () => Date.now(),
    random: Math.random,
    setTimeout: window.setTimeout.bind(window),
    clearTimeout: window.clearTimeout.bind(window),
    console: window.console,
    // The IIFE bundle (build.mjs defines __RD_WIDGET_CHUNK__) imports the study widget
    // from the server when a page needs it; the ES module keeps it inside, because a
    // product's bundler cannot follow an import of a URL.
    loadWidget: (url) => (typeof __RD_WIDGET_CHUNK__ !== 'undefined' && __RD_WIDGET_CHUNK__ ? import(url) : import('./widget.js')),
    // rrweb's canvas recorder, the same way (recordCanvas only).
    loadCanvas: (url) => (typeof __RD_WIDGET_CHUNK__ !== 'undefined' && __RD_WIDGET_CHUNK__ ? import(url) : import('./canvas.js')),
  };
}
