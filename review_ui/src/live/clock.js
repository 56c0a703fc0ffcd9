// Participant and observer clocks: live play schedules events by their timestamps.

/**
 * The clock difference to undo when the participant's clock runs ahead of ours:
 * otherwise every event would wait that much longer. A clock behind ours needs no
 * correction (events just play as soon as they arrive).
 */
export function aheadBy(events, now, known = 0) {
  let latest = -Infinity;
  for (const event of events) latest = Math.max(latest, event.timestamp);
  return Math.max(known, latest - now);
}
