// The build: outputs exist, the size budgets hold, the loader keeps its placeholders,
// and the IIFE bundle takes over the loader's queue.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'node:test';
import vm from 'node:vm';
import { buildAll, LOADER_PLACEHOLDERS, MAX_BUNDLE_GZIP_BYTES, MAX_LOADER_BYTES, withCanvasRecorder, withoutCanvasRecorder } from '../build.mjs';
import { defaults } from '../src/config.js';
import { recordOptions } from '../src/privacy.js';

// A temporary folder: rebuilding the served dist/ would drop `make build`'s .gz copies.
const outDir = mkdtempSync(join(tmpdir(), 'replaydesk-sdk-build-'));
const dist = (name) => join(outDir, name);
const built = buildAll(outDir);
test.after(() => rmSync(outDir, { recursive: true, force: true }));

test('the build succeeds within the size budgets', async () => {
  const { sizes, problems } = await built;
  assert.deepEqual(problems, []);
  assert.ok(sizes['replaydesk.js'].gzip <= MAX_BUNDLE_GZIP_BYTES, `${sizes['replaydesk.js'].gzip} B gzip`);
  assert.ok(sizes['loader.js'].raw <= MAX_LOADER_BYTES, `${sizes['loader.js'].raw} B`);
  assert.ok(sizes['replaydesk.esm.js'].raw > 20_000, 'the ESM build contains the recorder');
});

test('the loader is one line with each placeholder once, inside double quotes', async () => {
  await built;
  const loader = readFileSync(dist('loader.js'), 'utf8');
  assert.equal(loader.includes('\n'), false);
  for (const placeholder of LOADER_PLACEHOLDERS) assert.equal(loader.split(`"${placeholder}"`).length, 2, placeholder);
});

test('the served snippet, once substituted, loads the bundle URL and queues init with key and endpoint', async () => {
  await built;
  const snippet = readFileSync(dist('loader.js'), 'utf8')
    .replace('__RD_SRC__', 'https://rd.example/sdk/replaydesk.js')
    .replace('__RD_KEY__', 'pk_live_abc')
    .replace('__RD_ENDPOINT__', 'https://rd.example');
  const appended = [];
  const document = { head: { appendChild: (node) => appended.push(node) }, createElement: (tagName) => ({ tagName }) };
  const window = {};
  vm.runInNewContext(snippet, { window, document, Promise });
  assert.equal(appended[0].src, 'https://rd.example/sdk/replaydesk.js');
  assert.equal(appended[0].async, true);
  assert.equal(appended[0].crossOrigin, 'anonymous', 'a CORS script: its wrappers do not mute the page\'s rejections');
  assert.equal(JSON.stringify(window.Replaydesk._q), '[["init",[{"key":"pk_live_abc","endpoint":"https://rd.example"}]]]');
});

test('the IIFE bundle publishes window.Replaydesk and drains the loader queue', async () => {
  await built;
  const appended = [];
  const window = { document: { head: { appendChild: (node) => appended.push(node) }, createElement: (tagName) => ({ tagName }) } };
  window.window = window;
  const context = vm.createContext(window);
  vm.runInContext(readFileSync(dist('loader.js'), 'utf8'), context);
  const stub = window.Replaydesk;
  stub.track('early', {});
  assert.equal(stub._q.length, 2);
  vm.runInContext(readFileSync(dist('replaydesk.js'), 'utf8'), context); // what the async <script> does
  const api = window.Replaydesk;
  assert.equal(api.__replaydesk, true);
  for (const name of ['init', 'identify', 'track', 'setVariant', 'getVariant', 'task', 'stop', 'optOut', 'optIn']) {
    assert.equal(typeof api[name], 'function', name);
  }
  assert.equal(stub._q, null, 'the queue was replayed');
  assert.equal(stub.track, api.track, 'the stub now forwards');
  // This fake window has no fetch, storage or timers: init must fail quietly.
  assert.equal(api.init({ key: 'k', endpoint: 'https://rd.example' }), false);
});

test('the study widget is a chunk of its own: out of the IIFE bundle, an ES module exporting startTaskWidget', async () => {
  await built;
  const bundle = readFileSync(dist('replaydesk.js'), 'utf8');
  const chunk = readFileSync(dist('replaydesk-widget.js'), 'utf8');
  assert.equal(bundle.includes('Start task'), false, 'the widget is not in the bundle every visitor loads');
  assert.ok(chunk.includes('Start task'));
  assert.match(chunk, /export\s*\{[^}]*\bstartTaskWidget\b[^}]*\}/);
  const module = await import(`data:text/javascript;base64,${Buffer.from(chunk).toString('base64')}`);
  assert.equal(typeof module.startTaskWidget, 'function');
});

test('rrweb\'s canvas recorder is a chunk of its own: the bundle has a stand-in, the chunk the recorder', async () => {
  await built;
  const bundle = readFileSync(dist('replaydesk.js'), 'utf8');
  const chunk = readFileSync(dist('replaydesk-canvas.js'), 'utf8');
  assert.equal(bundle.includes('image-bitmap-data-url-worker'), false, 'no canvas worker source in the bundle');
  assert.equal(bundle.includes('OffscreenCanvas'), false);
  assert.ok(bundle.includes('canvasRecorder'), 'the stand-in waits on record.canvasRecorder');
  assert.ok(chunk.includes('OffscreenCanvas') && chunk.includes('image-bitmap-data-url-worker'));
  assert.match(chunk, /export\s*\{[^}]*\bCanvasManager\b[^}]*\}/);
  assert.equal('recordCanvas' in recordOptions({ ...defaults(), key: 'k', endpoint: 'https://rd.example' }), false);
  assert.throws(() => withoutCanvasRecorder('class StylesheetManager {}'), /changed shape/, 'an rrweb upgrade fails the build instead of shipping a broken cut');
  assert.throws(() => withCanvasRecorder('class StylesheetManager {}'), /changed shape/);
});

test('the ES module keeps the real recorder beside the stand-in', async () => {
  await built;
  const esm = readFileSync(dist('replaydesk.esm.js'), 'utf8');
  assert.ok(esm.includes('OffscreenCanvas') && esm.includes('canvasRecorder'));
});
