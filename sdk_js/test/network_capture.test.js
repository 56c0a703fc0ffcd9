import assert from 'node:assert/strict';
import test from 'node:test';
import { DEFAULT_MAX_BODY_BYTES, MAX_REQUESTS_PER_MINUTE, MAX_URL_CHARS, NETWORK_ENTRY_WAIT_MS } from '../src/constants.js';
import { failureOf, maskUrl, networkOptions, readBounded, startNetworkCapture, transferBytes } from '../src/network_capture.js';
import { createClock, createTarget, settle } from '../testing/fakes.js';

test('networkOptions: booleans, partial objects over the defaults, and invalid values', () => {
  assert.deepEqual(networkOptions(true), { fetch: true, xhr: true, resources: true, allowQueryParams: [], allowHeaders: [], recordBodies: false, maxBodyBytes: DEFAULT_MAX_BODY_BYTES });
  assert.deepEqual([networkOptions(false).fetch, networkOptions(false).xhr, networkOptions(false).resources], [false, false, false]);
  const partial = networkOptions({ resources: false, allowQueryParams: ['page'], allowHeaders: ['X-Request-Id', 'Authorization', 'cookie'] });
  assert.equal(partial.fetch, true);
  assert.equal(partial.resources, false);
  assert.deepEqual(partial.allowHeaders, ['x-request-id'], 'credentials are never recorded, even when listed');
  for (const invalid of [null, 'yes', [], { fetch: 'yes' }, { allowQueryParams: 'page' }, { allowHeaders: [1] }, { maxBodyBytes: 0 }, { maxBodyBytes: 1.5 }, { bodies: true }]) {
    assert.equal(networkOptions(invalid), null, JSON.stringify(invalid));
  }
});

test('maskUrl masks every query value unless its parameter is allowed, and drops credentials and fragments', () => {
  const rows = [
    ['https://shop.example/api/items?token=abc123&page=2', ['page'], 'https://shop.example/api/items?token=***&page=2'],
    ['https://shop.example/api/items?token=abc123&page=2', [], 'https://shop.example/api/items?token=***&page=***'],
    ['https://shop.example/search?q=rosa+diaz&flag&empty=', [], 'https://shop.example/search?q=***&flag&empty=***'],
    ['https://shop.example/a?sort%20by=name', ['sort by'], 'https://shop.example/a?sort%20by=name'],
    ['https://shop.example/a?x=1&x=2', ['x'], 'https://shop.example/a?x=1&x=2'],
    ['https://user:p4ss@shop.example/a?k=v#access_token=xyz', [], 'https://shop.example/a?k=***'],
    ['https://shop.example/users/@me?k=v', [], 'https://shop.example/users/@me?k=***'],
    ['https://shop.example/plain/path', [], 'https://shop.example/plain/path'],
    ['data:image/png;base64,iVBORw0KGgo=', [], 'data:image/png;base64,…'],
  ];
  for (const [url, allowed, expected] of rows) assert.equal(maskUrl(url, allowed), expected, url);
  assert.equal(maskUrl(`https://shop.example/${'a'.repeat(5000)}`).length, MAX_URL_CHARS + 1);
});

test('transferBytes and failureOf read what the browser says', () => {
  assert.equal(transferBytes({ transferSize: 812, encodedBodySize: 500 }), 812);
  assert.equal(transferBytes({ transferSize: 0, encodedBodySize: 500 }), 0, 'from the cache');
  assert.equal(transferBytes({ transferSize: 0, encodedBodySize: 0 }), null, 'hidden: cross-origin without Timing-Allow-Origin');
  const abortError = Object.assign(new Error('The user aborted a request.'), { name: 'AbortError' });
  assert.equal(failureOf(new TypeError('Failed to fetch'), null), 'network error');
  assert.equal(failureOf(abortError, null), 'aborted');
  assert.equal(failureOf('any reason', { aborted: true, reason: 'any reason' }), 'aborted', 'abort(reason) rejects with the reason itself');
  assert.equal(failureOf(null, { aborted: true, reason: { name: 'TimeoutError' } }), 'timeout');
});

test('readBounded reads at most about maxBytes of a stream, then cancels it', async () => {
  let cancelled = false;
  let pulls = 0;
  const stream = new ReadableStream({
    pull(controller) {
      pulls += 1;
      controller.enqueue(new TextEncoder().encode('é'.repeat(100)));
    },
    cancel() {
      cancelled = true;
    },
  });
  const text = await readBounded(stream, 150);
  assert.equal(text, `${'é'.repeat(150)}…`);
  assert.ok(cancelled, 'an endless stream is cancelled');
  assert.ok(pulls < 10);
  assert.equal(await readBounded(new Response('short').body, 150), 'short');
});

// --- the capture over a fake window -------------------------------------------------

/** performance + PerformanceObserver whose entries the test delivers. */
function createTimeline(clock) {
  const entries = [];
  let observer = null;
  const performance = {
    now: () => clock.now() - 1_700_000_000_000 + 5000,
    getEntriesByName: (name, type) => entries.filter((e) => e.name === name && (!type || e.entryType === type)),
  };
  class PerformanceObserver {
    constructor(callback) {
      this.callback = callback;
      this.types = [];
      observer = this;
    }
    observe({ type }) {
      this.types.push(type);
    }
    disconnect() {
      this.types = [];
      observer = null;
    }
  }
  return {
    performance,
    PerformanceObserver,
    get observer() {
      return observer;
    },
    /** An entry as the browser would add it: to the timeline, then to the observer. */
    add(entry, { buffer = true, deliver = true } = {}) {
      const full = { entryType: 'resource', startTime: performance.now(), responseEnd: performance.now(), transferSize: 300, encodedBodySize: 100, responseStatus: 200, ...entry };
      if (buffer) entries.push(full);
      if (deliver && observer) observer.callback({ getEntries: () => [full] });
      return full;
    },
  };
}

/** An XMLHttpRequest whose requests the test answers by hand. */
function createXhrClass() {
  const sent = [];
  class FakeXHR {
    constructor() {
      createTarget(this);
      this.status = 0;
      this.readyState = 0;
      this.responseType = '';
      this.responseText = '';
      this.headers = {};
      this.responseHeaders = {};
    }
  }
  Object.assign(FakeXHR.prototype, {
    open(method, url, ...rest) {
      if (method === 'BAD METHOD') throw new SyntaxError('invalid method');
      // As WebIDL converts it: an async argument that is present but undefined is false.
      Object.assign(this, { method, url, async: rest.length ? Boolean(rest[0]) : true, readyState: 1 });
    },
    setRequestHeader(name, value) {
      this.headers[name] = value;
    },
    send(body) {
      if (this.readyState !== 1) throw new Error('InvalidStateError');
      this.body = body;
      sent.push(this);
      if (!this.async) {
        if (this.url.includes('unreachable')) throw Object.assign(new Error('NetworkError'), { name: 'NetworkError' });
        this.status = 200;
        this.responseText = 'sync body';
        this.readyState = 4;
      }
      return undefined;
    },
    getResponseHeader(name) {
      return this.responseHeaders[name.toLowerCase()] ?? null;
    },
    /** The test answers: `type` is load, error, abort or timeout. */
    finish(type, { status = 200, text = '', headers = {} } = {}) {
      if (type === 'load') Object.assign(this, { status, responseText: text, responseHeaders: headers });
      this.readyState = 4;
      this.dispatch(type);
      this.dispatch('loadend');
    },
  });
  const originals = { ...FakeXHR.prototype };
  return { FakeXHR, sent, originals };
}

function setup({ options = true, respond, timeline: withTimeline = true } = {}) {
  const clock = createClock();
  const timeline = createTimeline(clock);
  const xhr = createXhrClass();
  const fetchCalls = [];
  async function hostFetch(input, init) {
    fetchCalls.push({ self: this, args: [...arguments] });
    return respond ? respond(input, init) : new Response('{"ok":true}', { status: 200, headers: { 'Content-Type': 'application/json' } });
  }
  const window = {
    fetch: hostFetch,
    Request,
    Headers,
    URL,
    TextDecoder,
    XMLHttpRequest: xhr.FakeXHR,
    document: { baseURI: 'https://shop.example/cart/' },
    ...(withTimeline ? { performance: timeline.performance, PerformanceObserver: timeline.PerformanceObserver } : {}),
  };
  const recorded = [];
  const capture = startNetworkCapture({
    window,
    options: networkOptions(options),
    endpoint: 'https://rd.example',
    onRequests: (requests) => recorded.push(...requests),
    now: clock.now,
  });
  return { clock, timeline, xhr, window, hostFetch, fetchCalls, recorded, capture };
}

test('fetch keeps its arguments, this, response and rejection; the request is recorded with its entry', async () => {
  const context = setup({ options: { allowQueryParams: ['page'] } });
  const { window, recorded, timeline, clock } = context;
  const init = { method: 'post', body: 'towel=blue' };
  const response = await window.fetch('/api/items?token=s3cret&page=2', init);
  assert.equal(context.fetchCalls[0].args[0], '/api/items?token=s3cret&page=2');
  assert.equal(context.fetchCalls[0].args[1], init, 'the very same init object');
  assert.equal(context.fetchCalls[0].args.length, 2);
  assert.equal(context.fetchCalls[0].self, window);
  assert.equal(response.bodyUsed, false, 'the page gets its body unread');
  assert.deepEqual(await response.json(), { ok: true });
  assert.deepEqual(recorded, [], 'waits for the resource timing entry');

  clock.advance(40);
  timeline.add({ name: 'https://shop.example/api/items?token=s3cret&page=2', initiatorType: 'fetch', transferSize: 512 });
  assert.equal(recorded.length, 1);
  const [request] = recorded;
  assert.deepEqual(request, {
    url: 'https://shop.example/api/items?token=***&page=2',
    method: 'POST',
    status: 200,
    initiator: 'fetch',
    start_ms: 1_700_000_000_000,
    duration_ms: 40,
    transfer_bytes: 512,
  });

  const failure = new TypeError('Failed to fetch');
  const failing = setup({ respond: () => { throw failure; } });
  await assert.rejects(failing.window.fetch('https://api.example/x?key=k'), (error) => error === failure);
  assert.deepEqual(failing.recorded.map((r) => [r.url, r.status, r.error, r.transfer_bytes]), [['https://api.example/x?key=***', null, 'network error', null]]);
  context.capture.stop();
});

test('fetch(Request) and URL inputs; a 404 is a response; the SDK\'s own endpoint is never recorded', async () => {
  const context = setup({ respond: (input) => new Response('missing', { status: 404 }), timeline: false });
  const { window, recorded } = context;
  const request = new Request('https://shop.example/api/echo', { method: 'PUT', body: 'x' });
  await window.fetch(request);
  assert.equal(context.fetchCalls[0].args[0], request);
  await window.fetch(new URL('https://shop.example/u?id=7'));
  await window.fetch('https://rd.example/api/v1/ingest?key=pk');
  await window.fetch('https://rd.example/sdk/replaydesk-widget.js?v=1');
  assert.deepEqual(recorded.map((r) => [r.method, r.url, r.status]), [['PUT', 'https://shop.example/api/echo', 404], ['GET', 'https://shop.example/u?id=***', 404]]);
  context.capture.stop();
});

test('an aborted fetch rejects with the page\'s own reason and is recorded as aborted', async () => {
  const controller = new AbortController();
  const context = setup({
    respond: (input, init) => new Promise((resolve, reject) => init.signal.addEventListener('abort', () => reject(init.signal.reason))),
  });
  const pending = context.window.fetch('/slow', { signal: controller.signal });
  controller.abort('user left');
  await assert.rejects(pending, (reason) => reason === 'user left');
  assert.deepEqual(context.recorded.map((r) => [r.status, r.error]), [[null, 'aborted']]);
  context.capture.stop();
});

test('a streaming body is the page\'s alone; with bodies allowed a bounded clone is read', async () => {
  const parts = ['part 1\n', 'part 2\n', 'part 3\n'];
  const stream = () => new ReadableStream({
    start(controller) {
      for (const part of parts) controller.enqueue(new TextEncoder().encode(part));
      controller.close();
    },
  });
  const plain = setup({ respond: () => new Response(stream(), { headers: { 'Content-Type': 'text/plain' } }), timeline: false });
  const response = await plain.window.fetch('/stream');
  const reader = response.body.getReader();
  const read = [];
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    read.push(new TextDecoder().decode(value));
  }
  assert.deepEqual(read, parts, 'chunk by chunk, as sent');
  assert.equal('response_body' in plain.recorded[0], false);

  const bodies = setup({
    options: { recordBodies: true, maxBodyBytes: 10, allowHeaders: ['content-type', 'x-trace'] },
    respond: () => new Response(stream(), { headers: { 'Content-Type': 'text/plain', 'X-Trace': 't-1', 'Set-Cookie': 'sid=1' } }),
    timeline: false,
  });
  const answered = await bodies.window.fetch('/stream', { method: 'POST', body: 'q=a long request body', headers: { 'X-Trace': 'sent', Authorization: 'Bearer no' } });
  assert.equal(await answered.text(), parts.join(''), 'the page still reads the whole body');
  await settle();
  assert.deepEqual(bodies.recorded.map((r) => [r.request_body, r.response_body, r.request_headers, r.response_headers]), [
    ['q=a long r…', 'part 1\npar…', { 'x-trace': 'sent' }, { 'content-type': 'text/plain', 'x-trace': 't-1' }],
  ]);
  plain.capture.stop();
  bodies.capture.stop();
});

test('XHR: events, this and return values untouched; each ending recorded once; listeners removed', () => {
  const context = setup({ options: { allowHeaders: ['x-request-tag'] }, timeline: false });
  const { FakeXHR, sent } = context.xhr;
  const xhr = new FakeXHR();
  const seen = [];
  xhr.addEventListener('load', () => seen.push('page load'));
  assert.equal(xhr.open('GET', '/api/items?token=t'), undefined);
  xhr.setRequestHeader('X-Request-Tag', 'scenario');
  assert.equal(xhr.send(), undefined);
  assert.equal(sent[0], xhr);
  assert.equal(xhr.headers['X-Request-Tag'], 'scenario');
  assert.equal(xhr.listenerCount(), 5, 'the page\'s listener and our four');
  xhr.finish('load', { status: 201 });
  assert.deepEqual(seen, ['page load']);
  assert.equal(xhr.listenerCount(), 1, 'ours are gone once it ended');

  for (const ending of ['error', 'abort', 'timeout']) {
    const other = new FakeXHR();
    other.open('POST', 'https://api.example/v1/orders');
    other.send('{"n":1}');
    other.finish(ending);
  }
  assert.deepEqual(context.recorded.map((r) => [r.initiator, r.method, r.url, r.status, r.error, r.request_headers]), [
    ['xhr', 'GET', 'https://shop.example/api/items?token=***', 201, undefined, { 'x-request-tag': 'scenario' }],
    ['xhr', 'POST', 'https://api.example/v1/orders', null, 'network error', {}],
    ['xhr', 'POST', 'https://api.example/v1/orders', null, 'aborted', {}],
    ['xhr', 'POST', 'https://api.example/v1/orders', null, 'timeout', {}],
  ]);
  assert.throws(() => new FakeXHR().open('BAD METHOD', '/'), SyntaxError, 'the host\'s own errors propagate');
  assert.throws(() => new FakeXHR().send(), /InvalidStateError/);
  context.capture.stop();
});

test('synchronous XHR: recorded after send returns or throws, the page\'s outcome unchanged', () => {
  const context = setup({ timeline: false });
  const { FakeXHR } = context.xhr;
  const ok = new FakeXHR();
  ok.open('GET', '/sync', false);
  ok.send();
  assert.equal(ok.responseText, 'sync body');
  const failing = new FakeXHR();
  failing.open('GET', '/unreachable', undefined); // an async argument of undefined is synchronous
  assert.throws(() => failing.send(), { name: 'NetworkError' });
  assert.deepEqual(context.recorded.map((r) => [r.url, r.status, r.error]), [
    ['https://shop.example/sync', 200, undefined],
    ['https://shop.example/unreachable', null, 'network error'],
  ]);
  assert.equal(failing.listenerCount(), 0);
  context.capture.stop();
});

test('an XHR opened again while in flight records only the new request', () => {
  const context = setup({ timeline: false });
  const xhr = new context.xhr.FakeXHR();
  xhr.open('GET', '/first');
  xhr.send();
  xhr.open('GET', '/second');
  xhr.send();
  xhr.finish('load');
  assert.deepEqual(context.recorded.map((r) => r.url), ['https://shop.example/second']);
  assert.equal(xhr.listenerCount(), 0);
  context.capture.stop();
});

test('resource timings: initiators, the document once, entries of unseen or own requests skipped', () => {
  const context = setup();
  const { timeline, recorded } = context;
  assert.deepEqual(timeline.observer.types, ['resource', 'navigation']);
  const rows = [
    [{ entryType: 'navigation', name: 'https://shop.example/cart/?coupon=SPRING', initiatorType: 'navigation' }, 'navigation'],
    [{ name: 'https://cdn.example/app.js', initiatorType: 'script' }, 'script'],
    [{ name: 'https://cdn.example/site.css', initiatorType: 'link' }, 'css'],
    [{ name: 'https://cdn.example/font.woff2', initiatorType: 'css' }, 'css'],
    [{ name: 'https://cdn.example/logo.png?sig=abc', initiatorType: 'img', transferSize: 0, encodedBodySize: 0, responseStatus: 0 }, 'img'],
    [{ name: 'https://cdn.example/movie.mp4', initiatorType: 'video' }, 'other'],
  ];
  for (const [entry] of rows) timeline.add(entry);
  timeline.add({ entryType: 'navigation', name: 'https://shop.example/cart/?coupon=SPRING', initiatorType: 'navigation' }); // complete, again
  timeline.add({ name: 'https://shop.example/api/before-init', initiatorType: 'fetch' });
  timeline.add({ name: 'https://rd.example/sdk/replaydesk.js', initiatorType: 'script' });
  timeline.add({ name: 'https://rd.example/api/v1/ingest?key=pk', initiatorType: 'beacon' });
  assert.deepEqual(recorded.map((r) => r.initiator), rows.map(([, initiator]) => initiator));
  assert.equal(recorded[0].url, 'https://shop.example/cart/?coupon=***');
  assert.deepEqual([recorded[4].url, recorded[4].status, recorded[4].transfer_bytes], ['https://cdn.example/logo.png?sig=***', null, null]);
  assert.ok(recorded.every((r) => r.method === 'GET' && Number.isInteger(r.start_ms) && Number.isInteger(r.duration_ms)));
  context.capture.stop();
});

test('a fetch whose entry is already in the timeline is recorded at once; one that never gets one waits, bounded', async () => {
  const context = setup();
  const { timeline, window, recorded, clock } = context;
  const slow = window.fetch('/already');
  timeline.add({ name: 'https://shop.example/already', initiatorType: 'fetch', transferSize: 99 }, { deliver: false });
  await slow;
  assert.deepEqual(recorded.map((r) => r.transfer_bytes), [99]);

  await window.fetch('/never-finishes');
  assert.equal(recorded.length, 1);
  clock.advance(NETWORK_ENTRY_WAIT_MS + 1);
  timeline.add({ name: 'https://cdn.example/later.png', initiatorType: 'img' });
  assert.deepEqual(recorded.map((r) => r.url.split('/').pop()), ['already', 'later.png', 'never-finishes']);
  assert.equal(recorded[2].transfer_bytes, null);

  await window.fetch('/waiting-at-page-hide');
  context.capture.flush();
  assert.equal(recorded.at(-1).url, 'https://shop.example/waiting-at-page-hide');
  context.capture.stop();
});

test('at most MAX_REQUESTS_PER_MINUTE requests a minute', async () => {
  const context = setup({ timeline: false });
  for (let i = 0; i < MAX_REQUESTS_PER_MINUTE + 20; i += 1) await context.window.fetch(`/poll?i=${i}`);
  assert.equal(context.recorded.length, MAX_REQUESTS_PER_MINUTE);
  context.clock.advance(60 * 1000);
  await context.window.fetch('/next-minute');
  assert.equal(context.recorded.at(-1).url, 'https://shop.example/next-minute');
  context.capture.stop();
});

test('stop() puts fetch and XHR back, leaves later wrappers in place, records what waited and nothing after', async () => {
  const context = setup();
  const { window, xhr, recorded, hostFetch } = context;
  assert.notEqual(window.fetch, hostFetch);
  assert.notEqual(xhr.FakeXHR.prototype.send, xhr.originals.send);
  await window.fetch('/waiting');
  const inFlight = new xhr.FakeXHR();
  inFlight.open('GET', '/in-flight');
  inFlight.send();
  context.capture.stop();
  assert.equal(window.fetch, hostFetch);
  for (const name of ['open', 'send', 'setRequestHeader']) assert.equal(xhr.FakeXHR.prototype[name], xhr.originals[name], name);
  assert.equal(context.timeline.observer, null, 'the observer is disconnected');
  assert.equal(inFlight.listenerCount(), 0);
  assert.deepEqual(recorded.map((r) => r.url), ['https://shop.example/waiting']);
  inFlight.finish('load');
  await window.fetch('/after');
  assert.equal(recorded.length, 1);

  const later = setup();
  const ours = later.window.fetch;
  const theirs = function theirFetch(...args) {
    return ours.apply(this, args);
  };
  later.window.fetch = theirs;
  later.capture.stop();
  assert.equal(later.window.fetch, theirs, 'a wrapper installed after ours stays');
  await later.window.fetch('/through-theirs');
  assert.deepEqual(later.recorded, []);
});

test('options turn each source off; nothing is installed for a source that is off', async () => {
  const context = setup({ options: false });
  assert.equal(context.timeline.observer, null);
  assert.equal(context.window.fetch, context.hostFetch);
  assert.equal(context.xhr.FakeXHR.prototype.send, context.xhr.originals.send);
  context.timeline.add({ name: 'https://cdn.example/app.js', initiatorType: 'script' });
  assert.deepEqual(context.recorded, []);
  context.capture.stop();
});
