import assert from 'node:assert/strict';
import test from 'node:test';
import { MAX_PERSISTED_AGE_MS, STORAGE_KEYS } from '../src/constants.js';
import { createOutbox } from '../src/outbox.js';
import { safeStorage } from '../src/safe.js';
import { createClock, createStorage } from '../testing/fakes.js';

function body(seq, size = 10) {
  return JSON.stringify({ session_id: 'session-1', window_id: 'window-1', seq, events: [{ type: 3, timestamp: 1, data: { pad: 'x'.repeat(size) } }], meta: {} });
}

test('saved batches come back after a reload, bodies intact, oldest first', () => {
  const clock = createClock();
  const storage = createStorage();
  const outbox = createOutbox({ storage, projectKey: 'k', now: clock.now });
  outbox.save([{ id: 'a/w/0', body: body(0) }]);
  clock.advance(1000);
  outbox.save([{ id: 'a/w/1', body: body(1) }, { id: 'a/w/0', body: body(0) }]);
  const reloaded = createOutbox({ storage, projectKey: 'k', now: clock.now });
  const entries = reloaded.load();
  assert.deepEqual(entries.map((e) => e.id), ['a/w/0', 'a/w/1']);
  assert.equal(entries[1].body, body(1));
  assert.equal(entries[0].savedAt, clock.now() - 1000, 'saving again keeps the first save time');
});

test('bodies are embedded as JSON, not escaped strings: stored size ~ body size', () => {
  const storage = createStorage();
  const outbox = createOutbox({ storage, projectKey: 'k' });
  const text = body(0, 10000);
  outbox.save([{ id: 'a/w/0', body: text }]);
  const stored = storage.getItem(`${STORAGE_KEYS.outbox}:k`);
  assert.ok(stored.length < text.length + 100, `${stored.length} vs ${text.length}`);
});

test('acknowledged batches are removed; an empty outbox leaves no key', () => {
  const storage = createStorage();
  const outbox = createOutbox({ storage, projectKey: 'k' });
  outbox.save([{ id: 'x/w/0', body: body(0) }, { id: 'x/w/1', body: body(1) }]);
  outbox.remove(['x/w/0']);
  assert.deepEqual(outbox.load().map((e) => e.id), ['x/w/1']);
  outbox.remove(['x/w/1']);
  assert.equal(storage.map.size, 0);
});

test('the size bound keeps the newest batches', () => {
  const storage = createStorage();
  const outbox = createOutbox({ storage, projectKey: 'k', maxChars: 3000 });
  const ids = [];
  for (let seq = 0; seq < 10; seq += 1) {
    ids.push(`s/w/${seq}`);
    assert.equal(typeof outbox.save([{ id: `s/w/${seq}`, body: body(seq, 800) }]), 'boolean');
  }
  const kept = outbox.load().map((e) => e.id);
  assert.ok(kept.length >= 2 && kept.length <= 3, kept.join());
  assert.deepEqual(kept, ids.slice(-kept.length));
  assert.ok(storage.getItem(`${STORAGE_KEYS.outbox}:k`).length <= 3000);
});

test('entries older than a day are dropped on load', () => {
  const clock = createClock();
  const storage = createStorage();
  const outbox = createOutbox({ storage, projectKey: 'k', now: clock.now });
  outbox.save([{ id: 'old/w/0', body: body(0) }]);
  clock.advance(MAX_PERSISTED_AGE_MS - 1);
  outbox.save([{ id: 'new/w/0', body: body(0) }]);
  clock.advance(2);
  assert.deepEqual(outbox.load().map((e) => e.id), ['new/w/0']);
});

test('a full quota keeps what fits and reports the loss', () => {
  const backing = createStorage({ quotaChars: 2500 });
  const outbox = createOutbox({ storage: safeStorage(() => backing), projectKey: 'k' });
  const batches = Array.from({ length: 8 }, (_, seq) => ({ id: `q/w/${seq}`, body: body(seq, 500) }));
  assert.equal(outbox.save(batches), false);
  const kept = outbox.load().map((e) => e.id);
  assert.ok(kept.length > 0 && kept.length < 8);
  assert.equal(kept.at(-1), 'q/w/7', 'the newest batch is kept');
});

test('outboxes of different project keys are separate, and corrupt data is ignored', () => {
  const storage = createStorage();
  createOutbox({ storage, projectKey: 'one' }).save([{ id: 'a/w/0', body: body(0) }]);
  assert.deepEqual(createOutbox({ storage, projectKey: 'two' }).load(), []);
  storage.setItem(`${STORAGE_KEYS.outbox}:three`, '[{broken');
  assert.deepEqual(createOutbox({ storage, projectKey: 'three' }).load(), []);
  const one = createOutbox({ storage, projectKey: 'one' });
  one.clear();
  assert.deepEqual(one.load(), []);
});
