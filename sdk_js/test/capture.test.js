import assert from 'node:assert/strict';
import test from 'node:test';
import { isUserActivity, startCapture } from '../src/capture.js';
import { createBrowser, createClock, createRecorder } from '../testing/fakes.js';

function setup(readyState = 'complete') {
  const clock = createClock();
  const browser = createBrowser({ readyState });
  const record = createRecorder({ now: clock.now, document: browser.document });
  const events = [];
  return { clock, browser, record, events, emit: (event) => events.push(event) };
}

test('isUserActivity: clicks, moves, scrolls and inputs count; mutations and snapshots do not', () => {
  assert.equal(isUserActivity({ type: 3, data: { source: 2 } }), true);
  assert.equal(isUserActivity({ type: 3, data: { source: 1 } }), true);
  assert.equal(isUserActivity({ type: 3, data: { source: 5 } }), true);
  assert.equal(isUserActivity({ type: 3, data: { source: 0 } }), false);
  assert.equal(isUserActivity({ type: 2, data: {} }), false);
  assert.equal(isUserActivity({ type: 5, data: { tag: '$pageview' } }), false);
  assert.equal(isUserActivity(null), false);
});

test('rrweb gets the privacy options, DOMContentLoaded timing and an error handler that swallows', () => {
  const { browser, record, emit } = setup();
  const capture = startCapture({ record, document: browser.document, options: { maskAllInputs: true, blockClass: 'rd-block' }, emit });
  const options = record.state.options;
  assert.equal(options.maskAllInputs, true);
  assert.equal(options.blockClass, 'rd-block');
  assert.equal(options.recordAfter, 'DOMContentLoaded');
  assert.equal(options.errorHandler(new Error('observer failed')), true);
  capture.stop();
});

test('custom events follow the Meta + FullSnapshot on a ready page', () => {
  const { browser, record, events, emit } = setup();
  const capture = startCapture({ record, document: browser.document, options: {}, emit });
  capture.addCustomEvent('$pageview', { url: 'u' });
  assert.deepEqual(events.map((e) => e.type), [4, 2, 5]);
  assert.deepEqual(events[2].data, { tag: '$pageview', payload: { url: 'u' } });
  capture.stop();
});

test('custom events sent while the document loads wait for the snapshot, in order', () => {
  const { browser, record, events, emit } = setup('loading');
  const capture = startCapture({ record, document: browser.document, options: {}, emit });
  capture.addCustomEvent('$pageview', { n: 1 });
  capture.addCustomEvent('$error', { n: 2 });
  assert.equal(events.length, 0);
  browser.document.readyState = 'interactive';
  browser.document.dispatch('DOMContentLoaded');
  assert.deepEqual(events.map((e) => (e.type === 5 ? e.data.tag : e.type)), [4, 2, '$pageview', '$error']);
  capture.stop();
  assert.equal(browser.document.listenerCount(), 0);
});

test('stop() stops rrweb, removes the DOMContentLoaded wait and drops later events', () => {
  const { browser, record, events, emit } = setup('loading');
  const capture = startCapture({ record, document: browser.document, options: {}, emit });
  assert.equal(record.state.running, 1);
  capture.stop();
  assert.equal(record.state.running, 0);
  assert.equal(browser.document.listenerCount(), 0);
  capture.addCustomEvent('late', {});
  assert.equal(events.length, 0);
});

test('when rrweb does not start, custom events are still emitted with a timestamp', () => {
  const { clock, browser, events, emit } = setup();
  const broken = () => undefined; // rrweb returns nothing when its setup threw
  broken.addCustomEvent = () => {
    throw new Error('please add custom event after start recording');
  };
  const capture = startCapture({ record: broken, document: browser.document, options: {}, emit, now: clock.now });
  capture.addCustomEvent('$error', { message: 'x' });
  assert.deepEqual(events, [{ type: 5, timestamp: clock.now(), data: { tag: '$error', payload: { message: 'x' } } }]);
  assert.doesNotThrow(() => capture.checkout());
  capture.stop();
});

test('checkout takes a checkout full snapshot', () => {
  const { browser, record, events, emit } = setup();
  const capture = startCapture({ record, document: browser.document, options: {}, emit });
  capture.checkout();
  assert.equal(record.state.checkouts, 1);
  assert.deepEqual(events.map((e) => e.type), [4, 2, 4, 2]);
  capture.stop();
});

/** A window with CSSStyleSheet, and an rrweb stand-in that, like @rrweb/record 2.1.6, replaces addRule / removeRule and never restores them. */
function leakyRecorder() {
  class CSSStyleSheet {
    addRule() {
      return -1;
    }
    removeRule() {}
  }
  const win = { CSSStyleSheet };
  const document = { readyState: 'complete', defaultView: win, addEventListener() {}, removeEventListener() {} };
  const record = () => {
    CSSStyleSheet.prototype.addRule = function addRule() {
      return 0;
    };
    CSSStyleSheet.prototype.removeRule = function removeRule() {};
    return () => {}; // rrweb's stop: addRule / removeRule stay replaced
  };
  record.addCustomEvent = () => {};
  return { win, document, record, native: { ...Object.getOwnPropertyDescriptors(CSSStyleSheet.prototype) } };
}

test('stop() restores what rrweb replaces and leaves replaced (CSSStyleSheet addRule / removeRule)', () => {
  const { win, document, record, native } = leakyRecorder();
  const capture = startCapture({ record, document, options: {}, emit: () => {} });
  assert.notEqual(win.CSSStyleSheet.prototype.addRule, native.addRule.value, 'rrweb patched it');
  capture.stop();
  assert.equal(win.CSSStyleSheet.prototype.addRule, native.addRule.value);
  assert.equal(win.CSSStyleSheet.prototype.removeRule, native.removeRule.value);
});

test('a page that patched addRule after rrweb keeps its patch at stop()', () => {
  const { win, document, record } = leakyRecorder();
  const capture = startCapture({ record, document, options: {}, emit: () => {} });
  const pagePatch = function addRule() {
    return 42;
  };
  win.CSSStyleSheet.prototype.addRule = pagePatch;
  capture.stop();
  assert.equal(win.CSSStyleSheet.prototype.addRule, pagePatch);
});
