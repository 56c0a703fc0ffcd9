// What each ingest answer means, and how long to wait before resending: tables of
// {input, expected, why}, one test per row.
import assert from 'node:assert/strict';
import test from 'node:test';
import { MAX_RETRY_AFTER_MS, RETRY_BASE_DELAY_MS, RETRY_MAX_DELAY_MS } from '../src/constants.js';
import { backoffDelayMs, classifyStatus, parseRetryAfterMs, retryDelayMs } from '../src/retry_policy.js';

const VERDICTS = [
  { input: 200, expected: 'ack', why: 'stored' },
  { input: 202, expected: 'ack', why: 'every 2xx is an acknowledgement' },
  { input: 500, expected: 'retry', why: 'a server error is not the fault of the batch' },
  { input: 503, expected: 'retry', why: 'the server is down for a while' },
  { input: 0, expected: 'retry', why: 'no answer: offline, server down, CORS failure, timeout' },
  { input: 408, expected: 'retry', why: 'a request timeout is the fault of the network, not of the batch' },
  { input: 429, expected: 'throttled', why: 'rate limited: wait as long as the server says' },
  { input: 400, expected: 'drop', why: 'a malformed batch fails the same way every time' },
  { input: 404, expected: 'drop', why: 'other 4xx reject the batch itself' },
  { input: 413, expected: 'drop', why: 'too large: resending cannot help' },
  { input: 415, expected: 'bad_encoding', why: 'the server refuses gzip: resend plain' },
  { input: 401, expected: 'fatal', why: 'unknown key: every batch would fail' },
  { input: 403, expected: 'fatal', why: 'refused key: every batch would fail' },
];

for (const { input, expected, why } of VERDICTS) {
  test(`classifyStatus(${input}) is ${expected}: ${why}`, () => {
    assert.equal(classifyStatus(input), expected);
  });
}

// random() picks a point in the upper half of each step: 0 → half the step, 1 → all of it.
const BACKOFFS = [
  { input: { attempt: 0, random: 0 }, expected: RETRY_BASE_DELAY_MS / 2, why: 'the first retry waits at least half a second' },
  { input: { attempt: 0, random: 1 }, expected: RETRY_BASE_DELAY_MS, why: 'and at most the 1 s base' },
  { input: { attempt: 3, random: 1 }, expected: 8000, why: 'each step doubles: 1, 2, 4, 8 s' },
  { input: { attempt: 3, random: 0 }, expected: 4000, why: 'jitter takes at most half of the step' },
  { input: { attempt: 20, random: 1 }, expected: RETRY_MAX_DELAY_MS, why: 'capped at 30 s, however long the outage' },
  { input: { attempt: 200, random: 0.5 }, expected: RETRY_MAX_DELAY_MS * 0.75, why: 'the cap is jittered too, so tabs do not retry in lockstep' },
  { input: { attempt: -1, random: 1 }, expected: RETRY_BASE_DELAY_MS, why: 'a negative attempt counts as the first' },
];

for (const { input, expected, why } of BACKOFFS) {
  test(`backoffDelayMs(attempt ${input.attempt}, random ${input.random}) is ${expected} ms: ${why}`, () => {
    assert.equal(backoffDelayMs(input.attempt, () => input.random), expected);
  });
}

const NOW = Date.UTC(2030, 0, 1, 12, 0, 0);

const RETRY_AFTERS = [
  { input: '7', expected: 7000, why: 'seconds' },
  { input: ' 1.5 ', expected: 1500, why: 'fractional seconds, padded' },
  { input: new Date(NOW + 20_000).toUTCString(), expected: 20_000, why: 'an HTTP date, counted from now' },
  { input: new Date(NOW - 20_000).toUTCString(), expected: 0, why: 'a date in the past means now' },
  { input: '86400', expected: MAX_RETRY_AFTER_MS, why: 'capped: a misconfigured header must not silence the SDK for hours' },
  { input: 'soon', expected: null, why: 'unreadable means none: back off instead' },
  { input: null, expected: null, why: 'no header (or not exposed by CORS)' },
  { input: '', expected: null, why: 'an empty header is no header' },
];

for (const { input, expected, why } of RETRY_AFTERS) {
  test(`parseRetryAfterMs(${JSON.stringify(input)}) is ${expected}: ${why}`, () => {
    assert.equal(parseRetryAfterMs(input, NOW), expected);
  });
}

const RETRY_DELAYS = [
  { input: { verdict: 'throttled', attempt: 0, retryAfter: '12', random: 0 }, expected: 12_000, why: '429 waits exactly Retry-After' },
  { input: { verdict: 'throttled', attempt: 2, retryAfter: null, random: 1 }, expected: 4000, why: '429 without Retry-After backs off' },
  { input: { verdict: 'retry', attempt: 2, retryAfter: '12', random: 1 }, expected: 4000, why: 'Retry-After only counts on 429' },
];

for (const { input, expected, why } of RETRY_DELAYS) {
  test(`retryDelayMs(${input.verdict}, attempt ${input.attempt}, Retry-After ${input.retryAfter}) is ${expected} ms: ${why}`, () => {
    assert.equal(retryDelayMs({ ...input, now: NOW, random: () => input.random }), expected);
  });
}
