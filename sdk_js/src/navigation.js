// `$pageview {url, referrer, title}` on load and on SPA navigation (pushState,
// replaceState, popstate). Returns the unpatch (STYLE P16).
//
// An SPA view's URL is read when the history changes, its title a microtask later:
// routers call pushState first and render the view (and set document.title) after it,
// in the same task, so the title read at pushState time is the previous view's.

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
export function startNavigation({ window, document, onPageview, defer = defaultDefer }) {
  const tracker = createPageviewTracker(document.referrer);
  const history = window.history;
  let active = true;

  function emit(payload) {
    if (active) onPageview(payload);
  }

  /** A history change: the URL now, the title once the router has rendered the view. */
  function navigated() {
    const payload = tracker.next(String(window.location.href), '');
    if (!payload) return;
    defer(() => {
      try {
        payload.title = document.title || '';
        emit(payload);
      } catch (_) {
        // a microtask error would reach the host page as an uncaught error
      }
    });
  }

  const landing = tracker.next(String(window.location.href), document.title);
  if (landing) emit(landing);
  const afterCall = (original) =>
    function (...args) {
      const result = original.apply(this, args); // the host's own errors propagate untouched
      try {
        navigated();
      } catch (_) {
        // never break the host's navigation over a page view
      }
      return result;
    };
  const teardowns = [
    patchMethod(history, 'pushState', afterCall),
    patchMethod(history, 'replaceState', afterCall),
    listen(window, 'popstate', () => {
      try {
        navigated();
      } catch (_) {
        // a listener error would reach the host page as an uncaught error
      }
    }),
  ];
  return function stop() {
    active = false; // a view still waiting for its title is not reported after stop()
    for (const teardown of teardowns) teardown();
  };
}

/** Run `fn` after the current task's synchronous work (a microtask). */
function defaultDefer(fn) {
  if (typeof queueMicrotask === 'function') queueMicrotask(fn);
  else Promise.resolve().then(fn);
}
