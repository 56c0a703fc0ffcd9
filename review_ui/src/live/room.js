// The /live Socket.IO room of one session: join (again after every reconnect),
// heartbeat while joined so ingest keeps answering `live: true`, and the room's
// messages. WebSocket only: with several server processes, long-polling would need
// sticky sessions; a WebSocket stays on the process it reached.
import { io } from 'socket.io-client';

export const HEARTBEAT_MS = 10_000;
const ACK_TIMEOUT_MS = 10_000;

/**
 * joinLiveRoom(sessionId, handlers) → {note(body), chat(text), command(command), listen(), signal(to, data), close()}.
 * handlers: onJoined(answer), onState(state, detail), onEvents(events), onNote(note),
 * onCommand(command), onChat(message), onSignals(signals), onLiveness({live,
 * since_last_batch_ms, live_window_ms}) from the join and every heartbeat (the server's
 * live window decides), onRtcSignal(message) and onRtcParticipant() (the participant's
 * voice, see live/voice.js). States: connecting, live, reconnecting, refused.
 */
export function joinLiveRoom(sessionId, { onJoined, onState, onEvents, onNote, onCommand, onChat = () => {}, onSignals = () => {}, onLiveness = () => {},
  onRtcSignal = () => {}, onRtcParticipant = () => {} }) {
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
    heartbeat = setInterval(async () => {
      try {
        const beat = await ask('heartbeat', {});
        if (beat?.ok) onLiveness(beat);
      } catch {
        // no answer this time: the connection's own state says what is wrong
      }
    }, HEARTBEAT_MS);
    onState('live');
    onLiveness(answer);
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
  socket.on('chat', (message) => {
    if (message && message.session_id === sessionId) onChat(message);
  });
  socket.on('rtc_signal', (message) => {
    if (message && message.session_id === sessionId) onRtcSignal(message);
  });
  socket.on('rtc_participant', (message) => {
    if (message && message.session_id === sessionId) onRtcParticipant();
  });
  socket.on('signals', (message) => {
    if (message && message.session_id === sessionId && Array.isArray(message.signals)) onSignals(message.signals);
  });

  return {
    /** {text, ts} → the server's answer {ok, annotation | error}. */
    note: (body) => ask('note', body),
    /** A line of the observers' private chat → {ok, message | error}. */
    chat: (text) => ask('chat', { text }),
    /** Ask the participant's page for its voice (WebRTC, live/voice.js). */
    listen: () => socket.emit('listen', { session_id: sessionId }),
    /** An answer or ICE candidate for peer `to` (a socket id). */
    signal: (to, data) => socket.emit('rtc_signal', { session_id: sessionId, to, data }),
    command: (command) => ask('command', { command }),
    close() {
      stopHeartbeat();
      socket.disconnect();
    },
  };
}
