// Console lines as rrweb console plugin events (`rrweb/console@1`, SPEC "Engineer's
// context"): {level, payload: [each argument as text], trace: [stack frames]}.
// Returns its stop (STYLE P16).
//
// The host's console keeps behaving exactly as before: each wrapped method calls the
// original with the same `this` and arguments and returns what it returns (an error it
// throws reaches the caller as before). Recording happens first, inside try/catch, so
// nothing of ours can throw into the page. The SDK's own lines (LOG_PREFIX) and lines
// logged while we read an argument (a getter that logs) are not recorded.

import { perMinute, truncate } from './bounds.js';
import {
  LOG_PREFIX,
  MAX_CONSOLE_ARGS,
  MAX_CONSOLE_ARG_CHARS,
  MAX_CONSOLE_LINE_CHARS,
  MAX_CONSOLE_LINES_PER_MINUTE,
  MAX_STRINGIFY_DEPTH,
  MAX_STRINGIFY_KEYS,
  MAX_TRACE_FRAMES,
  MAX_TRACE_FRAME_CHARS,
} from './constants.js';
import { patchMethod } from './patch.js';
import { maskText } from './privacy.js';

export const CONSOLE_PLUGIN = 'rrweb/console@1';
export const CONSOLE_LEVELS = Object.freeze(['log', 'info', 'warn', 'error', 'debug']);

/**
 * The levels a `captureConsole` option records: `true` all of them, `false` / `[]` none,
 * an array those levels. Null when the option is not one of these (a config problem).
 */
export function consoleLevels(option) {
  if (option === true) return [...CONSOLE_LEVELS];
  if (option === false) return [];
  if (Array.isArray(option) && option.every((level) => CONSOLE_LEVELS.includes(level))) return [...new Set(option)];
  return null;
}

const typeTag = (value) => Object.prototype.toString.call(value);

/** An Error (any realm, DOMException too) as DevTools prints it: its stack, which names it. */
function errorText(error) {
  const head = `${error.name}: ${error.message}`;
  const stack = typeof error.stack === 'string' ? error.stack : '';
  if (!stack) return head;
  return stack.includes(error.message) ? stack : `${head}\n${stack}`;
}

/** A DOM node described, never serialized: `<button#buy.primary.wide>`, `#text`, `#document`. */
function describeNode(node) {
  if (node.nodeType !== 1) return node.nodeName;
  const classes = typeof node.className === 'string' ? node.className.trim().split(/\s+/).filter(Boolean) : [];
  return `<${String(node.localName || node.nodeName).toLowerCase()}${node.id ? `#${node.id}` : ''}${classes.map((name) => `.${name}`).join('')}>`;
}

/** Text for objects that are not written out key by key, or null. */
function describeSpecial(value) {
  if (value instanceof Error || typeTag(value) === '[object Error]') return errorText(value);
  if (typeof value.nodeType === 'number' && typeof value.nodeName === 'string') return describeNode(value);
  if (value.window === value) return '[Window]';
  const tag = typeTag(value);
  if (tag === '[object Date]') return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  if (tag === '[object RegExp]') return String(value);
  if (tag === '[object Map]' || tag === '[object Set]') return `${tag.slice(8, -1)}(${value.size})`;
  return null;
}

/**
 * One console argument as text of at most about `max` characters: strings as they are;
 * numbers, booleans, null, undefined, symbols and bigints as String() gives them;
 * functions as `[Function name]`; Errors with their stack; DOM nodes described; Dates,
 * RegExps, Maps and Sets briefly; other objects and arrays as JSON-like text, at most
 * MAX_STRINGIFY_DEPTH levels and MAX_STRINGIFY_KEYS keys deep, `[Circular]` for a
 * cycle, `[Thrown]` for a getter that throws. Never throws, never calls toJSON/toString
 * of the page's objects.
 */
export function stringifyArgument(value, max = MAX_CONSOLE_ARG_CHARS) {
  if (typeof value === 'string') return truncate(value, max);
  let out = '';
  const ancestors = [];
  function walk(item, depth) {
    if (out.length > max) return;
    if (typeof item === 'string') out += JSON.stringify(item.length > max ? item.slice(0, max) : item);
    else if (typeof item === 'function') out += `[Function${item.name ? ` ${item.name}` : ''}]`;
    else if (item === null || typeof item !== 'object') out += String(item);
    else if (ancestors.includes(item)) out += '[Circular]';
    else {
      const special = describeSpecial(item);
      const isArray = Array.isArray(item);
      if (special !== null) out += special;
      else if (depth >= MAX_STRINGIFY_DEPTH) out += isArray ? '[…]' : '{…}';
      else {
        ancestors.push(item);
        const keys = isArray ? item : Object.keys(item);
        const shown = Math.min(keys.length, MAX_STRINGIFY_KEYS);
        out += isArray ? '[' : '{';
        for (let index = 0; index < shown && out.length <= max; index += 1) {
          if (index) out += ',';
          if (!isArray) out += `${JSON.stringify(keys[index])}:`;
          let child;
          try {
            child = item[isArray ? index : keys[index]];
          } catch (_) {
            child = '[Thrown]';
          }
          walk(child, depth + 1);
        }
        out += `${keys.length > shown ? ',…' : ''}${isArray ? ']' : '}'}`;
        ancestors.pop();
      }
    }
  }
  try {
    walk(value, 0);
  } catch (_) {
    return '[unserializable]'; // a Proxy whose traps throw, a cross-origin window's properties
  }
  return truncate(out, max);
}

/**
 * The frames of `stack` (an Error's, created in our console wrapper) below the `skip`
 * frames of our own code, at most MAX_TRACE_FRAMES, without the `at ` prefix.
 */
export function stackFrames(stack, skip) {
  const lines = String(stack || '').split('\n').map((line) => line.trim()).filter(Boolean);
  if (lines[0] === 'Error') lines.shift(); // Chromium's header line; Firefox and Safari have none
  return lines.slice(skip, skip + MAX_TRACE_FRAMES).map((line) => truncate(line.replace(/^at /, ''), MAX_TRACE_FRAME_CHARS));
}

/** The plugin payload of one console call: arguments as bounded (and maybe masked) text. */
export function consolePayload(level, args, stack, { maskAllText = false, skipFrames = 0 } = {}) {
  const payload = [];
  let room = MAX_CONSOLE_LINE_CHARS;
  for (const arg of args.slice(0, MAX_CONSOLE_ARGS)) {
    if (room <= 0) break;
    const text = stringifyArgument(arg, Math.min(MAX_CONSOLE_ARG_CHARS, room));
    room -= text.length;
    payload.push(maskAllText ? maskText(text) : text);
  }
  if (args.length > payload.length) payload.push(`… ${args.length - payload.length} more`);
  return { level, payload, trace: stackFrames(stack, skipFrames) };
}

/**
 * Wrap `console[level]` for each of `levels`; `onLine(payload)` gets each recorded
 * line (it must not throw), at most MAX_CONSOLE_LINES_PER_MINUTE a minute. Returns stop().
 */
export function startConsoleCapture({ console, levels, onLine, maskAllText = false, now = Date.now }) {
  const take = perMinute(MAX_CONSOLE_LINES_PER_MINUTE, now);
  let busy = false;
  const teardowns = levels.map((level) =>
    patchMethod(console, level, (original) =>
      function recordedConsoleCall(...args) {
        if (!busy && args[0] !== LOG_PREFIX) {
          busy = true;
          try {
            // Two frames are ours: this function and patchMethod's wrapper around it.
            if (take()) onLine(consolePayload(level, args, new Error().stack, { maskAllText, skipFrames: 2 }));
          } catch (_) {
            // the page's console call goes on regardless
          }
          busy = false;
        }
        return original.apply(this, args);
      },
    ),
  );
  return function stop() {
    for (const teardown of teardowns) teardown();
  };
}
