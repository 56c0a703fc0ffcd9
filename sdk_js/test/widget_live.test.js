import assert from 'node:assert/strict';
import test from 'node:test';
import { shareVoice } from '../src/widget_live.js';

function fakeSocket() {
  const handlers = {};
  const sent = [];
  return {
    handlers, sent, disconnected: false,
    on(name, fn) { handlers[name] = fn; },
    emit(name, body) { sent.push([name, body]); },
    disconnect() { this.disconnected = true; },
  };
}

class FakePeer {
  static made = [];
  constructor(config) { this.config = config; this.tracks = []; this.remoteDescription = null; this.candidates = []; this.closed = false; FakePeer.made.push(this); }
  addTrack(track) { this.tracks.push(track); }
  async createOffer() { return { type: 'offer', sdp: 'offer-sdp' }; }
  async setLocalDescription(d) { this.localDescription = d; }
  async setRemoteDescription(d) { this.remoteDescription = d; }
  async addIceCandidate(c) { this.candidates.push(c); }
  close() { this.closed = true; }
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

test('each listening observer gets a call with the microphone, candidates wait for the answer', async () => {
  FakePeer.made = [];
  const socket = fakeSocket();
  let asked = null;
  const stream = { getAudioTracks: () => ['mic'] };
  const share = shareVoice({
    endpoint: 'https://rd.test', key: 'k1', sessionId: () => 'session-0001', stream, RTCPeerConnection: FakePeer,
    log: { warn() {} }, connect: (url, options) => { asked = [url, options]; return socket; },
  });
  assert.equal(asked[0], 'https://rd.test/live');
  assert.deepEqual(asked[1].auth, { key: 'k1', session_id: 'session-0001' });
  socket.handlers.connect();
  assert.deepEqual(socket.sent[0], ['rtc_ready', {}]);

  socket.handlers.rtc_listener({ observer: 'obs-a' });
  socket.handlers.rtc_listener({ observer: 'obs-b' });
  await tick();
  assert.equal(FakePeer.made.length, 2);
  assert.deepEqual(FakePeer.made[0].tracks, ['mic']);
  const offers = socket.sent.filter(([name]) => name === 'rtc_signal');
  assert.deepEqual(offers.map(([, body]) => [body.to, body.data.type, body.session_id]),
    [['obs-a', 'offer', 'session-0001'], ['obs-b', 'offer', 'session-0001']]);

  socket.handlers.rtc_signal({ from: 'obs-a', data: { candidate: { candidate: 'early' } } }); // before the answer
  await tick();
  assert.deepEqual(FakePeer.made[0].candidates, []);
  socket.handlers.rtc_signal({ from: 'obs-a', data: { type: 'answer', sdp: 'answer-sdp' } });
  await tick();
  assert.deepEqual(FakePeer.made[0].remoteDescription, { type: 'answer', sdp: 'answer-sdp' });
  assert.deepEqual(FakePeer.made[0].candidates, [{ candidate: 'early' }]);
  socket.handlers.rtc_signal({ from: 'stranger', data: { type: 'answer', sdp: 'x' } }); // no call to them: ignored
  await tick();

  share.stop();
  assert.ok(FakePeer.made.every((pc) => pc.closed));
  assert.ok(socket.disconnected);
});
