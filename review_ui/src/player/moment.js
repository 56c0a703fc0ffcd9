// Pausing at a moment shows the state after every event at or before it.
//
// rrweb's Replayer, asked to pause at offset t (rrweb-player's goto(t, false)), applies
// at once only the events *before* t (timestamp < first + t); one at exactly t is handed
// to the playback timer, which the pause clears at once. So the player opened at a
// session's end, or at a `?t=` equal to an event's time, left that event out: the modal
// opened last, the CSS rule inserted last. Recorded timestamps are whole milliseconds,
// so pausing 1 ms later applies every event at or before t and none after it.

export const PAUSE_AFTER_MS = 1;

/** Make `replayer.pause(t)` show the state after the events at t too. Play is unchanged
 * (it casts the events at its start moment at once). Returns the undo. */
export function pauseAfterEventsAtMoment(replayer) {
  const pause = replayer.pause;
  replayer.pause = function pauseAfter(timeOffset) {
    return pause.call(this, typeof timeOffset === 'number' ? timeOffset + PAUSE_AFTER_MS : timeOffset);
  };
  return () => { replayer.pause = pause; };
}
