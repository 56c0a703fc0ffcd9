// `$error {message, source, lineno, colno, stack, kind}` for uncaught errors
// (kind "error"), unhandled promise rejections ("unhandledrejection") and, when
// enabled, console.error calls ("console"). Returns its stop (STYLE P16).
//
// The Response.json() gap: Chromium fires no `unhandledrejection` when the promise of
// Response.prototype.json() rejects and nobody handles it (DevTools still shows it).
// The rejection's reason is a SyntaxError created by the browser, and Chromium does
// not report rejections carrying that object, even after it travels through a script's
// promise chain. Rejecting with a fresh copy of the error from script restores the
// browser's normal tracking. So json() is wrapped to re-reject with a copy (same class,
// message and stack; the original as `cause`): the page's own handlers still catch it
// as before, and when none does, the ordinary `unhandledrejection` fires, for this SDK
// and for every other listener of the page.

import { truncate } from './bounds.js';
import { LOG_PREFIX, MAX_ERROR_EVENTS_PER_PAGE, MAX_ERROR_MESSAGE_CHARS, MAX_ERROR_STACK_CHARS } from './constants.js';
import { listen, patchMethod } from './patch.js';

const FRAME_PATTERN = /([^\s(@]+):(\d+):(\d+)\)?\s*$/;

/** The first `source:line:column` of a stack trace (Chromium, Firefox and Safari forms). */
export function firstStackFrame(stack) {
  const lines = typeof stack === 'string' ? stack.split('\n') : [];
  for (const line of lines) {
    const match = FRAME_PATTERN.exec(line.trim());
    if (match && /[/.]/.test(match[1])) {
      return { source: match[1], lineno: Number(match[2]), colno: Number(match[3]) };
    }
  }
  return { source: '', lineno: 0, colno: 0 };
}

/** The SPEC's $error payload with every field present and bounded. */
export function errorPayload({ message, source, lineno, colno, stack, kind }) {
  return {
    message: truncate(message, MAX_ERROR_MESSAGE_CHARS),
    source: truncate(source, MAX_ERROR_MESSAGE_CHARS),
    lineno: Number.isFinite(lineno) ? lineno : 0,
    colno: Number.isFinite(colno) ? colno : 0,
    stack: truncate(stack, MAX_ERROR_STACK_CHARS),
    kind,
  };
}

function describe(value) {
  if (value instanceof Error || (value && typeof value.message === 'string' && typeof value.name === 'string')) {
    return `${value.name}: ${value.message}`;
  }
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch (_) {
    return String(value);
  }
}

/** Payload for a window `error` event (an ErrorEvent). */
export function payloadFromErrorEvent(event) {
  return errorPayload({
    message: event.message || describe(event.error),
    source: event.filename,
    lineno: event.lineno,
    colno: event.colno,
    stack: event.error && event.error.stack,
    kind: 'error',
  });
}

/** Payload for an unhandled rejection with `reason`; source and position come from its stack. */
export function payloadFromRejection(reason) {
  const stack = reason && typeof reason.stack === 'string' ? reason.stack : '';
  return errorPayload({ message: describe(reason), stack, ...firstStackFrame(stack), kind: 'unhandledrejection' });
}

/** Payload for console.error(...args); null for the SDK's own lines. */
export function payloadFromConsole(args) {
  if (args[0] === LOG_PREFIX) return null;
  const error = args.find((arg) => arg instanceof Error);
  const stack = error && typeof error.stack === 'string' ? error.stack : '';
  return errorPayload({ message: args.map(describe).join(' '), stack, ...firstStackFrame(stack), kind: 'console' });
}

/**
 * A copy of `error` (same class, message, name and stack; `cause` = the original),
 * or `error` itself when it cannot be copied faithfully.
 */
export function copyError(error, { DOMExceptionClass = globalThis.DOMException } = {}) {
  if (!(error instanceof Error) && !(DOMExceptionClass && error instanceof DOMExceptionClass)) return error;
  let copy;
  try {
    if (DOMExceptionClass && error instanceof DOMExceptionClass) copy = new DOMExceptionClass(error.message, error.name);
    else copy = new error.constructor(error.message);
  } catch (_) {
    return error; // a host error class with another constructor signature
  }
  if (!(copy instanceof Error) || copy.message !== error.message) return error;
  try {
    Object.defineProperty(copy, 'cause', { value: error, configurable: true, writable: true });
    if (typeof error.stack === 'string') copy.stack = error.stack;
  } catch (_) {
    // a frozen copy is still a faithful copy
  }
  return copy;
}

/** Wrap Response.prototype.json so that its rejections reach `unhandledrejection` (see top). */
export function patchResponseJson(ResponseClass) {
  if (!ResponseClass || !ResponseClass.prototype) return () => {};
  return patchMethod(ResponseClass.prototype, 'json', (original) =>
    function json(...args) {
      const result = original.apply(this, args);
      if (!result || typeof result.then !== 'function') return result;
      return result.then(undefined, (error) => {
        throw copyError(error);
      });
    },
  );
}

/**
 * Report errors as `onError(payload)` (which must not throw), at most `maxEvents`
 * per page so an error loop cannot flood the recording. Returns `stop()`.
 */
export function startErrorCapture({ window, onError, captureConsole = false, captureJson = true, maxEvents = MAX_ERROR_EVENTS_PER_PAGE }) {
  let reported = 0;
  function report(payload) {
    if (!payload || reported >= maxEvents) return;
    reported += 1;
    onError(payload);
  }

  const guarded = (fn) => (event) => {
    try {
      report(fn(event));
    } catch (_) {
      // a reason whose getters throw is not worth breaking the page over
    }
  };

  const teardowns = [
    // Bubble phase on window: script errors only; resource load errors do not bubble.
    listen(window, 'error', guarded(payloadFromErrorEvent)),
    listen(window, 'unhandledrejection', guarded((event) => payloadFromRejection(event.reason))),
  ];
  if (captureJson) teardowns.push(patchResponseJson(window.Response));
  if (captureConsole && window.console) {
    teardowns.push(
      patchMethod(window.console, 'error', (original) =>
        function error(...args) {
          guarded(payloadFromConsole)(args); // never keeps the host's console.error from running
          return original.apply(this, args);
        },
      ),
    );
  }
  return function stop() {
    for (const teardown of teardowns) teardown();
  };
}
