// What the live room's badge says. Being connected to the room is not being live: a
// session is live while its batches keep arriving within the server's live window
// (REPLAYDESK_LIVE_WINDOW), the same rule as the session list's Live badge. Pure.

const CONNECTION_TEXT = { connecting: 'Connecting…', reconnecting: 'Reconnecting…', refused: 'Not connected' };

/** "40 s", "16 min", "2 h": how long ago, roughly. */
export function formatAgo(ms) {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 90) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 90) return `${minutes} min`;
  const hours = Math.round(minutes / 60);
  return hours < 48 ? `${hours} h` : `${Math.round(hours / 24)} days`;
}

/**
 * presence({connection, sinceLastBatchMs, windowMs}) → {state, text, title}.
 * `connection` is the room's state (connecting, live, reconnecting, refused);
 * `sinceLastBatchMs` how long ago the session's latest batch reached the server.
 */
export function presence({ connection, sinceLastBatchMs, windowMs }) {
  if (connection !== 'live') return { state: connection, text: CONNECTION_TEXT[connection] || connection, title: '' };
  if (sinceLastBatchMs <= windowMs) return { state: 'live', text: 'Live', title: 'Batches are arriving from the participant’s page' };
  return {
    state: 'idle',
    text: `Not live · last batch ${formatAgo(sinceLastBatchMs)} ago`,
    title: 'Nothing arrived within the live window; this room follows as soon as the participant is back',
  };
}
