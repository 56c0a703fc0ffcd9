// Nothing the SDK does may throw into the host page (STYLE P15). Every function the
// browser or the host calls into is wrapped: an internal error is logged, swallowed,
// and the wrapper returns `fallback`.

import { LOG_PREFIX, MAX_LOG_LINES } from './constants.js';

/**
 * A logger that writes at most `maxLines` lines, so a failing SDK cannot flood the
 * console. Levels: 'debug' lines are written only when `debug` is on.
 */
export function createLogger({ console: target = globalThis.console, debug = false, maxLines = MAX_LOG_LINES } = {}) {
  let written = 0;
  function write(level, args) {
    if (level === 'debug' && !debug) return;
    if (!target || written >= maxLines) return;
    written += 1;
    // console.warn, never console.error: the SDK's own console.error capture must not see us.
    const method = level === 'debug' ? 'debug' : 'warn';
    try {
      (target[method] || target.log).call(target, LOG_PREFIX, ...args);
    } catch (_) {
      // A console that throws is not our problem to solve.
    }
  }
  return {
    debug: (...args) => write('debug', args),
    warn: (...args) => write('warn', args),
    error: (...args) => write('error', args),
    get linesWritten() {
      return written;
    },
  };
}

/**
 * Wrap `fn` so it never throws: errors are logged as `label` and `fallback` is returned.
 * A returned promise that rejects is also caught and resolves to `fallback`.
 */
export function wrap(fn, { log, label = 'internal error', fallback } = {}) {
  return function wrapped(...args) {
    try {
      const result = fn.apply(this, args);
      if (result && typeof result.then === 'function') {
        return result.then(undefined, (error) => {
          if (log) log.error(label, error);
          return fallback;
        });
      }
      return result;
    } catch (error) {
      if (log) log.error(label, error);
      return fallback;
    }
  };
}

/** A `wrap` bound to one logger: `const safe = createSafe(log); safe(fn, 'label')`. */
export function createSafe(log) {
  return (fn, label, fallback) => wrap(fn, { log, label, fallback });
}

/**
 * Storage that never throws: Safari private mode, sandboxed iframes and full quotas
 * make Web Storage throw on access or write. Falls back to memory for this page.
 */
export function safeStorage(getStorage) {
  let storage = null;
  try {
    storage = getStorage();
    const probe = '__rd_probe__';
    storage.setItem(probe, probe);
    storage.removeItem(probe);
  } catch (_) {
    storage = null;
  }
  const memory = new Map();
  return {
    persistent: storage !== null,
    getItem(key) {
      try {
        if (storage) return storage.getItem(key);
      } catch (_) {
        // fall through to memory
      }
      return memory.has(key) ? memory.get(key) : null;
    },
    /** Returns false when the value could not be stored (quota). */
    setItem(key, value) {
      const text = String(value);
      try {
        if (storage) {
          storage.setItem(key, text);
          return true;
        }
      } catch (_) {
        return false;
      }
      memory.set(key, text);
      return true;
    },
    removeItem(key) {
      try {
        if (storage) storage.removeItem(key);
      } catch (_) {
        // ignored: nothing to remove
      }
      memory.delete(key);
    },
  };
}

/** JSON.parse that returns `fallback` instead of throwing. */
export function parseJson(text, fallback = null) {
  if (typeof text !== 'string') return fallback;
  try {
    return JSON.parse(text);
  } catch (_) {
    return fallback;
  }
}
