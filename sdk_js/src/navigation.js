// `$pageview {url, referrer, title}` on load and on SPA navigation (pushState,
// replaceState, popstate). Returns the unpatch (STYLE P16).

import { listen, patchMethod } from './patch.js';

/**
 * Decides which URL changes are page views: one per distinct URL in a row, so a router
 * calling replaceState with the same URL (to store state) does not count. The referrer
 * of an SPA page view is the previous URL, as a person would read it.
 */
export function createPageviewTracker(initialReferrer = '') {
  let lastUrl = null;
  return {
    /** The $pageview payload for arriving at `url`, or null when it is not a new page. */
    next(url, title = '') {
      if (url === lastUrl) return null;
      const referrer = lastUrl === null ? initialReferrer || '' : lastUrl;
      lastUrl = url;
      return { url, referrer, title: title || '' };
    },
  };
}

/**
 * Emit the load page view now and one per SPA navigation. `onPageview(payload)` must
 * not throw. Returns `stop()`, which removes the history patches and the listener.
 */
export function startNavigation({ window, document, onPageview }) {
  const tracker = createPageviewTracker(document.referrer);
  const history = window.history;

  function check() {
    const payload = tracker.next(String(window.location.href), document.title);
    if (payload) onPageview(payload);
  }

  check();
  const afterCall = (original) =>
    function (...args) {
      const result = original.apply(this, args); // the host's own errors propagate untouched
      try {
        check();
      } catch (_) {
        // never break the host's navigation over a page view
      }
      return result;
    };
  const teardowns = [
    patchMethod(history, 'pushState', afterCall),
    patchMethod(history, 'replaceState', afterCall),
    listen(window, 'popstate', check),
  ];
  return function stop() {
    for (const teardown of teardowns) teardown();
  };
}
