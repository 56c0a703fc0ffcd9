// The /live Socket.IO room of one session: join (again after every reconnect),
// heartbeat while joined so ingest keeps answering `live: true`, and the room's
// messages. WebSocket only: with several server processes, long-polling would need
// sticky sessions; a WebSocket stays on the process it reached.
import { io } from 'socket.io-client';

export const HEARTBEAT_MS = 10_000;
const ACK_TIMEOUT_MS = 10_000;

/**
 * joinLiveRoom(sessionId, handlers) → {note(body), command(command), close()}.
 * handlers: onJoined(answer), onState(state, detail), onEvents(events), onNote(note),
 * onCommand(command). States: connecting, live, reconnecting, refused.
 */
export function joinLiveRoom(sessionId, { onJoined, onState, onEvents, onNote, onCommand }) {
  const socket = io('/live', { transports: ['websocket'], withCredentials: true });
  let heartbeat = null;

  const stopHeartbeat = () => {
    clearInterval(heartbeat);
    heartbeat = null;
  };
  const ask = (event, body) => socket.timeout(ACK_TIMEOUT_MS).emitWithAck(event, { ...body, session_id: sessionId });

  socket.on('connect', async () => {
    let answer;
    try {
      answer = await ask('join', {});
    } catch {
      onState('reconnecting', 'The server did not answer the join.');
      return;
    }
    if (!answer || !answer.ok) {
      onState('refused', answer?.error || 'The server refused to join this session.');
      return;
    }
    stopHeartbeat();
    heartbeat = setInterval(() => socket.emit('heartbeat', { session_id: sessionId }), HEARTBEAT_MS);
    onState('live');
    onJoined(answer);
  });
  socket.on('disconnect', () => {
    stopHeartbeat();
    onState('reconnecting');
  });
  socket.on('connect_error', (error) => onState(socket.active ? 'reconnecting' : 'refused', error.message));
  socket.on('events', (message) => {
    if (!message || message.session_id !== sessionId) return;
    // Events nested too deep for the server's Socket.IO writer come as JSON text.
    const events = typeof message.events_json === 'string' ? JSON.parse(message.events_json) : message.events;
    if (Array.isArray(events)) onEvents(events);
  });
  socket.on('note', (note) => {
    if (note && note.session_id === sessionId) onNote(note);
  });
  socket.on('command', (message) => {
    if (message && message.session_id === sessionId) onCommand(message.command);
  });

  return {
    /** {text, ts} → the server's answer {ok, annotation | error}. */
    note: (body) => ask('note', body),
    command: (command) => ask('command', { command }),
    close() {
      stopHeartbeat();
      socket.disconnect();
    },
  };
}
