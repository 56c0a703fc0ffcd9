// Links to a moment of a session as reviewers share them: /sessions/<id>?t=M:SS (the
// SPEC's moment format; the player also reads ms, 17s and H:MM:SS). Pure.
import { formatOffset } from '../lib/format.js';

/** The player's address at `offsetMs` into the session, on `origin`. */
export function momentUrl(origin, sessionId, offsetMs) {
  return `${origin}/sessions/${encodeURIComponent(sessionId)}?t=${formatOffset(Math.max(0, offsetMs))}`;
}
