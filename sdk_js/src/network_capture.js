// Requests as rrweb network plugin events (`rrweb/network@1`, SPEC "Engineer's
// context"): `{requests: [{url, method, status, initiator, start_ms, duration_ms,
// transfer_bytes, error?}]}` for fetch, XMLHttpRequest and resource timings (the
// document, scripts, stylesheets, images, …). Returns {flush(), stop()} (STYLE P16).
//
// The page must not notice. fetch keeps its arguments, `this`, resolution value and
// rejection reason (a rejection nobody handles still reaches `unhandledrejection`: the
// page holds our derived promise, which rejects with the very same reason). Bodies are
// never read: the page's Response is handed over untouched, so streaming and aborts
// behave as before; only when bodies are allowed is a clone read, bounded, then
// cancelled. XHR keeps its events, readyState, responseType and synchronous mode; we
// only listen. A wrapper installed by another library before or after ours stays in
// the chain (patch.js). The SDK's own requests use the fetch captured before any
// wrapping (environment.js), and anything under the endpoint is never recorded.
//
// A finished fetch or XHR waits briefly for its resource timing entry, which carries
// the transfer size and the end of the body; page hide and stop() record what waits.

import { perMinute, truncate } from './bounds.js';
import { DEFAULT_MAX_BODY_BYTES, MAX_REQUESTS_PER_MINUTE, MAX_REQUESTS_WAITING, MAX_URL_CHARS, NETWORK_ENTRY_WAIT_MS } from './constants.js';
import { patchMethod } from './patch.js';
import { maskText } from './privacy.js';

export const NETWORK_PLUGIN = 'rrweb/network@1';

/** Header names never recorded, even when allow-listed: credentials. */
export const NEVER_RECORDED_HEADERS = Object.freeze(['authorization', 'proxy-authorization', 'cookie', 'set-cookie']);

const NETWORK_DEFAULTS = Object.freeze({
  fetch: true,
  xhr: true,
  resources: true,
  allowQueryParams: [],
  allowHeaders: [],
  recordBodies: false,
  maxBodyBytes: DEFAULT_MAX_BODY_BYTES,
});

/** Bodies of these content types are text worth recording (when bodies are allowed). */
const TEXT_TYPE = /json|text|xml|form-urlencoded|javascript|graphql/i;

/** Resource timing initiatorType → the SPEC's initiator (anything else is "other"). */
const INITIATORS = { script: 'script', img: 'img', image: 'img', link: 'css', css: 'css' };

/**
 * The `captureNetwork` option made whole: `true` / `false` turn every source on / off;
 * an object overrides the defaults. Null when the option is invalid (a config problem).
 */
export function networkOptions(option) {
  if (typeof option === 'boolean') return { ...NETWORK_DEFAULTS, fetch: option, xhr: option, resources: option };
  if (!option || typeof option !== 'object' || Array.isArray(option)) return null;
  const options = { ...NETWORK_DEFAULTS, ...option };
  const names = (list) => Array.isArray(list) && list.every((name) => typeof name === 'string');
  const valid =
    Object.keys(option).every((key) => key in NETWORK_DEFAULTS) &&
    ['fetch', 'xhr', 'resources', 'recordBodies'].every((key) => typeof options[key] === 'boolean') &&
    names(options.allowQueryParams) &&
    names(options.allowHeaders) &&
    Number.isInteger(options.maxBodyBytes) &&
    options.maxBodyBytes > 0;
  if (!valid) return null;
  options.allowHeaders = options.allowHeaders.map((name) => name.toLowerCase()).filter((name) => !NEVER_RECORDED_HEADERS.includes(name));
  return options;
}

function decodeName(name) {
  try {
    return decodeURIComponent(name.replace(/\+/g, ' '));
  } catch (_) {
    return name;
  }
}

/**
 * `url` as recorded: without credentials and fragment, every query value `***` unless
 * its parameter is in `allowQueryParams` (`?token=***&page=2`), a data: URL reduced to
 * its media type, at most MAX_URL_CHARS characters.
 */
export function maskUrl(url, allowQueryParams = []) {
  let text = String(url).split('#')[0].replace(/^([a-z][\w+.-]*:\/\/)[^/?@]*@/i, '$1');
  if (/^data:/i.test(text)) return `${text.slice(0, text.indexOf(',') + 1)}…`;
  const query = text.indexOf('?');
  if (query >= 0) {
    const pairs = text.slice(query + 1).split('&').map((pair) => {
      const equals = pair.indexOf('=');
      const name = equals < 0 ? pair : pair.slice(0, equals);
      return equals < 0 || allowQueryParams.includes(decodeName(name)) ? pair : `${name}=***`;
    });
    text = `${text.slice(0, query + 1)}${pairs.join('&')}`;
  }
  return truncate(text, MAX_URL_CHARS);
}

/** Bytes on the wire from a resource timing entry; 0 from the cache; null when hidden (cross-origin). */
export function transferBytes(entry) {
  if (entry.transferSize > 0) return entry.transferSize;
  return entry.encodedBodySize > 0 ? 0 : null;
}

/** Why a fetch or XHR got no response: "aborted", "timeout" or "network error". */
export function failureOf(error, signal) {
  if (signal && signal.aborted) return signal.reason && signal.reason.name === 'TimeoutError' ? 'timeout' : 'aborted';
  const name = error && error.name;
  return name === 'AbortError' ? 'aborted' : name === 'TimeoutError' ? 'timeout' : 'network error';
}

/** At most `maxBytes` (about: characters) of a body stream as text; the stream is cancelled after. */
export async function readBounded(stream, maxBytes, TextDecoderClass = globalThis.TextDecoder) {
  const reader = stream.getReader();
  const decoder = new TextDecoderClass();
  let text = '';
  try {
    while (text.length <= maxBytes) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
  } finally {
    reader.cancel().catch(() => {}); // only our clone's branch: the page's body flows on
  }
  return truncate(text, maxBytes);
}

/**
 * Record fetch, XHR and resource timings of `window` as configured by `options`
 * (networkOptions()), except anything under `endpoint`. `onRequests(requests)` gets
 * them (it must not throw), at most MAX_REQUESTS_PER_MINUTE a minute.
 */
export function startNetworkCapture({ window, options, endpoint, onRequests, maskAllText = false, now = Date.now }) {
  const { performance, PerformanceObserver } = window;
  const take = perMinute(MAX_REQUESTS_PER_MINUTE, now);
  const clock = () => (performance ? performance.now() : now()); // monotonic, for durations
  const mask = (text) => truncate(maskAllText ? maskText(text) : text, options.maxBodyBytes);
  const teardowns = [];
  const waiting = []; // finished fetch/XHR requests waiting for their resource timing entry
  const watchers = new Set(); // in-flight XHRs' listener removals
  let observing = false; // resource timing entries arrive (else nothing waits for one)
  let navigationSeen = false; // Chromium delivers the document's entry twice: buffered, then complete
  let stopped = false;

  function record(requests) {
    const kept = stopped ? [] : requests.filter(() => take());
    if (kept.length) onRequests(kept);
  }

  function isOwn(url) {
    return url === endpoint || url.startsWith(`${endpoint}/`) || url.startsWith(`${endpoint}?`);
  }

  /** A fetch/XHR request starting now: {href, at, request}, or null when it is the SDK's own. */
  function begin(initiator, method, url) {
    let href = String(url);
    try {
      href = new window.URL(href, window.document.baseURI).href;
    } catch (_) {
      // recorded as given
    }
    if (isOwn(href)) return null;
    const request = { url: maskUrl(href, options.allowQueryParams), method: String(method || 'GET').toUpperCase(), status: null, initiator, start_ms: now(), duration_ms: null, transfer_bytes: null };
    return { href, at: clock(), request };
  }

  function headers(read) {
    const picked = {};
    for (const name of options.allowHeaders) {
      const value = read(name);
      if (value != null) picked[name] = truncate(value, 1000);
    }
    return picked;
  }

  /** The answer is in (a status) or there is none (`error`). */
  function settle(pending, status, error) {
    pending.request.status = status || null; // 0: an opaque or failed response
    pending.request.duration_ms = Math.round(clock() - pending.at);
    if (error) pending.request.error = error;
  }

  function fill(pending, entry) {
    if (entry.responseEnd > 0) pending.request.duration_ms = Math.max(pending.request.duration_ms, Math.round(entry.responseEnd - pending.at));
    pending.request.transfer_bytes = transferBytes(entry);
  }

  function isEntryOf(pending, entry) {
    return entry.name === pending.href && entry.startTime >= pending.at - 1 && /^(fetch|xmlhttprequest)$/.test(entry.initiatorType);
  }

  /** Requests that waited NETWORK_ENTRY_WAIT_MS (or too many waiting; all with `all`), oldest first, taken out. */
  function expired(all) {
    const limit = clock() - NETWORK_ENTRY_WAIT_MS;
    const out = [];
    while (waiting.length && (all || waiting[0].ended < limit || waiting.length > MAX_REQUESTS_WAITING)) out.push(waiting.shift().request);
    return out;
  }

  /** Record a settled request now when it failed or its entry is already there, else wait for the entry. */
  function finish(pending) {
    pending.ended = clock();
    const entry = pending.request.error || !performance ? null : performance.getEntriesByName(pending.href, 'resource').find((e) => isEntryOf(pending, e));
    if (entry) fill(pending, entry);
    if (entry || pending.request.error || !observing) record([pending.request, ...expired()]);
    else {
      waiting.push(pending);
      record(expired());
    }
  }

  function fromEntry(entry) {
    return {
      url: maskUrl(entry.name, options.allowQueryParams),
      method: 'GET',
      status: entry.responseStatus || null, // 0 when hidden (cross-origin) or unsupported
      initiator: entry.entryType === 'navigation' ? 'navigation' : INITIATORS[entry.initiatorType] || 'other',
      start_ms: Math.round(now() - clock() + entry.startTime),
      duration_ms: Math.round(entry.responseEnd - entry.startTime),
      transfer_bytes: transferBytes(entry),
    };
  }

  function onEntries(list) {
    try {
      const requests = [];
      for (const entry of list.getEntries()) {
        if (isOwn(entry.name)) continue;
        if (/^(fetch|xmlhttprequest)$/.test(entry.initiatorType)) {
          // A request we saw start; others (before init, or not captured) are skipped.
          const index = waiting.findIndex((pending) => isEntryOf(pending, entry));
          if (index < 0) continue;
          const [pending] = waiting.splice(index, 1);
          fill(pending, entry);
          requests.push(pending.request);
        } else if (options.resources && !(entry.entryType === 'navigation' && navigationSeen)) {
          navigationSeen = navigationSeen || entry.entryType === 'navigation';
          requests.push(fromEntry(entry));
        }
      }
      record([...requests, ...expired()]);
    } catch (_) {
      // an odd entry is not worth an error in the page
    }
  }

  if (options.fetch && typeof window.fetch === 'function') {
    teardowns.push(
      patchMethod(window, 'fetch', (original) =>
        function recordedFetch(...args) {
          let pending = null;
          const [input, init] = args;
          try {
            const isRequest = window.Request && input instanceof window.Request;
            const url = typeof input === 'string' ? input : isRequest ? input.url : window.URL && input instanceof window.URL ? input.href : null;
            pending = url === null ? null : begin('fetch', (init && init.method) || (isRequest ? input.method : 'GET'), url);
            if (pending) {
              pending.signal = (init && init.signal) || (isRequest ? input.signal : null);
              if (options.allowHeaders.length) {
                const sent = new window.Headers((init && init.headers) || (isRequest ? input.headers : undefined));
                pending.request.request_headers = headers((name) => sent.get(name));
              }
              if (options.recordBodies && init && typeof init.body === 'string') pending.request.request_body = mask(init.body);
            }
          } catch (_) {
            pending = null;
          }
          const result = original.apply(this, args);
          if (!pending || !result || typeof result.then !== 'function') return result;
          return result.then(
            (response) => {
              try {
                onFetchResponse(pending, response);
              } catch (_) {
                // the page gets its response regardless
              }
              return response;
            },
            (error) => {
              try {
                settle(pending, null, failureOf(error, pending.signal));
                finish(pending);
              } catch (_) {
                // the page gets its rejection regardless
              }
              throw error;
            },
          );
        },
      ),
    );
  }

  function onFetchResponse(pending, response) {
    settle(pending, response.status);
    if (options.allowHeaders.length) pending.request.response_headers = headers((name) => response.headers.get(name));
    if (!options.recordBodies || !response.body || !TEXT_TYPE.test(response.headers.get('content-type'))) return finish(pending);
    readBounded(response.clone().body, options.maxBodyBytes, window.TextDecoder) // the clone, never the page's body
      .then(
        (text) => {
          pending.request.response_body = mask(text);
        },
        () => {}, // no body then; the request itself is still recorded
      )
      .then(() => finish(pending))
      .catch(() => {}); // never an unhandled rejection of ours in the page
  }

  const XHR = window.XMLHttpRequest;
  if (options.xhr && XHR && XHR.prototype) {
    const states = new WeakMap(); // xhr → {method, url, sync, headers, pending}
    const proto = XHR.prototype;

    const done = (xhr, pending, type) => {
      settle(pending, type === 'load' ? xhr.status : null, { error: 'network error', abort: 'aborted', timeout: 'timeout' }[type]);
      if (options.allowHeaders.length && type === 'load') pending.request.response_headers = headers((name) => xhr.getResponseHeader(name));
      if (options.recordBodies && type === 'load' && TEXT_TYPE.test(xhr.getResponseHeader('content-type'))) {
        const type2 = xhr.responseType;
        if (type2 === '' || type2 === 'text') pending.request.response_body = mask(xhr.responseText);
        else if (type2 === 'json') pending.request.response_body = mask(JSON.stringify(xhr.response));
      }
      finish(pending);
    };

    teardowns.push(
      patchMethod(proto, 'open', (original) =>
        function recordedOpen(...args) {
          const result = original.apply(this, args);
          // open(method, url, async): an async argument given as anything falsy (undefined too) is synchronous.
          states.set(this, { method: args[0], url: args[1], sync: args.length > 2 && !args[2], headers: {} });
          return result;
        },
      ),
      patchMethod(proto, 'setRequestHeader', (original) =>
        function recordedSetRequestHeader(...args) {
          const result = original.apply(this, args);
          const state = states.get(this);
          if (state) state.headers[String(args[0]).toLowerCase()] = String(args[1]);
          return result;
        },
      ),
      patchMethod(proto, 'send', (original) =>
        function recordedSend(...args) {
          const xhr = this;
          const state = states.get(xhr);
          let pending = null;
          try {
            pending = state ? begin('xhr', state.method, state.url) : null;
            if (pending) {
              state.pending = pending;
              if (options.allowHeaders.length) pending.request.request_headers = headers((name) => state.headers[name]);
              if (options.recordBodies && typeof args[0] === 'string') pending.request.request_body = mask(args[0]);
            }
          } catch (_) {
            pending = null;
          }
          if (!pending) return original.apply(xhr, args);
          if (state.sync) {
            let outcome = 'error'; // a synchronous request that fails throws a NetworkError
            try {
              const result = original.apply(xhr, args);
              outcome = 'load';
              return result;
            } finally {
              try {
                done(xhr, pending, outcome);
              } catch (_) {
                // the page's own outcome (return or throw) stands
              }
            }
          }
          const result = original.apply(xhr, args);
          // One of these ends every request that started; loadend would not say which.
          const types = ['load', 'error', 'abort', 'timeout'];
          function unwatch() {
            for (const type of types) xhr.removeEventListener(type, onEnd);
            watchers.delete(unwatch);
          }
          function onEnd(event) {
            unwatch();
            try {
              if (state.pending === pending && states.get(xhr) === state) done(xhr, pending, event.type);
            } catch (_) {
              // a listener error would reach the page as an uncaught error
            }
          }
          for (const type of types) xhr.addEventListener(type, onEnd);
          watchers.add(unwatch);
          return result;
        },
      ),
    );
  }

  if (PerformanceObserver && performance && (options.resources || options.fetch || options.xhr)) {
    try {
      const observer = new PerformanceObserver(onEntries);
      // buffered: the document and what loaded before the SDK did
      teardowns.push(() => observer.disconnect());
      for (const type of ['resource', 'navigation']) observer.observe({ type, buffered: true });
      observing = true;
    } catch (_) {
      // an old browser without typed observers: fetch and XHR are still recorded
    }
  }

  /** Record every request still waiting for its entry (page hide: this may be the last chance). */
  function flush() {
    record(expired(true));
  }
  return {
    flush,
    stop() {
      flush();
      stopped = true;
      for (const teardown of teardowns) teardown();
      for (const unwatch of [...watchers]) unwatch();
    },
  };
}
