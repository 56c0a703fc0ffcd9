// The whole SDK over fake browser globals: what reaches the server, and that stop()
// leaves nothing behind (STYLE P16).
import assert from 'node:assert/strict';
import test from 'node:test';
import { createClient } from '../src/client.js';
import { FLUSH_INTERVAL_MS, SDK_VERSION, SESSION_IDLE_TIMEOUT_MS, STORAGE_KEYS } from '../src/constants.js';
import { createOutbox } from '../src/outbox.js';
import { safeStorage } from '../src/safe.js';
import { isValidId } from '../src/session.js';
import { createBrowser, createClock, createFetch, createRecorder, createStorage, decodeBody, settle } from '../testing/fakes.js';

const OPTIONS = { key: 'pk_test', endpoint: 'https://rd.example/' };

function setup({ href = 'https://shop.example/', navigator = {}, respond, localStorage = createStorage(), sessionStorage = createStorage(), readyState = 'complete' } = {}) {
  const clock = createClock();
  const browser = createBrowser({ href, referrer: 'https://search.example/', title: 'Home', readyState });
  class FakeResponse {}
  FakeResponse.prototype.json = function json() {
    return Promise.resolve({});
  };
  browser.window.Response = FakeResponse;
  const hostConsoleError = () => {};
  browser.console.error = hostConsoleError;
  const record = createRecorder({ now: clock.now, document: browser.document });
  const fetch = createFetch(
    respond ||
      ((url) => (url.includes('/decide') ? { status: 200, body: { 'checkout-redesign': 'B' } } : { status: 200, body: { ok: true, live: false, commands: [] } })),
  );
  const beacons = [];
  const widgetUrls = [];
  const env = {
    window: browser.window,
    document: browser.document,
    navigator: { userAgent: 'FakeBrowser/1.0', ...navigator },
    sessionStorage: safeStorage(() => sessionStorage),
    localStorage: safeStorage(() => localStorage),
    fetch,
    sendBeacon: (url, data) => beacons.push({ url, data }) > 0,
    record,
    CompressionStream: null,
    AbortController: null,
    now: clock.now,
    random: () => 0.5,
    setTimeout: clock.setTimeout,
    clearTimeout: clock.clearTimeout,
    console: browser.console,
    loadWidget: (url) => {
      widgetUrls.push(url);
      return import('../src/widget.js');
    },
  };
  const client = createClient(env);
  return { clock, browser, record, fetch, beacons, env, client, localStorage, sessionStorage, FakeResponse, hostConsoleError, widgetUrls };
}

async function flushNow(context) {
  context.clock.advance(FLUSH_INTERVAL_MS);
  await settle();
}

async function ingested(fetch) {
  const out = [];
  for (const call of fetch.calls.filter((c) => c.url.endsWith('/api/v1/ingest'))) out.push(await decodeBody(call.init));
  return out;
}

function customEvents(batches) {
  return batches.flatMap((b) => b.events).filter((e) => e.type === 5).map((e) => [e.data.tag, e.data.payload]);
}

test('init records the page: Meta, FullSnapshot, then $pageview, with the SPEC body and meta', async () => {
  const context = setup();
  assert.equal(context.client.init(OPTIONS), true);
  assert.equal(context.client.isRecording(), true);
  await flushNow(context);
  const [batch] = await ingested(context.fetch);
  assert.deepEqual(Object.keys(batch), ['session_id', 'window_id', 'seq', 'events', 'meta']);
  assert.ok(isValidId(batch.session_id) && isValidId(batch.window_id));
  assert.equal(batch.seq, 0);
  assert.deepEqual(batch.events.map((e) => e.type), [4, 2, 5]);
  assert.deepEqual(batch.events[2].data, { tag: '$pageview', payload: { url: 'https://shop.example/', referrer: 'https://search.example/', title: 'Home' } });
  const { meta } = batch;
  assert.deepEqual(Object.keys(meta), ['url', 'referrer', 'user_agent', 'viewport', 'distinct_id', 'sdk_version', 'variants', 'study', 'participant']);
  assert.equal(meta.url, 'https://shop.example/');
  assert.equal(meta.user_agent, 'FakeBrowser/1.0');
  assert.deepEqual(meta.viewport, { w: 1280, h: 720 });
  assert.ok(isValidId(meta.distinct_id), 'an anonymous distinct_id until identify()');
  assert.equal(meta.sdk_version, SDK_VERSION);
  assert.deepEqual(meta.variants, {});
  assert.equal(meta.study, null);
  assert.equal(meta.participant, null);
  // rrweb got the privacy options.
  assert.equal(context.record.state.options.blockClass, 'rd-block');
  assert.deepEqual(context.record.state.options.sampling, { mousemove: 50, scroll: 150, input: 'last' });
  context.client.stop();
});

test('the public calls become SPEC custom events, and meta follows identify / setVariant', async () => {
  const context = setup();
  const { client } = context;
  client.init(OPTIONS);
  client.identify('user-42', { plan: 'pro' });
  client.setVariant('checkout-redesign', 'A');
  client.task('purchase', 'start');
  client.track('coupon_applied', { code: 'SPRING' });
  // Misuse is ignored with a warning, never thrown.
  client.track('$pageview', {});
  client.task('purchase', 'done');
  client.setVariant('exp', 3);
  client.identify('');
  const circular = {};
  circular.self = circular;
  client.track('bad_payload', circular);
  await flushNow(context);
  const batches = await ingested(context.fetch);
  assert.deepEqual(customEvents(batches).slice(1), [
    ['$identify', { distinct_id: 'user-42', traits: { plan: 'pro' } }],
    ['$variant', { experiment: 'checkout-redesign', variant: 'A' }],
    ['$task', { task_id: 'purchase', status: 'start' }],
    ['coupon_applied', { code: 'SPRING' }],
  ]);
  assert.equal(batches[0].meta.distinct_id, 'user-42');
  assert.deepEqual(batches[0].meta.variants, { 'checkout-redesign': 'A' });
  assert.ok(context.browser.console.lines.length >= 5, 'each misuse was logged');
  client.stop();
});

test('SPA navigation and page errors arrive as $pageview and $error', async () => {
  const context = setup();
  context.client.init(OPTIONS);
  context.browser.document.title = 'Orders';
  context.browser.history.pushState({}, '', '/account/orders');
  await Promise.resolve(); // the view's $pageview leaves once the router's task is done
  context.browser.window.dispatch('error', { message: 'Uncaught Error: boom', filename: 'https://shop.example/app.js', lineno: 3, colno: 9, error: null });
  await flushNow(context);
  const tags = customEvents(await ingested(context.fetch));
  assert.deepEqual(tags[1], ['$pageview', { url: 'https://shop.example/account/orders', referrer: 'https://shop.example/', title: 'Orders' }]);
  assert.deepEqual(tags[2], ['$error', { message: 'Uncaught Error: boom', source: 'https://shop.example/app.js', lineno: 3, colno: 9, stack: '', kind: 'error' }]);
  context.client.stop();
});

test('stop() leaves no listener, patch, recorder or timer behind', async () => {
  const context = setup({ href: 'https://shop.example/?rd_study=s1&rd_participant=p1' });
  const { browser, client, record, clock, FakeResponse, hostConsoleError } = context;
  const jsonBefore = FakeResponse.prototype.json;
  client.init({ ...OPTIONS, captureConsoleErrors: true, taskWidget: true });
  assert.ok(browser.window.listenerCount() > 0);
  assert.notEqual(browser.history.pushState, browser.originals.pushState);
  assert.notEqual(FakeResponse.prototype.json, jsonBefore);
  assert.notEqual(browser.console.error, hostConsoleError);
  client.track('pending', {});
  assert.ok(clock.pending().length > 0);

  client.stop();
  assert.equal(client.isRecording(), false);
  assert.equal(browser.window.listenerCount(), 0);
  assert.equal(browser.document.listenerCount(), 0);
  assert.equal(browser.history.pushState, browser.originals.pushState);
  assert.equal(browser.history.replaceState, browser.originals.replaceState);
  assert.equal(FakeResponse.prototype.json, jsonBefore);
  assert.equal(browser.console.error, hostConsoleError);
  assert.equal(record.state.running, 0);
  assert.equal(clock.pending().length, 0);
  assert.equal(context.beacons.length, 1, 'what was buffered left by beacon');

  const calls = context.fetch.calls.length;
  client.track('after_stop', {});
  browser.history.pushState({}, '', '/later');
  clock.advance(10 * FLUSH_INTERVAL_MS);
  await settle();
  assert.equal(context.fetch.calls.length, calls, 'nothing is sent after stop');
  // And it can start again.
  assert.equal(client.init(OPTIONS), true);
  client.stop();
});

test('page hide sends the tail by beacon with the key in the query', async () => {
  const context = setup();
  context.client.init(OPTIONS);
  context.client.track('last_click', {});
  context.browser.document.visibilityState = 'hidden';
  context.browser.document.dispatch('visibilitychange');
  assert.equal(context.beacons.length, 1);
  assert.equal(context.beacons[0].url, 'https://rd.example/api/v1/ingest?key=pk_test');
  assert.deepEqual(customEvents([JSON.parse(context.beacons[0].data)]).map(([tag]) => tag), ['$pageview', 'last_click']);
  context.browser.window.dispatch('pagehide');
  assert.equal(context.beacons.length, 1, 'nothing new to send');
  context.client.stop();
});

test('optOut stops, forgets unsent data and is remembered; optIn starts again', async () => {
  const context = setup({ respond: () => ({ status: 503, body: {} }) });
  const { client, localStorage } = context;
  client.init(OPTIONS);
  await flushNow(context); // fails: the batch is now in the outbox
  assert.ok([...localStorage.map.keys()].some((key) => key.startsWith(STORAGE_KEYS.outbox)));
  client.optOut();
  assert.equal(client.isRecording(), false);
  assert.equal(localStorage.getItem(STORAGE_KEYS.optOut), '1');
  assert.ok(![...localStorage.map.keys()].some((key) => key.startsWith(STORAGE_KEYS.outbox)));
  assert.equal(context.browser.window.listenerCount(), 0);

  const again = setup({ localStorage });
  assert.equal(again.client.init(OPTIONS), false, 'a later page respects the opt-out');
  assert.equal(again.record.state.running, 0);
  again.client.optIn();
  assert.equal(again.client.isRecording(), true);
  again.client.stop();
});

test('sampleRate 0, Do-Not-Track and GPC (when asked) record nothing and install nothing', async () => {
  const cases = [
    [{ ...OPTIONS, sampleRate: 0 }, {}],
    [{ ...OPTIONS, respectDoNotTrack: true }, { doNotTrack: '1' }],
    [{ ...OPTIONS, respectGlobalPrivacyControl: true }, { globalPrivacyControl: true }],
  ];
  for (const [options, navigator] of cases) {
    const context = setup({ navigator });
    assert.equal(context.client.init(options), false, JSON.stringify(options));
    context.client.track('ignored', {});
    await flushNow(context);
    assert.equal(context.fetch.calls.length, 0);
    assert.equal(context.record.state.running, 0);
    assert.equal(context.browser.window.listenerCount(), 0);
    assert.equal(context.browser.history.pushState, context.browser.originals.pushState);
  }
  const unasked = setup({ navigator: { doNotTrack: '1' } });
  assert.equal(unasked.client.init(OPTIONS), true, 'DNT alone does not stop recording');
  unasked.client.stop();
});

test('a bad config starts nothing and throws nothing', () => {
  const context = setup();
  assert.equal(context.client.init({ endpoint: 'not a url' }), false);
  assert.equal(context.client.init(undefined), false);
  assert.equal(context.record.state.running, 0);
  assert.ok(context.browser.console.lines.some((line) => String(line[2]).includes('"key"')));
});

test('a calling twice init() keeps the first recording', () => {
  const context = setup();
  assert.equal(context.client.init(OPTIONS), true);
  assert.equal(context.client.init(OPTIONS), false);
  assert.equal(context.record.state.running, 1);
  context.client.stop();
});

test('invite-link context goes into meta, and server task commands drive the widget', async () => {
  const command = { type: 'task', task: { task_id: 'purchase', title: 'Buy towels', text: '' } };
  let answered = 0;
  const received = [];
  const context = setup({
    href: 'https://shop.example/?rd_study=study_1&rd_participant=p_7',
    respond: (url) => (url.includes('/tasks')
      ? { status: 404, body: { ok: false, error: 'not_found' } } // a study without a public task list: commands still work
      : { status: 200, body: { ok: true, live: false, commands: answered++ === 0 ? [command] : [] } }),
  });
  context.client.init({ ...OPTIONS, onCommand: (c) => received.push(c) });
  await flushNow(context);
  await flushNow(context);
  const batches = await ingested(context.fetch);
  assert.equal(batches[0].meta.study, 'study_1');
  assert.equal(batches[0].meta.participant, 'p_7');
  assert.deepEqual(received, [command]);
  assert.deepEqual(customEvents(batches).at(-1), ['$task', { task_id: 'purchase', status: 'start' }]);
  const taskList = context.fetch.calls.filter((call) => call.url.includes('/tasks'));
  assert.deepEqual(taskList.map((call) => call.url), ['https://rd.example/api/v1/studies/study_1/tasks?key=pk_test']);
  assert.equal(taskList[0].init.credentials, 'omit');
  assert.deepEqual(context.widgetUrls, [`https://rd.example/sdk/replaydesk-widget.js?v=${SDK_VERSION}`], 'the widget chunk, once');
  context.client.stop();
});

test('getVariant asks the server once and records the answer as $variant', async () => {
  const context = setup();
  context.client.init(OPTIONS);
  assert.equal(await context.client.getVariant('checkout-redesign'), 'B');
  assert.equal(await context.client.getVariant('unknown-experiment'), null);
  const decides = context.fetch.calls.filter((call) => call.url.includes('/api/v1/decide'));
  assert.equal(decides.length, 1);
  const url = new URL(decides[0].url);
  assert.equal(url.origin + url.pathname, 'https://rd.example/api/v1/decide');
  assert.equal(url.searchParams.get('key'), 'pk_test');
  assert.ok(isValidId(url.searchParams.get('distinct_id')));
  await flushNow(context);
  assert.deepEqual(customEvents(await ingested(context.fetch)).at(-1), ['$variant', { experiment: 'checkout-redesign', variant: 'B' }]);
  context.client.stop();
});

test('getVariant answers null, without throwing, when the server cannot be reached', async () => {
  const context = setup({ respond: () => { throw new TypeError('Failed to fetch'); } });
  context.client.init(OPTIONS);
  assert.equal(await context.client.getVariant('checkout-redesign'), null);
  assert.equal(await setup().client.getVariant('x'), null, 'before init');
  context.client.stop();
});

test('after 30 min idle, the next click starts a new session with its own snapshot', async () => {
  const context = setup();
  context.client.init(OPTIONS);
  await flushNow(context);
  context.clock.advance(SESSION_IDLE_TIMEOUT_MS + 1000);
  context.record.emitIncremental(2, { type: 2, id: 7, x: 10, y: 20 });
  await flushNow(context);
  const batches = await ingested(context.fetch);
  assert.equal(batches.length, 2);
  assert.notEqual(batches[1].session_id, batches[0].session_id);
  assert.equal(batches[1].window_id, batches[0].window_id);
  assert.equal(batches[1].seq, 1);
  assert.deepEqual(batches[1].events.map((e) => e.type), [4, 2, 5, 3]);
  const times = batches[1].events.map((e) => e.timestamp);
  assert.deepEqual([...times].sort((a, b) => a - b), times, 'the click is stamped after the new snapshot');
  assert.equal(context.record.state.checkouts, 1);
  context.client.stop();
});

test('batches a previous page could not deliver are sent first', async () => {
  const localStorage = createStorage();
  createOutbox({ storage: safeStorage(() => localStorage), projectKey: 'pk_test' }).save([
    { id: 'old-session/old-window/4', body: JSON.stringify({ session_id: 'old-session', window_id: 'old-window', seq: 4, events: [{ type: 3, timestamp: 1, data: {} }], meta: {} }) },
  ]);
  const context = setup({ localStorage });
  context.client.init(OPTIONS);
  await settle();
  const [first] = await ingested(context.fetch);
  assert.deepEqual([first.session_id, first.seq], ['old-session', 4]);
  assert.ok(![...localStorage.map.keys()].some((key) => key.startsWith(STORAGE_KEYS.outbox)));
  context.client.stop();
});

test('a fetch that throws synchronously never reaches the host page', async () => {
  const context = setup();
  context.env.fetch = () => {
    throw new Error('CSP blocked');
  };
  const client = createClient(context.env);
  assert.doesNotThrow(() => client.init(OPTIONS));
  await assert.doesNotReject(flushNow(context));
  client.stop();
});

test('a refused key (401) stops recording', async () => {
  const context = setup({ respond: () => ({ status: 401, body: { ok: false, error: 'unknown_key' } }) });
  context.client.init(OPTIONS);
  await flushNow(context);
  assert.equal(context.client.isRecording(), false);
  assert.equal(context.browser.window.listenerCount(), 0);
});

test('console lines and the page\'s requests arrive as rrweb plugin events; stop() unwraps both', async () => {
  const context = setup();
  const { browser, client } = context;
  const pageFetch = async () => ({ status: 204, headers: { get: () => null } });
  browser.window.fetch = pageFetch;
  const hostWarn = browser.console.warn;
  const hostLog = (...args) => browser.console.lines.push(['log', ...args]);
  browser.console.log = hostLog;
  client.init({ ...OPTIONS, captureNetwork: { allowQueryParams: ['page'] } });
  assert.notEqual(browser.window.fetch, pageFetch);
  browser.console.warn('low stock', { sku: 'T-1' });
  browser.console.log('not recorded: warn and error by default');
  client.track('$reserved', {}); // the SDK's own warning line is not recorded either
  await browser.window.fetch('https://shop.example/api/items?token=s3cret&page=2');
  await flushNow(context);
  const plugins = (await ingested(context.fetch)).flatMap((batch) => batch.events).filter((event) => event.type === 6);
  assert.deepEqual(plugins.map((event) => event.data.plugin), ['rrweb/console@1', 'rrweb/network@1']);
  const [line, network] = plugins.map((event) => event.data.payload);
  assert.deepEqual([line.level, line.payload], ['warn', ['low stock', '{"sku":"T-1"}']]);
  assert.ok(Array.isArray(line.trace));
  assert.deepEqual(network.requests.map((r) => [r.initiator, r.url, r.status]), [['fetch', 'https://shop.example/api/items?token=***&page=2', 204]]);
  assert.ok(context.browser.console.lines.some((entry) => entry[1] === '[replaydesk]'), 'the SDK did log its warning');

  client.stop();
  assert.equal(browser.window.fetch, pageFetch);
  assert.equal(browser.console.warn, hostWarn);
  assert.equal(browser.console.log, hostLog);
});

test('maskAllText masks console arguments like the page\'s text; captureConsole and captureNetwork can be off', async () => {
  const masked = setup();
  masked.client.init({ ...OPTIONS, maskAllText: true, captureConsole: true });
  masked.browser.console.error('Card 4242 declined');
  await flushNow(masked);
  const line = (await ingested(masked.fetch)).flatMap((batch) => batch.events).find((event) => event.type === 6).data.payload;
  assert.deepEqual(line.payload, ['**** **** ********']);
  masked.client.stop();

  const off = setup();
  const warn = off.browser.console.warn;
  off.browser.window.fetch = async () => ({ status: 200, headers: { get: () => null } });
  const pageFetch = off.browser.window.fetch;
  off.client.init({ ...OPTIONS, captureConsole: false, captureNetwork: false });
  assert.equal(off.browser.console.warn, warn);
  assert.equal(off.browser.window.fetch, pageFetch);
  off.client.stop();
  assert.equal(setup().client.init({ ...OPTIONS, captureConsole: ['warning'] }), false, 'an unknown level is a config problem');
});
