// Who and when: the session id (per tab, in sessionStorage, rotating after 30 min
// without user activity), the window id (one per page load) and the study context
// of invite links. Clock, randomness and storage are injected so rotation is testable.
//
// Glossary: a *session* is one visit of one tab, possibly over several page loads;
// a *window* is one page load (one document) inside it; a *batch* is one POST, numbered
// by `seq` from 0 within its window, so (session_id, window_id, seq) is unique.

import {
  ID_LENGTH,
  PARTICIPANT_PARAM,
  SESSION_IDLE_TIMEOUT_MS,
  SESSION_MAX_DURATION_MS,
  SESSION_WRITE_THROTTLE_MS,
  STORAGE_KEYS,
  STUDY_PARAM,
} from './constants.js';
import { parseJson } from './safe.js';

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';
const ID_PATTERN = /^[A-Za-z0-9_-]{8,64}$/;

/** A random id of `length` chars of [A-Za-z0-9_-] (the SPEC's id alphabet). */
export function generateId({ crypto = globalThis.crypto, random = Math.random, length = ID_LENGTH } = {}) {
  const bytes = new Uint8Array(length);
  if (crypto && typeof crypto.getRandomValues === 'function') {
    crypto.getRandomValues(bytes);
  } else {
    for (let i = 0; i < length; i += 1) bytes[i] = Math.floor(random() * 256);
  }
  let id = '';
  // 256 is a multiple of 64, so `& 63` keeps every character equally likely.
  for (let i = 0; i < length; i += 1) id += ID_ALPHABET[bytes[i] & 63];
  return id;
}

/** True when `id` is acceptable to the server as session_id / window_id. */
export function isValidId(id) {
  return typeof id === 'string' && ID_PATTERN.test(id);
}

/** True when a session last active at `session.lastActivityAt` must not continue at `now`. */
export function shouldRotateSession(session, now, { idleTimeoutMs = SESSION_IDLE_TIMEOUT_MS, maxDurationMs = SESSION_MAX_DURATION_MS } = {}) {
  if (!session || !isValidId(session.id)) return true;
  if (!(now - session.lastActivityAt < idleTimeoutMs)) return true;
  return !(now - session.startedAt < maxDurationMs);
}

/**
 * The tab's session, kept in `storage` (sessionStorage). `touch(now, isActivity)` is
 * called for every recorded event: user activity extends the session; activity after
 * the idle timeout starts a new one (`{rotated: true}`). Background events (mutations
 * of a ticking clock) never rotate, so an unattended page stays one session.
 *
 * `decideSampled()` is asked once per new session whether it is recorded.
 */
export function createSessionStore({ storage, now, newId = generateId, decideSampled = () => true, idleTimeoutMs, maxDurationMs } = {}) {
  const limits = { idleTimeoutMs, maxDurationMs };
  let session = parseJson(storage.getItem(STORAGE_KEYS.session));
  let lastWrite = 0;

  function save(time) {
    storage.setItem(STORAGE_KEYS.session, JSON.stringify(session));
    lastWrite = time;
  }

  function startNew(time, sampled) {
    session = { id: newId(), startedAt: time, lastActivityAt: time, sampled };
    save(time);
  }

  // A reload continues the tab's session unless it went idle meanwhile.
  const loadTime = now();
  if (shouldRotateSession(session, loadTime, limits) || typeof session.sampled !== 'boolean') {
    startNew(loadTime, Boolean(decideSampled()));
  }

  return {
    get id() {
      return session.id;
    },
    get sampled() {
      return session.sampled;
    },
    /** Record an event at `time`; returns {id, rotated}. A rotated session keeps recording. */
    touch(time, isActivity) {
      if (!isActivity) return { id: session.id, rotated: false };
      if (shouldRotateSession(session, time, limits)) {
        startNew(time, session.sampled);
        return { id: session.id, rotated: true };
      }
      session.lastActivityAt = time;
      if (time - lastWrite >= SESSION_WRITE_THROTTLE_MS) save(time);
      return { id: session.id, rotated: false };
    },
    /** Write the latest activity time now (on page hide), whatever the throttle says. */
    persist() {
      save(now());
    },
  };
}

/**
 * The study context: `rd_study` / `rd_participant` from an invite link's query, kept in
 * sessionStorage so later pages of the visit still carry it. Returns {study, participant}
 * with null for what is unknown.
 */
export function loadStudyContext(storage, href) {
  const stored = parseJson(storage.getItem(STORAGE_KEYS.study)) || {};
  let fromUrl = {};
  try {
    const params = new URL(href).searchParams;
    fromUrl = { study: params.get(STUDY_PARAM), participant: params.get(PARTICIPANT_PARAM) };
  } catch (_) {
    // not a parsable URL (about:blank): only what is stored counts
  }
  // An invite link replaces the stored context as a whole: never mix two studies.
  const source = fromUrl.study || fromUrl.participant ? fromUrl : stored;
  const context = { study: source.study || null, participant: source.participant || null };
  if (context.study || context.participant) storage.setItem(STORAGE_KEYS.study, JSON.stringify(context));
  return context;
}
