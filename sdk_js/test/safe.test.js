import assert from 'node:assert/strict';
import test from 'node:test';
import { LOG_PREFIX } from '../src/constants.js';
import { createLogger, createSafe, parseJson, safeStorage, wrap } from '../src/safe.js';
import { createStorage } from '../testing/fakes.js';

function fakeConsole() {
  const lines = [];
  return { lines, warn: (...a) => lines.push(['warn', ...a]), debug: (...a) => lines.push(['debug', ...a]), error: (...a) => lines.push(['error', ...a]), log: (...a) => lines.push(['log', ...a]) };
}

test('wrap swallows a thrown error, logs it and returns the fallback', () => {
  const target = fakeConsole();
  const log = createLogger({ console: target });
  const wrapped = wrap(() => {
    throw new TypeError('boom');
  }, { log, label: 'track', fallback: 'fallback' });
  assert.equal(wrapped(), 'fallback');
  assert.equal(target.lines.length, 1);
  assert.deepEqual(target.lines[0].slice(0, 3), ['warn', LOG_PREFIX, 'track']);
  assert.ok(target.lines[0][3] instanceof TypeError);
});

test('wrap passes arguments, this and return values through', () => {
  const object = { factor: 3, times: wrap(function times(x) { return this.factor * x; }) };
  assert.equal(object.times(2), 6);
});

test('wrap turns a rejected promise into the fallback', async () => {
  const target = fakeConsole();
  const wrapped = wrap(async () => {
    throw new Error('async boom');
  }, { log: createLogger({ console: target }), fallback: null });
  assert.equal(await wrapped(), null);
  assert.equal(target.lines.length, 1);
});

test('createSafe binds one logger', () => {
  const target = fakeConsole();
  const safe = createSafe(createLogger({ console: target }));
  assert.equal(safe(() => { throw new Error('x'); }, 'label', 7)(), 7);
  assert.equal(target.lines[0][2], 'label');
});

test('the logger never uses console.error, hides debug unless asked, and stops after maxLines', () => {
  const target = fakeConsole();
  const log = createLogger({ console: target, maxLines: 3 });
  log.debug('hidden');
  log.error('e1');
  log.warn('w1');
  log.error('e2');
  log.error('e3');
  assert.deepEqual(target.lines.map((line) => line[0]), ['warn', 'warn', 'warn']);
  assert.equal(log.linesWritten, 3);
  const verbose = createLogger({ console: target, debug: true });
  verbose.debug('shown');
  assert.deepEqual(target.lines.at(-1), ['debug', LOG_PREFIX, 'shown']);
});

test('safeStorage falls back to memory when storage access throws', () => {
  const storage = safeStorage(() => {
    throw new Error('SecurityError');
  });
  assert.equal(storage.persistent, false);
  assert.equal(storage.getItem('a'), null);
  assert.equal(storage.setItem('a', 1), true);
  assert.equal(storage.getItem('a'), '1');
  storage.removeItem('a');
  assert.equal(storage.getItem('a'), null);
});

test('safeStorage reports a full quota as false instead of throwing', () => {
  const backing = createStorage({ quotaChars: 100 });
  const storage = safeStorage(() => backing);
  assert.equal(storage.persistent, true);
  assert.equal(storage.setItem('small', 'x'), true);
  assert.equal(storage.setItem('big', 'x'.repeat(500)), false);
  assert.equal(storage.getItem('big'), null);
  assert.equal(backing.getItem('small'), 'x');
});

test('parseJson returns the fallback for anything unparsable', () => {
  assert.deepEqual(parseJson('{"a":1}'), { a: 1 });
  assert.equal(parseJson('{oops', 'fb'), 'fb');
  assert.equal(parseJson(null, 'fb'), 'fb');
});
