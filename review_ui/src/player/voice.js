// The participant's think-aloud in step with the replay: each recording (one per page
// load of the participant) plays while the replay is within it, seeks with it, pauses
// with it and follows its speed with the pitch kept (HTMLMediaElement.preservesPitch).
// Recordings are fetched whole (MediaRecorder's files carry no index, so a browser
// seeks reliably only within what it holds). Pure parts are exported for tests.

/** How far the voice may drift from the replay (at 1×) before it is set right again. */
export const DRIFT_S = 0.3;

/** Where recording `rec` is at session offset `offset` (seconds into it), or null outside it. */
export function positionIn(rec, offset) {
  const at = (offset - rec.offset_ms) / 1000;
  if (at < 0) return null;
  if (Number.isFinite(rec.duration_s) && at > rec.duration_s) return null;
  return at;
}

/**
 * What each recording's element should do at this moment: [{play, at, rate}] in the
 * recordings' order. Only the recording the moment falls in plays; `playing` false
 * pauses all; `at` is where it should be (null: outside it).
 */
export function plan(recordings, { offset, playing, speed }) {
  return recordings.map((rec) => {
    const at = positionIn(rec, offset);
    return { play: playing && at !== null, at, rate: speed };
  });
}

/** Whether an element at `current` seconds should seek to `target` (drift grows with speed). */
export function needsSeek(current, target, rate = 1) {
  return Math.abs(current - target) > DRIFT_S * Math.max(1, rate);
}

/** How long to wait for a recording's length before playing it with its end unknown. */
export const LEARN_DURATION_MS = 3_000;

/** MediaRecorder files say duration Infinity until read to the end: find it once
 * (seeking past the end makes the browser read it all), or give up after a while. */
function learnDuration(audio) {
  return new Promise((resolve) => {
    if (Number.isFinite(audio.duration)) {
      resolve(audio.duration);
      return;
    }
    const events = ['durationchange', 'timeupdate', 'seeked'];
    let timer = null;
    const done = () => {
      if (!Number.isFinite(audio.duration) && timer !== null && done.waiting) return; // not yet: keep waiting
      finish();
    };
    const finish = () => {
      clearTimeout(timer);
      for (const name of events) audio.removeEventListener(name, done);
      const found = audio.duration;
      audio.currentTime = 0;
      resolve(Number.isFinite(found) ? found : Infinity);
    };
    done.waiting = true;
    for (const name of events) audio.addEventListener(name, done);
    timer = setTimeout(() => { done.waiting = false; finish(); }, LEARN_DURATION_MS);
    audio.currentTime = 1e9;
  });
}

/**
 * createVoice({list, fetchBlob, document}) → {load(), sync({offset, playing, speed}),
 * setMuted(on), pause(), recordings}. `list()` resolves with the API's recordings;
 * `fetchBlob(url)` with a recording's bytes.
 */
export function createVoice({ list, fetchBlob, document, onReady = () => {} }) {
  const recordings = [];
  let muted = false;
  let last = { offset: 0, playing: false, speed: 1 };

  async function load() {
    const found = await list();
    for (const rec of found) {
      const blob = await fetchBlob(rec.url);
      const audio = document.createElement(rec.kind === 'video' ? 'video' : 'audio');
      audio.preload = 'auto';
      audio.preservesPitch = true; // a faster replay keeps the voice's pitch
      audio.src = URL.createObjectURL(blob);
      audio.dataset.recording = rec.id;
      audio.hidden = rec.kind !== 'video';
      document.body.append(audio); // in the page: the browser keeps playing what it can find
      await new Promise((resolve) => {
        audio.addEventListener('loadedmetadata', resolve, { once: true });
        audio.addEventListener('error', resolve, { once: true });
      });
      recordings.push({ ...rec, audio, duration_s: await learnDuration(audio) });
    }
    recordings.sort((a, b) => a.offset_ms - b.offset_ms);
    onReady(recordings);
    sync(last);
    return recordings;
  }

  function sync(moment) {
    last = moment;
    const steps = plan(recordings, moment);
    steps.forEach((step, index) => {
      const { audio } = recordings[index];
      audio.playbackRate = step.rate;
      audio.muted = muted;
      if (step.at !== null && needsSeek(audio.currentTime, step.at, step.rate)) audio.currentTime = step.at;
      if (step.play && audio.paused) audio.play().catch(() => {}); // autoplay refused: the next gesture plays it
      else if (!step.play && !audio.paused) audio.pause();
    });
  }

  return {
    recordings,
    load,
    sync,
    pause() {
      sync({ ...last, playing: false });
    },
    setMuted(on) {
      muted = on;
      for (const rec of recordings) rec.audio.muted = on;
    },
  };
}
