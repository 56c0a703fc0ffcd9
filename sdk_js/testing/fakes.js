// Test doubles for the browser globals the SDK touches. Small on purpose: each one
// records what was done to it so tests can assert that stop() undid everything.
// (Kept outside test/ because `node --test test/` runs every file in that folder.)

/** Web Storage over a Map; `quotaChars` makes setItem throw like a full browser store. */
export function createStorage({ quotaChars = Infinity } = {}) {
  const map = new Map();
  return {
    map,
    getItem: (key) => (map.has(key) ? map.get(key) : null),
    setItem(key, value) {
      const text = String(value);
      const others = [...map.entries()].reduce((sum, [k, v]) => (k === key ? sum : sum + v.length), 0);
      if (others + text.length > quotaChars) {
        const error = new Error('QuotaExceededError');
        error.name = 'QuotaExceededError';
        throw error;
      }
      map.set(key, text);
    },
    removeItem: (key) => map.delete(key),
  };
}

/** A manual clock: now(), setTimeout/clearTimeout, and advance(ms) that runs due timers in order. */
export function createClock(start = 1_700_000_000_000) {
  let time = start;
  let nextId = 1;
  const timers = new Map();
  return {
    now: () => time,
    setTimeout(fn, delay = 0) {
      const id = nextId;
      nextId += 1;
      timers.set(id, { fn, at: time + Math.max(0, delay), delay });
      return id;
    },
    clearTimeout(id) {
      timers.delete(id);
    },
    /** Timers not yet run, as [{at, delay}]. */
    pending: () => [...timers.values()].map(({ at, delay }) => ({ at, delay })),
    advance(ms) {
      const end = time + ms;
      for (;;) {
        const due = [...timers.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) break;
        const [id, timer] = due;
        timers.delete(id);
        time = Math.max(time, timer.at);
        timer.fn();
      }
      time = end;
    },
    set(ms) {
      time = ms;
    },
  };
}

/**
 * Let pending promise callbacks (fake fetch) run. `realMs` also waits real time, for
 * work done off the main thread (CompressionStream runs zlib in node's thread pool).
 */
export async function settle(rounds = 20, realMs = 0) {
  for (let i = 0; i < rounds; i += 1) await new Promise((resolve) => setImmediate(resolve));
  if (realMs > 0) {
    const until = Date.now() + realMs;
    while (Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 1));
    for (let i = 0; i < rounds; i += 1) await new Promise((resolve) => setImmediate(resolve));
  }
}

/** settle() long enough for gzip: repeat until `done()` or a second has passed. */
export async function settleUntil(done, timeoutMs = 1000) {
  const until = Date.now() + timeoutMs;
  while (!done() && Date.now() < until) await settle(5, 2);
}

/** An EventTarget that counts its listeners. */
export function createTarget(extra = {}) {
  const listeners = new Map();
  return Object.assign(extra, {
    addEventListener(type, handler) {
      if (!listeners.has(type)) listeners.set(type, new Set());
      listeners.get(type).add(handler);
    },
    removeEventListener(type, handler) {
      if (listeners.has(type)) listeners.get(type).delete(handler);
    },
    dispatch(type, event = {}) {
      for (const handler of [...(listeners.get(type) || [])]) handler({ type, ...event });
    },
    listenerCount(type) {
      if (type) return listeners.has(type) ? listeners.get(type).size : 0;
      return [...listeners.values()].reduce((sum, set) => sum + set.size, 0);
    },
  });
}

/** window + document + history + location, enough for navigation, errors and the client. */
export function createBrowser({ href = 'https://shop.example/', referrer = '', title = 'Home', readyState = 'complete' } = {}) {
  const location = { href };
  const history = {
    pushState(state, unused, url) {
      if (url !== undefined) location.href = new URL(url, location.href).href;
    },
    replaceState(state, unused, url) {
      if (url !== undefined) location.href = new URL(url, location.href).href;
    },
  };
  const originals = { pushState: history.pushState, replaceState: history.replaceState };
  const document = createTarget({ referrer, title, readyState, visibilityState: 'visible', body: null });
  const console = { lines: [], warn: (...args) => console.lines.push(['warn', ...args]), debug: (...args) => console.lines.push(['debug', ...args]), error: (...args) => console.lines.push(['error', ...args]) };
  const window = createTarget({ location, history, document, console, innerWidth: 1280, innerHeight: 720 });
  const navigator = { userAgent: 'FakeBrowser/1.0' };
  return { window, document, history, location, navigator, console, originals };
}

/**
 * A fetch that answers from a script: `respond(url, init)` returns {status, body,
 * headers} or throws (network error). Every call is recorded with its decoded body.
 */
export function createFetch(respond = () => ({ status: 200, body: { ok: true, accepted: 1, duplicate: false, live: false, commands: [] } })) {
  const calls = [];
  async function fetch(url, init = {}) {
    const call = { url, init, status: 0 }; // status stays 0 when the "network" fails
    calls.push(call);
    const answer = await respond(url, init, calls.length - 1);
    call.status = answer.status;
    const headers = new Map(Object.entries(answer.headers || {}).map(([k, v]) => [k.toLowerCase(), v]));
    const text = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body ?? {});
    return {
      status: answer.status,
      ok: answer.status >= 200 && answer.status < 300,
      headers: { get: (name) => (headers.has(name.toLowerCase()) ? headers.get(name.toLowerCase()) : null) },
      text: async () => text,
    };
  }
  fetch.calls = calls;
  return fetch;
}

/** The JSON batch a recorded fetch call carried (gunzipped when needed). */
export async function decodeBody(init) {
  const { gunzipSync } = await import('node:zlib');
  let bytes = init.body;
  if (typeof bytes === 'string') return JSON.parse(bytes);
  bytes = Buffer.from(bytes);
  const encoding = init.headers && init.headers['Content-Encoding'];
  return JSON.parse((encoding === 'gzip' ? gunzipSync(bytes) : bytes).toString('utf8'));
}

/**
 * A stand-in for rrweb's record(): emits Meta + FullSnapshot when started on a ready
 * document (or on DOMContentLoaded), supports addCustomEvent / takeFullSnapshot, and
 * counts how many recorders are running.
 */
export function createRecorder({ now, document }) {
  let emit = null;
  let recording = false;
  const state = { running: 0, options: null, checkouts: 0 };
  function snapshot() {
    emit({ type: 4, timestamp: now(), data: { href: 'x', width: 1, height: 1 } });
    emit({ type: 2, timestamp: now(), data: { node: { type: 0, childNodes: [] } } });
  }
  function record(options) {
    state.options = options;
    emit = options.emit;
    state.running += 1;
    const start = () => {
      snapshot();
      recording = true;
    };
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
    else start();
    return () => {
      state.running -= 1;
      recording = false;
      document.removeEventListener('DOMContentLoaded', start);
    };
  }
  record.addCustomEvent = (tag, payload) => {
    if (!recording) throw new Error('please add custom event after start recording');
    emit({ type: 5, timestamp: now(), data: { tag, payload } });
  };
  record.takeFullSnapshot = (isCheckout) => {
    if (!recording) throw new Error('please take full snapshot after start recording');
    state.checkouts += isCheckout ? 1 : 0;
    snapshot();
  };
  /** Emit an incremental event as rrweb would (source 2 = a click). */
  record.emitIncremental = (source, data = {}) => emit({ type: 3, timestamp: now(), data: { source, ...data } });
  record.state = state;
  return record;
}
