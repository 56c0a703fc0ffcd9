// Starts rrweb's recorder with the privacy options and returns its stop (STYLE P16).
// Custom events go through rrweb's addCustomEvent so they sit in the stream, in order,
// after the Meta + FullSnapshot of the page.

/** rrweb event types and the incremental sources that mean "a person is here". */
export const EventType = Object.freeze({ FullSnapshot: 2, IncrementalSnapshot: 3, Meta: 4, Custom: 5, Plugin: 6 });
const USER_ACTIVITY_SOURCES = new Set([
  1, // MouseMove
  2, // MouseInteraction
  3, // Scroll
  5, // Input
  6, // TouchMove
  7, // MediaInteraction
  12, // Drag
]);

/**
 * Methods rrweb replaces and never puts back: @rrweb/record 2.1.6's stylesheet
 * observer rewrites CSSStyleSheet.prototype.addRule / removeRule (legacy aliases of
 * insertRule / deleteRule) and its teardown restores only insertRule, deleteRule,
 * replace and replaceSync. startCapture() restores them itself.
 */
export const RRWEB_UNRESTORED = Object.freeze([
  ['CSSStyleSheet', 'addRule'],
  ['CSSStyleSheet', 'removeRule'],
]);

/**
 * Remember `RRWEB_UNRESTORED` methods of `win` before rrweb starts. The returned
 * function, called once rrweb's observers are in place, returns `restore()`. A method
 * is restored only while rrweb's replacement is still the one installed: a page that
 * patched it after rrweb keeps its patch.
 */
function guardUnrestoredPatches(win) {
  const saved = [];
  for (const [className, name] of RRWEB_UNRESTORED) {
    const proto = win && win[className] && win[className].prototype;
    if (!proto) continue;
    const descriptor = Object.getOwnPropertyDescriptor(proto, name);
    saved.push({ proto, name, descriptor });
  }
  return function afterStart() {
    const installed = saved.map(({ proto, name }) => proto[name]);
    return function restore() {
      saved.forEach(({ proto, name, descriptor }, index) => {
        if (proto[name] !== installed[index] || (descriptor && descriptor.value === installed[index])) return;
        if (descriptor) Object.defineProperty(proto, name, descriptor);
        else delete proto[name];
      });
    };
  };
}

/** True for events a person caused; only those keep a session alive (session.js). */
export function isUserActivity(event) {
  return Boolean(event) && event.type === EventType.IncrementalSnapshot && USER_ACTIVITY_SOURCES.has(event.data && event.data.source);
}

/**
 * Start recording. `record` is rrweb's record function (injected: tests pass a fake).
 * `emit(event)` receives every rrweb event; it must not throw (wrap it).
 *
 * rrweb refuses custom events until its first full snapshot, which waits for
 * DOMContentLoaded when the bundle runs early; events sent before that are queued
 * here and replayed right after the snapshot, so a page's `$pageview` always
 * follows its Meta + FullSnapshot.
 *
 * Plugin events (console, network) are emitted as rrweb would emit a plugin's,
 * `{type: 6, data: {plugin, payload}}`, through the same queue.
 *
 * Returns {addCustomEvent(tag, payload), addPluginEvent(plugin, payload), checkout(), stop()}.
 */
export function startCapture({ record, document, options, emit, now = Date.now, log }) {
  let pending = [];
  let ready = false;
  let stopped = false;

  const guardPatches = guardUnrestoredPatches(document && document.defaultView);
  let restorePatches = () => {};
  const stopRecorder = record({
    ...options,
    emit,
    // The corpus was recorded from DOMContentLoaded; rrweb's default waits for `load`.
    recordAfter: 'DOMContentLoaded',
    // rrweb calls this for errors inside its observers; `true` means handled: never rethrown into the page.
    errorHandler(error) {
      if (log) log.error('recorder error', error);
      return true;
    },
  });
  const recording = typeof stopRecorder === 'function';
  if (!recording && log) log.warn('rrweb did not start; custom events are still sent');

  function emitDirectly(tag, payload) {
    emit({ type: EventType.Custom, timestamp: now(), data: { tag, payload } });
  }

  function addCustomEvent(tag, payload) {
    if (stopped) return;
    if (!ready) {
      pending.push(() => addCustomEvent(tag, payload));
      return;
    }
    if (!recording) {
      emitDirectly(tag, payload);
      return;
    }
    try {
      record.addCustomEvent(tag, payload);
    } catch (_) {
      // rrweb is not recording (it failed to snapshot); keep the event anyway.
      emitDirectly(tag, payload);
    }
  }

  function addPluginEvent(plugin, payload) {
    if (stopped) return;
    if (!ready) pending.push(() => addPluginEvent(plugin, payload));
    else emit({ type: EventType.Plugin, timestamp: now(), data: { plugin, payload } });
  }

  function markReady() {
    if (stopped || ready) return;
    ready = true;
    if (recording) restorePatches = guardPatches(); // rrweb has installed its observers by now
    const queued = pending;
    pending = [];
    for (const replay of queued) replay();
  }

  // Registered after rrweb's own DOMContentLoaded listener, so it runs after the snapshot.
  const waitsForDom = recording && document && document.readyState === 'loading';
  if (waitsForDom) document.addEventListener('DOMContentLoaded', markReady);
  else markReady();

  return {
    addCustomEvent,
    addPluginEvent,
    /** A new Meta + FullSnapshot now (a new session must be replayable on its own). */
    checkout() {
      if (stopped || !recording || !ready) return;
      try {
        record.takeFullSnapshot(true);
      } catch (error) {
        if (log) log.error('full snapshot failed', error);
      }
    },
    stop() {
      if (stopped) return;
      stopped = true;
      pending = [];
      if (waitsForDom) document.removeEventListener('DOMContentLoaded', markReady);
      try {
        if (recording) stopRecorder();
      } finally {
        restorePatches();
      }
    },
  };
}
