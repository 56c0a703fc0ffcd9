// Hearing the participant think aloud, live: the observer asks the room (`listen`), the
// participant's page calls back with a WebRTC offer relayed by the server, and the
// answer goes back the same way; the voice plays in an <audio> element. When the
// participant's page comes (again), the room says so and we ask again. `level()`
// reads how loud what arrives is (0-1), for the room's meter.

/**
 * createVoiceListener({room, RTCPeerConnection, audio, onState}) →
 * {listen(), onSignal(message), onParticipant(), level(), close()}. States: waiting
 * (asked, no call yet), connecting, hearing, blocked (the browser wants a click before
 * playing sound: call audio.play() from one), ended.
 */
export function createVoiceListener({ room, RTCPeerConnection: Peer, audio, onState = () => {} }) {
  let pc = null;
  let caller = null;
  let waiting = [];

  function close() {
    if (pc) pc.close();
    pc = null;
    caller = null;
    waiting = [];
  }

  async function answer(from, offer) {
    close();
    caller = from;
    pc = new Peer({ iceServers: [] });
    const mine = pc;
    pc.ontrack = (event) => {
      audio.srcObject = event.streams[0] || new MediaStream([event.track]);
      audio.play().then(() => onState('hearing'), () => onState('blocked'));
    };
    pc.onicecandidate = (event) => {
      if (event.candidate) room.signal(from, { candidate: event.candidate.toJSON() });
    };
    pc.onconnectionstatechange = () => {
      if (mine !== pc) return;
      if (pc.connectionState === 'failed' || pc.connectionState === 'closed') onState('ended');
    };
    onState('connecting'); // before the description: its track may start playing at once
    await pc.setRemoteDescription({ type: 'offer', sdp: offer.sdp });
    for (const candidate of waiting.splice(0)) pc.addIceCandidate(candidate).catch(() => {});
    const reply = await pc.createAnswer();
    await pc.setLocalDescription(reply);
    room.signal(from, { type: 'answer', sdp: reply.sdp });
  }

  return {
    listen() {
      room.listen();
      if (!pc) onState('waiting');
    },
    onParticipant() {
      room.listen(); // the participant's page (re)started: a fresh call
    },
    async onSignal(message) {
      const data = message?.data;
      if (!data) return;
      if (data.type === 'offer' && typeof data.sdp === 'string') await answer(message.from, data);
      else if (data.candidate && message.from === caller) {
        if (pc?.remoteDescription) await pc.addIceCandidate(data.candidate).catch(() => {});
        else waiting.push(data.candidate);
      }
    },
    /** How loud the voice arriving now is, 0-1 (null before a call). */
    async level() {
      if (!pc) return null;
      const stats = await pc.getStats();
      let found = null;
      stats.forEach((report) => {
        if (report.type === 'inbound-rtp' && report.kind === 'audio') found = report.audioLevel ?? 0;
      });
      return found;
    },
    /** What arrived so far: {bytes, energy} (totalAudioEnergy: 0 for silence). */
    async received() {
      const found = { bytes: 0, energy: 0 };
      if (!pc) return found;
      (await pc.getStats()).forEach((report) => {
        if (report.type !== 'inbound-rtp' || report.kind !== 'audio') return;
        found.bytes += report.bytesReceived || 0;
        found.energy += report.totalAudioEnergy || 0;
      });
      return found;
    },
    close,
  };
}
