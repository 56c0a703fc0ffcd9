import assert from 'node:assert/strict';
import test from 'node:test';
import {
  consoleLevels,
  consolePayload,
  stackFrames,
  startConsoleCapture,
  stringifyArgument,
} from '../src/console_capture.js';
import {
  LOG_PREFIX,
  MAX_CONSOLE_ARGS,
  MAX_CONSOLE_ARG_CHARS,
  MAX_CONSOLE_LINE_CHARS,
  MAX_CONSOLE_LINES_PER_MINUTE,
  MAX_STRINGIFY_KEYS,
  MAX_TRACE_FRAMES,
} from '../src/constants.js';
import { createLogger } from '../src/safe.js';
import { createClock } from '../testing/fakes.js';

test('consoleLevels reads the option: true, false, [] or a list of levels', () => {
  assert.deepEqual(consoleLevels(true), ['log', 'info', 'warn', 'error', 'debug']);
  assert.deepEqual(consoleLevels(false), []);
  assert.deepEqual(consoleLevels([]), []);
  assert.deepEqual(consoleLevels(['error', 'warn', 'error']), ['error', 'warn']);
  for (const invalid of [['warning'], 'error', null, 1, {}]) assert.equal(consoleLevels(invalid), null, JSON.stringify(invalid));
});

test('stringifyArgument writes primitives, functions and objects as DevTools users read them', () => {
  const rows = [
    ['plain text', 'plain text'],
    [42, '42'],
    [-0.5, '-0.5'],
    [true, 'true'],
    [null, 'null'],
    [undefined, 'undefined'],
    [10n, '10'],
    [Symbol('cart'), 'Symbol(cart)'],
    [function reorder() {}, '[Function reorder]'],
    [() => {}, '[Function]'],
    [{ id: 7, tags: ['a', 'b'], nested: { ok: true, none: null } }, '{"id":7,"tags":["a","b"],"nested":{"ok":true,"none":null}}'],
    [[1, 'two', undefined], '[1,"two",undefined]'],
    [new Date(Date.UTC(2024, 0, 2, 3, 4, 5)), '2024-01-02T03:04:05.000Z'],
    [new Date(Number.NaN), 'Invalid Date'],
    [/to+wel/gi, '/to+wel/gi'],
    [new Map([[1, 2]]), 'Map(1)'],
    [new Set([1, 2, 3]), 'Set(3)'],
    [{ when: new Date(0), list: new Set() }, '{"when":1970-01-01T00:00:00.000Z,"list":Set(0)}'],
  ];
  for (const [value, expected] of rows) assert.equal(stringifyArgument(value), expected, String(expected));
});

test('Errors give their stack (which names them), DOM nodes a description, never their content', () => {
  const error = new TypeError('cart is undefined');
  assert.equal(stringifyArgument(error), error.stack);
  assert.match(stringifyArgument(error), /^TypeError: cart is undefined\n\s+at /);
  const firefoxLike = new RangeError('too many towels');
  firefoxLike.stack = 'order@https://shop.example/app.js:3:9';
  assert.equal(stringifyArgument(firefoxLike), 'RangeError: too many towels\norder@https://shop.example/app.js:3:9');
  const noStack = new Error('lost');
  noStack.stack = undefined;
  assert.equal(stringifyArgument(noStack), 'Error: lost');

  const button = { nodeType: 1, nodeName: 'BUTTON', localName: 'button', id: 'buy', className: ' primary  wide ', textContent: 'secret text' };
  assert.equal(stringifyArgument(button), '<button#buy.primary.wide>');
  assert.equal(stringifyArgument({ nodeType: 3, nodeName: '#text', data: 'Rosa Diaz' }), '#text');
  assert.equal(stringifyArgument({ target: button, n: 1 }), '{"target":<button#buy.primary.wide>,"n":1}');
  const fakeWindow = { document: {} };
  fakeWindow.window = fakeWindow;
  assert.equal(stringifyArgument(fakeWindow), '[Window]');
});

test('cycles, depth, key counts and length are bounded', () => {
  const loop = { name: 'a' };
  loop.self = loop;
  loop.list = [loop];
  assert.equal(stringifyArgument(loop), '{"name":"a","self":[Circular],"list":[[Circular]]}');
  const shared = { x: 1 };
  assert.equal(stringifyArgument([shared, shared]), '[{"x":1},{"x":1}]', 'the same object twice is no cycle');

  assert.equal(stringifyArgument({ a: { b: { c: { d: { e: 1 } } } } }), '{"a":{"b":{"c":{"d":{…}}}}}');
  assert.equal(stringifyArgument([[[[[1]]]]]), '[[[[[…]]]]]');

  const wide = Object.fromEntries(Array.from({ length: MAX_STRINGIFY_KEYS + 10 }, (_, i) => [`k${i}`, i]));
  const text = stringifyArgument(wide);
  assert.ok(text.endsWith(`"k${MAX_STRINGIFY_KEYS - 1}":${MAX_STRINGIFY_KEYS - 1},…}`), text.slice(-40));

  const long = 'x'.repeat(MAX_CONSOLE_ARG_CHARS * 3);
  assert.equal(stringifyArgument(long).length, MAX_CONSOLE_ARG_CHARS + 1, 'cut, with an ellipsis');
  assert.ok(stringifyArgument({ long }).length <= MAX_CONSOLE_ARG_CHARS + 1);
  const huge = Array.from({ length: 1_000_000 }, (_, i) => ({ i }));
  const started = process.hrtime.bigint();
  assert.ok(stringifyArgument(huge).length <= MAX_CONSOLE_ARG_CHARS + 1);
  assert.ok(Number(process.hrtime.bigint() - started) / 1e6 < 50, 'a million items cost no more than the bound');
});

test('hostile arguments never throw: throwing getters, throwing proxies', () => {
  const getter = { ok: 1, get bad() { throw new Error('no'); } };
  assert.equal(stringifyArgument(getter), '{"ok":1,"bad":"[Thrown]"}');
  const proxy = new Proxy({}, { ownKeys() { throw new Error('trap'); }, get() { throw new Error('trap'); } });
  assert.equal(stringifyArgument(proxy), '[unserializable]');
  assert.equal(stringifyArgument([proxy, 1]), '[unserializable]');
  let toJsonCalls = 0;
  stringifyArgument({ toJSON() { toJsonCalls += 1; return 'x'; }, toString() { toJsonCalls += 1; return 'y'; } });
  assert.equal(toJsonCalls, 0, "the page's methods are not called");
});

test('consolePayload bounds the arguments and masks them like text when maskAllText is on', () => {
  const many = Array.from({ length: MAX_CONSOLE_ARGS + 5 }, (_, i) => i);
  const { payload } = consolePayload('log', many, '');
  assert.equal(payload.length, MAX_CONSOLE_ARGS + 1);
  assert.equal(payload.at(-1), '… 5 more');

  const big = Array.from({ length: 10 }, () => 'y'.repeat(MAX_CONSOLE_ARG_CHARS));
  const bounded = consolePayload('log', big, '').payload;
  assert.ok(bounded.join('').length <= MAX_CONSOLE_LINE_CHARS + bounded.length * 20, 'the whole line is bounded');
  assert.match(bounded.at(-1), /^… \d+ more$/);

  const masked = consolePayload('warn', ['Card 4242 for Rosa Diaz', { email: 'rosa@example.com' }], '', { maskAllText: true });
  assert.deepEqual(masked.payload, ['**** **** *** **** ****', '*'.repeat('{"email":"rosa@example.com"}'.length)]);
  assert.equal(masked.level, 'warn');
});

test('stackFrames drops our own frames and keeps at most MAX_TRACE_FRAMES of the caller', () => {
  const chromium = ['Error', '    at recordedConsoleCall (https://rd.example/sdk/replaydesk.js:1:100)', '    at console.patched [as log] (https://rd.example/sdk/replaydesk.js:1:50)', '    at checkout (https://shop.example/app.js:12:5)', '    at HTMLButtonElement.<anonymous> (https://shop.example/app.js:40:1)'].join('\n');
  assert.deepEqual(stackFrames(chromium, 2), ['checkout (https://shop.example/app.js:12:5)', 'HTMLButtonElement.<anonymous> (https://shop.example/app.js:40:1)']);
  const firefox = 'recordedConsoleCall@https://rd.example/sdk/replaydesk.js:1:100\npatched@https://rd.example/sdk/replaydesk.js:1:50\ncheckout@https://shop.example/app.js:12:5\n';
  assert.deepEqual(stackFrames(firefox, 2), ['checkout@https://shop.example/app.js:12:5']);
  const deep = ['Error', ...Array.from({ length: 30 }, (_, i) => `    at f${i} (x.js:${i}:1)`)].join('\n');
  assert.equal(stackFrames(deep, 2).length, MAX_TRACE_FRAMES);
  assert.deepEqual(stackFrames(undefined, 2), []);
});

/** A console whose methods record their calls and return a marker. */
function hostConsole() {
  const calls = [];
  const target = {};
  for (const level of ['log', 'info', 'warn', 'error', 'debug']) {
    target[level] = function (...args) {
      calls.push({ level, args, self: this });
      return `${level} returned`;
    };
  }
  return { target, calls, originals: { ...target } };
}

test('the wrapped console behaves exactly as the host\'s: same this, arguments and return value', () => {
  const host = hostConsole();
  const lines = [];
  const stop = startConsoleCapture({ console: host.target, levels: ['log', 'warn'], onLine: (line) => lines.push(line) });
  assert.notEqual(host.target.log, host.originals.log);
  assert.equal(host.target.info, host.originals.info, 'levels not asked for stay untouched');
  const object = { cart: 2 };
  assert.equal(host.target.log('total', 3, object), 'log returned');
  assert.equal(host.target.warn(), 'warn returned');
  host.target.info('not recorded');
  assert.equal(host.calls[0].args[2], object, 'the very same objects reach the host');
  assert.equal(host.calls[0].self, host.target);
  assert.deepEqual(host.calls.map((c) => c.args.length), [3, 0, 1]);
  assert.deepEqual(lines.map((l) => [l.level, l.payload]), [['log', ['total', '3', '{"cart":2}']], ['warn', []]]);
  stop();
  assert.deepEqual(host.target, host.originals, 'stop() puts every original back');
});

test('a host console that throws still throws to its caller; hostile arguments reach it untouched', () => {
  const thrown = new Error('console is broken');
  const target = { error() { throw thrown; } };
  const lines = [];
  const stop = startConsoleCapture({ console: target, levels: ['error'], onLine: (line) => lines.push(line) });
  assert.throws(() => target.error('x'), (error) => error === thrown);
  const proxy = new Proxy({}, { ownKeys() { throw new Error('trap'); } });
  const quiet = { error: (...args) => args };
  const stopQuiet = startConsoleCapture({ console: quiet, levels: ['error'], onLine: () => { throw new Error('our bug'); } });
  assert.deepEqual(quiet.error(proxy), [proxy], 'an error of ours never reaches the page');
  stopQuiet();
  stop();
  assert.equal(lines.length, 1);
});

test('the SDK\'s own lines and lines logged while an argument is read are not recorded', () => {
  const host = hostConsole();
  const lines = [];
  const stop = startConsoleCapture({ console: host.target, levels: ['log', 'warn', 'debug'], onLine: (line) => lines.push(line) });
  const log = createLogger({ console: host.target, debug: true });
  log.warn('a problem of ours');
  log.debug('a debug line');
  host.target.log({ get total() { host.target.log('from a getter'); return 3; } });
  assert.deepEqual(lines.map((l) => l.payload), [['{"total":3}']]);
  assert.equal(host.calls.length, 4, 'every call still reached the host console');
  assert.equal(host.calls[0].args[0], LOG_PREFIX);
  stop();
});

test('at most MAX_CONSOLE_LINES_PER_MINUTE lines a minute: a logging loop cannot flood', () => {
  const clock = createClock();
  const host = hostConsole();
  const lines = [];
  const stop = startConsoleCapture({ console: host.target, levels: ['log'], onLine: (line) => lines.push(line), now: clock.now });
  for (let i = 0; i < MAX_CONSOLE_LINES_PER_MINUTE * 3; i += 1) host.target.log(i);
  assert.equal(lines.length, MAX_CONSOLE_LINES_PER_MINUTE);
  assert.equal(host.calls.length, MAX_CONSOLE_LINES_PER_MINUTE * 3);
  clock.advance(60 * 1000);
  host.target.log('next minute');
  assert.equal(lines.at(-1).payload[0], 'next minute');
  stop();
});

test('a line\'s trace starts at the caller, and a patch installed after ours survives stop()', () => {
  const host = hostConsole();
  const lines = [];
  const stop = startConsoleCapture({ console: host.target, levels: ['error'], onLine: (line) => lines.push(line) });
  function checkoutFailed() {
    host.target.error('payment declined');
  }
  checkoutFailed();
  assert.match(lines[0].trace[0], /^checkoutFailed /, lines[0].trace.join('\n'));
  const ours = host.target.error;
  const later = (...args) => ours(...args); // another library wraps console.error after us
  host.target.error = later;
  stop();
  assert.equal(host.target.error, later);
  host.target.error('still reaches the host');
  assert.equal(host.calls.at(-1).args[0], 'still reaches the host');
  assert.equal(lines.length, 1, 'nothing recorded after stop()');
});
