// The participant's voice, live, for the observers of the session's live room: WebRTC,
// one peer connection per listening observer (a few people watch a moderated session),
// signalled through the server's /live Socket.IO namespace with the project key and the
// session id (the server relays offers, answers and ICE candidates and nothing else).
// Only while the participant records (they agreed to the consent text); stop() hangs up.
import { io } from 'socket.io-client';

/**
 * A peer's ICE candidates can arrive before its description: hold them until then.
 * Returns {add(candidate), ready()}.
 */
export function candidateQueue(pc) {
  const waiting = [];
  return {
    add(candidate) {
      if (pc.remoteDescription) return pc.addIceCandidate(candidate).catch(() => {});
      waiting.push(candidate);
      return Promise.resolve();
    },
    ready() {
      for (const candidate of waiting.splice(0)) pc.addIceCandidate(candidate).catch(() => {});
    },
  };
}

/**
 * shareVoice({endpoint, key, sessionId, stream, RTCPeerConnection, log, connect}) →
 * {stop(), peers}. `connect(url, options)` is Socket.IO's io (injectable for tests).
 */
export function shareVoice({ endpoint, key, sessionId, stream, RTCPeerConnection: Peer, log, connect = io }) {
  const socket = connect(`${endpoint}/live`, {
    transports: ['websocket'], withCredentials: false, auth: { key, session_id: sessionId() },
  });
  const peers = new Map(); // observer socket id → {pc, candidates}

  function send(to, data) {
    socket.emit('rtc_signal', { session_id: sessionId(), to, data });
  }

  function hangUp(observer) {
    const peer = peers.get(observer);
    if (!peer) return;
    peers.delete(observer);
    try {
      peer.pc.close();
    } catch (_) {
      // already closed
    }
  }

  async function call(observer) {
    hangUp(observer); // an observer who asks again (a reload, a reconnect) gets a fresh call
    const pc = new Peer({ iceServers: [] });
    const peer = { pc, candidates: candidateQueue(pc) };
    peers.set(observer, peer);
    for (const track of stream.getAudioTracks()) pc.addTrack(track, stream);
    pc.onicecandidate = (event) => {
      if (event.candidate) send(observer, { candidate: event.candidate.toJSON() });
    };
    pc.onconnectionstatechange = () => {
      if (pc.connectionState === 'failed' || pc.connectionState === 'closed') hangUp(observer);
    };
    const offer = await pc.createOffer();
    await pc.setLocalDescription(offer);
    send(observer, { type: 'offer', sdp: offer.sdp });
  }

  async function onSignal(message) {
    const peer = message && peers.get(message.from);
    const data = message && message.data;
    if (!peer || !data) return;
    if (data.type === 'answer' && typeof data.sdp === 'string') {
      await peer.pc.setRemoteDescription({ type: 'answer', sdp: data.sdp });
      peer.candidates.ready();
    } else if (data.candidate) {
      await peer.candidates.add(data.candidate);
    }
  }

  const guard = (fn) => (...args) => Promise.resolve().then(() => fn(...args)).catch((error) => log.warn('live voice', error));
  socket.on('connect', () => socket.emit('rtc_ready', {}));
  socket.on('rtc_listener', guard((message) => message && typeof message.observer === 'string' && call(message.observer)));
  socket.on('rtc_signal', guard(onSignal));

  return {
    peers,
    stop() {
      for (const observer of [...peers.keys()]) hangUp(observer);
      socket.disconnect();
    },
  };
}
