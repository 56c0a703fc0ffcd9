import assert from 'node:assert/strict';
import test from 'node:test';
import { LOG_PREFIX, MAX_ERROR_MESSAGE_CHARS, MAX_ERROR_STACK_CHARS } from '../src/constants.js';
import {
  copyError,
  errorPayload,
  firstStackFrame,
  patchResponseJson,
  payloadFromConsole,
  payloadFromErrorEvent,
  payloadFromRejection,
  startErrorCapture,
} from '../src/errors.js';
import { createBrowser } from '../testing/fakes.js';

const CHROME_STACK = "TypeError: Cannot read properties of undefined (reading 'region')\n    at http://127.0.0.1:8731/assets/shop.js:194:47";
const CHROME_NAMED = 'ReferenceError: wishlistClient is not defined\n    at HTMLButtonElement.<anonymous> (http://127.0.0.1:8731/assets/shop.js:107:7)';
const FIREFOX_STACK = 'save@https://shop.example/app.js:12:5\n@https://shop.example/app.js:40:1';

test('firstStackFrame reads Chromium and Firefox frames', () => {
  assert.deepEqual(firstStackFrame(CHROME_STACK), { source: 'http://127.0.0.1:8731/assets/shop.js', lineno: 194, colno: 47 });
  assert.deepEqual(firstStackFrame(CHROME_NAMED), { source: 'http://127.0.0.1:8731/assets/shop.js', lineno: 107, colno: 7 });
  assert.deepEqual(firstStackFrame(FIREFOX_STACK), { source: 'https://shop.example/app.js', lineno: 12, colno: 5 });
  assert.deepEqual(firstStackFrame('SyntaxError: Unexpected token'), { source: '', lineno: 0, colno: 0 });
  assert.deepEqual(firstStackFrame(undefined), { source: '', lineno: 0, colno: 0 });
});

test('an ErrorEvent becomes the SPEC payload (as in the dev corpus)', () => {
  const error = new ReferenceError('wishlistClient is not defined');
  error.stack = CHROME_NAMED;
  const payload = payloadFromErrorEvent({
    message: 'Uncaught ReferenceError: wishlistClient is not defined',
    filename: 'http://127.0.0.1:8731/assets/shop.js',
    lineno: 107,
    colno: 7,
    error,
  });
  assert.deepEqual(payload, {
    message: 'Uncaught ReferenceError: wishlistClient is not defined',
    source: 'http://127.0.0.1:8731/assets/shop.js',
    lineno: 107,
    colno: 7,
    stack: CHROME_NAMED,
    kind: 'error',
  });
});

test('a cross-origin "Script error." has every field, with empty values', () => {
  assert.deepEqual(payloadFromErrorEvent({ message: 'Script error.', filename: '', lineno: 0, colno: 0, error: null }), {
    message: 'Script error.',
    source: '',
    lineno: 0,
    colno: 0,
    stack: '',
    kind: 'error',
  });
});

test('rejections: Error reasons give name, message and the first frame; others are described', () => {
  const error = new TypeError("Cannot read properties of undefined (reading 'region')");
  error.stack = CHROME_STACK;
  const payload = payloadFromRejection(error);
  assert.equal(payload.message, "TypeError: Cannot read properties of undefined (reading 'region')");
  assert.equal(payload.source, 'http://127.0.0.1:8731/assets/shop.js');
  assert.equal(payload.lineno, 194);
  assert.equal(payload.kind, 'unhandledrejection');
  assert.equal(payloadFromRejection('plain string').message, 'plain string');
  assert.equal(payloadFromRejection({ code: 42 }).message, '{"code":42}');
  assert.equal(payloadFromRejection(undefined).message, 'undefined');
  const circular = {};
  circular.self = circular;
  assert.equal(payloadFromRejection(circular).message, '[object Object]');
});

test('messages and stacks are bounded', () => {
  const payload = errorPayload({ message: 'm'.repeat(5000), stack: 's'.repeat(50000), kind: 'error' });
  assert.equal(payload.message.length, MAX_ERROR_MESSAGE_CHARS + 1);
  assert.equal(payload.stack.length, MAX_ERROR_STACK_CHARS + 1);
  assert.equal(payload.lineno, 0);
});

test('console.error arguments are joined; the SDK\'s own lines are skipped', () => {
  const payload = payloadFromConsole(['Checkout failed:', new Error('HTTP 500'), { order: 7 }]);
  assert.equal(payload.message, 'Checkout failed: Error: HTTP 500 {"order":7}');
  assert.equal(payload.kind, 'console');
  assert.equal(payloadFromConsole([LOG_PREFIX, 'internal']), null);
});

test('copyError keeps class, message and stack, and links the original as cause', () => {
  const original = new SyntaxError('Unexpected token');
  const copy = copyError(original);
  assert.notEqual(copy, original);
  assert.ok(copy instanceof SyntaxError);
  assert.equal(copy.message, original.message);
  assert.equal(copy.stack, original.stack);
  assert.equal(copy.cause, original);
  const abort = new DOMException('The operation was aborted.', 'AbortError');
  const abortCopy = copyError(abort);
  assert.equal(abortCopy.name, 'AbortError');
  assert.ok(abortCopy instanceof DOMException);
  assert.equal(copyError('not an error'), 'not an error');
  class HostError extends Error {
    constructor(code) {
      super(`code ${code.value}`);
    }
  }
  const host = new HostError({ value: 1 });
  assert.equal(copyError(host), host, 'a class with another constructor is passed on unchanged');
});

test('Response.json() rejections are re-raised as a fresh copy; success is untouched', async () => {
  const unpatch = patchResponseJson(Response);
  try {
    assert.deepEqual(await new Response('{"a":1}').json(), { a: 1 });
    let caught = null;
    try {
      await new Response('not json').json();
    } catch (error) {
      caught = error;
    }
    assert.ok(caught instanceof SyntaxError, 'the page still sees a SyntaxError');
    assert.ok(caught.cause instanceof SyntaxError, 'the browser-made error is the cause');
    assert.notEqual(caught, caught.cause);
  } finally {
    unpatch();
  }
});

test('unpatching restores Response.prototype.json', () => {
  const original = Response.prototype.json;
  const unpatch = patchResponseJson(Response);
  assert.notEqual(Response.prototype.json, original);
  unpatch();
  assert.equal(Response.prototype.json, original);
});

test('startErrorCapture reports error and unhandledrejection events, up to the cap', () => {
  const browser = createBrowser();
  const payloads = [];
  const stop = startErrorCapture({ window: browser.window, onError: (payload) => payloads.push(payload), captureJson: false, maxEvents: 3 });
  browser.window.dispatch('error', { message: 'Uncaught Error: one', filename: 'https://a/x.js', lineno: 1, colno: 2, error: new Error('one') });
  browser.window.dispatch('unhandledrejection', { reason: new Error('two') });
  browser.window.dispatch('unhandledrejection', { reason: 'three' });
  browser.window.dispatch('unhandledrejection', { reason: 'four: over the cap' });
  assert.deepEqual(payloads.map((p) => [p.kind, p.message]), [
    ['error', 'Uncaught Error: one'],
    ['unhandledrejection', 'Error: two'],
    ['unhandledrejection', 'three'],
  ]);
  stop();
});

test('a reason whose getters throw is skipped without breaking the listener', () => {
  const browser = createBrowser();
  const payloads = [];
  const stop = startErrorCapture({ window: browser.window, onError: (payload) => payloads.push(payload), captureJson: false });
  const hostile = {};
  Object.defineProperty(hostile, 'stack', { get() { throw new Error('getter'); } });
  assert.doesNotThrow(() => browser.window.dispatch('unhandledrejection', { reason: hostile }));
  browser.window.dispatch('unhandledrejection', { reason: 'fine' });
  assert.deepEqual(payloads.map((p) => p.message), ['fine']);
  stop();
});

test('console.error capture is opt-in, calls the host console, and comes off with stop()', () => {
  const browser = createBrowser();
  const hostCalls = [];
  const hostError = (...args) => hostCalls.push(args);
  browser.window.console.error = hostError;
  const payloads = [];
  const off = startErrorCapture({ window: browser.window, onError: (p) => payloads.push(p), captureJson: false });
  browser.window.console.error('not captured by default');
  off();
  assert.equal(payloads.length, 0);

  const stop = startErrorCapture({ window: browser.window, onError: (p) => payloads.push(p), captureConsole: true, captureJson: false });
  browser.window.console.error('Payment failed', 402);
  assert.deepEqual(payloads.map((p) => p.message), ['Payment failed 402']);
  assert.equal(hostCalls.length, 2, 'the host console.error ran both times');
  stop();
  assert.equal(browser.window.console.error, hostError);
  assert.equal(browser.window.listenerCount(), 0);
});

test('stop() removes the Response.json wrap installed by startErrorCapture', () => {
  const browser = createBrowser();
  browser.window.Response = Response;
  const original = Response.prototype.json;
  const stop = startErrorCapture({ window: browser.window, onError: () => {} });
  assert.notEqual(Response.prototype.json, original);
  stop();
  assert.equal(Response.prototype.json, original);
});
