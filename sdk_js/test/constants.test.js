import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import test from 'node:test';
import * as constants from '../src/constants.js';

test('SDK_VERSION matches package.json', () => {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  assert.equal(constants.SDK_VERSION, pkg.version);
});

test('intervals and limits are the SPEC values and consistent with each other', () => {
  assert.equal(constants.FLUSH_INTERVAL_MS, 2000);
  assert.equal(constants.LIVE_FLUSH_INTERVAL_MS, 500);
  assert.equal(constants.MAX_BATCH_CHARS, 256 * 1024);
  assert.equal(constants.SESSION_IDLE_TIMEOUT_MS, 30 * 60 * 1000);
  assert.ok(constants.RETRY_BASE_DELAY_MS < constants.RETRY_MAX_DELAY_MS);
  assert.ok(constants.MAX_BATCH_CHARS < 1024 * 1024, 'a batch stays under the server 1 MiB limit even uncompressed');
  assert.ok(constants.MAX_PERSISTED_CHARS > constants.MAX_BATCH_CHARS, 'the outbox holds at least one full batch');
  assert.ok(constants.ID_LENGTH >= 8 && constants.ID_LENGTH <= 64);
});
