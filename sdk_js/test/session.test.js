import assert from 'node:assert/strict';
import test from 'node:test';
import { SESSION_IDLE_TIMEOUT_MS, SESSION_MAX_DURATION_MS, STORAGE_KEYS } from '../src/constants.js';
import { createSessionStore, generateId, isValidId, loadStudyContext, shouldRotateSession } from '../src/session.js';
import { createClock, createStorage } from '../testing/fakes.js';

const MINUTE = 60 * 1000;

test('generated ids are 22 chars of the SPEC alphabet and differ', () => {
  const ids = new Set(Array.from({ length: 200 }, () => generateId()));
  assert.equal(ids.size, 200);
  for (const id of ids) assert.match(id, /^[A-Za-z0-9_-]{22}$/);
});

test('generateId works without crypto', () => {
  let n = 0;
  const id = generateId({ crypto: null, random: () => ((n += 1) % 64) / 256 });
  assert.ok(isValidId(id), id);
});

test('isValidId follows the SPEC: 8-64 chars of [A-Za-z0-9_-]', () => {
  assert.ok(isValidId('abcdEFGH'));
  assert.ok(isValidId('a'.repeat(64)));
  assert.ok(!isValidId('a'.repeat(7)));
  assert.ok(!isValidId('a'.repeat(65)));
  assert.ok(!isValidId('abcdefg!'));
  assert.ok(!isValidId(12345678));
});

test('shouldRotateSession: exactly 30 min of idleness rotates, less does not', () => {
  const session = { id: 'session-1', startedAt: 0, lastActivityAt: 0 };
  assert.equal(shouldRotateSession(session, SESSION_IDLE_TIMEOUT_MS - 1), false);
  assert.equal(shouldRotateSession(session, SESSION_IDLE_TIMEOUT_MS), true);
  assert.equal(shouldRotateSession(null, 0), true);
  assert.equal(shouldRotateSession({ ...session, id: 'bad id!' }, 0), true);
  const old = { id: 'session-2', startedAt: 0, lastActivityAt: SESSION_MAX_DURATION_MS - 1 };
  assert.equal(shouldRotateSession(old, SESSION_MAX_DURATION_MS), true, 'a day-long session rotates even when active');
});

test('a reload within 30 min keeps the session; after 30 min idle it is new', () => {
  const clock = createClock();
  const storage = createStorage();
  const first = createSessionStore({ storage, now: clock.now });
  clock.advance(29 * MINUTE);
  const reloaded = createSessionStore({ storage, now: clock.now });
  assert.equal(reloaded.id, first.id);
  clock.advance(31 * MINUTE);
  const later = createSessionStore({ storage, now: clock.now });
  assert.notEqual(later.id, first.id);
});

test('user activity after 30 min idle rotates the session; background events never do', () => {
  const clock = createClock();
  const storage = createStorage();
  const session = createSessionStore({ storage, now: clock.now });
  const firstId = session.id;
  clock.advance(10 * MINUTE);
  assert.deepEqual(session.touch(clock.now(), true), { id: firstId, rotated: false });
  clock.advance(45 * MINUTE);
  assert.deepEqual(session.touch(clock.now(), false), { id: firstId, rotated: false }, 'a mutation while idle stays in the session');
  const touched = session.touch(clock.now(), true);
  assert.equal(touched.rotated, true);
  assert.notEqual(touched.id, firstId);
  assert.equal(JSON.parse(storage.getItem(STORAGE_KEYS.session)).id, touched.id, 'the new id is stored for the next page');
});

test('activity keeps a session alive past 30 min in total', () => {
  const clock = createClock();
  const session = createSessionStore({ storage: createStorage(), now: clock.now });
  const id = session.id;
  for (let i = 0; i < 6; i += 1) {
    clock.advance(20 * MINUTE);
    assert.equal(session.touch(clock.now(), true).rotated, false);
  }
  assert.equal(session.id, id);
});

test('activity writes to storage are throttled, and persist() writes at once', () => {
  const clock = createClock();
  const storage = createStorage();
  let writes = 0;
  const counting = { ...storage, setItem: (k, v) => { writes += 1; storage.setItem(k, v); } };
  const session = createSessionStore({ storage: counting, now: clock.now });
  assert.equal(writes, 1);
  for (let i = 0; i < 100; i += 1) {
    clock.advance(10);
    session.touch(clock.now(), true);
  }
  assert.equal(writes, 1, '100 mouse moves within a second write nothing');
  clock.advance(5000);
  session.touch(clock.now(), true);
  assert.equal(writes, 2);
  session.persist();
  assert.equal(writes, 3);
  assert.equal(JSON.parse(storage.getItem(STORAGE_KEYS.session)).lastActivityAt, clock.now());
});

test('the sampling decision is made once per session and kept across reloads', () => {
  const clock = createClock();
  const storage = createStorage();
  let asked = 0;
  const decide = () => {
    asked += 1;
    return false;
  };
  const first = createSessionStore({ storage, now: clock.now, decideSampled: decide });
  const second = createSessionStore({ storage, now: clock.now, decideSampled: () => true });
  assert.equal(first.sampled, false);
  assert.equal(second.sampled, false, 'a reload does not re-roll the dice');
  assert.equal(asked, 1);
});

test('a corrupt stored session is replaced', () => {
  const storage = createStorage();
  storage.setItem(STORAGE_KEYS.session, '{not json');
  const session = createSessionStore({ storage, now: () => 5 });
  assert.ok(isValidId(session.id));
});

test('study context comes from invite-link params and survives later pages', () => {
  const storage = createStorage();
  assert.deepEqual(loadStudyContext(storage, 'https://shop.example/?rd_study=st_1&rd_participant=p_9'), { study: 'st_1', participant: 'p_9' });
  assert.deepEqual(loadStudyContext(storage, 'https://shop.example/cart'), { study: 'st_1', participant: 'p_9' });
  assert.deepEqual(loadStudyContext(storage, 'https://shop.example/?rd_study=st_2'), { study: 'st_2', participant: null }, 'a new invite link replaces the context whole');
});

test('no study context means nulls and nothing stored', () => {
  const storage = createStorage();
  assert.deepEqual(loadStudyContext(storage, 'about:blank'), { study: null, participant: null });
  assert.equal(storage.getItem(STORAGE_KEYS.study), null);
});
