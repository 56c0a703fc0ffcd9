// The loader snippet (src/loader.js) and the bundle's replay of its queue (src/browser.js).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import test from 'node:test';
import vm from 'node:vm';

const LOADER_SOURCE = readFileSync(new URL('../src/loader.js', import.meta.url), 'utf8');

function fakePage() {
  const appended = [];
  const document = {
    head: { appendChild: (node) => appended.push(node) },
    documentElement: { appendChild: (node) => appended.push(node) },
    createElement: (tagName) => ({ tagName }),
  };
  const window = { document, Promise };
  return { window, document, appended };
}

function runLoader(page, source = LOADER_SOURCE) {
  vm.runInNewContext(source, { window: page.window, document: page.document, Promise });
}

test('the loader queues init, inserts one async script and records calls made before the bundle', async () => {
  const page = fakePage();
  runLoader(page);
  const stub = page.window.Replaydesk;
  assert.equal(page.appended.length, 1);
  assert.deepEqual({ ...page.appended[0] }, { tagName: 'script', async: true, crossOrigin: 'anonymous', src: '__RD_SRC__' });
  stub.identify('user-1', { plan: 'pro' });
  stub.track('signup', { step: 2 });
  const variant = stub.getVariant('checkout');
  assert.ok(variant instanceof Promise);
  // JSON round trip: objects made inside the vm context have that realm's prototypes.
  assert.deepEqual(
    JSON.parse(JSON.stringify(stub._q.map(([method, args]) => [method, args]))),
    [
      ['init', [{ key: '__RD_KEY__', endpoint: '__RD_ENDPOINT__' }]],
      ['identify', ['user-1', { plan: 'pro' }]],
      ['track', ['signup', { step: 2 }]],
      ['getVariant', ['checkout']],
    ],
  );
});

test('running the snippet twice loads the bundle once', () => {
  const page = fakePage();
  runLoader(page);
  runLoader(page);
  assert.equal(page.appended.length, 1);
  assert.equal(page.window.Replaydesk._q.length, 1);
});

test('the bundle replays the queue in order, settles getVariant, then the stub forwards', async () => {
  const { drainQueue } = await import('../src/queue.js');
  const page = fakePage();
  runLoader(page);
  const stub = page.window.Replaydesk;
  stub.track('before', {});
  const pending = stub.getVariant('checkout');
  const calls = [];
  const api = {
    init: (options) => calls.push(['init', options]),
    track: (tag) => calls.push(['track', tag]),
    getVariant: async (experiment) => `${experiment}:B`,
    identify: (id) => calls.push(['identify', id]),
  };
  drainQueue(stub, api);
  assert.deepEqual(JSON.parse(JSON.stringify(calls)), [['init', { key: '__RD_KEY__', endpoint: '__RD_ENDPOINT__' }], ['track', 'before']]);
  assert.equal(await pending, 'checkout:B');
  stub.identify('kept-reference'); // code that kept the stub still reaches the SDK
  assert.deepEqual(calls.at(-1), ['identify', 'kept-reference']);
  assert.equal(stub._q, null);
});
