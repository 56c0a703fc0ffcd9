// The clip page (/share/<token>?clip=1): a shared replay at the size of the video, with
// a caption band, driven frame by frame by the clip renderer (server/clips/render.py)
// through window.replaydeskClip. Each frame is a paused moment: the renderer seeks,
// waits for the frame to be painted, then takes a screenshot, so a video never depends
// on how fast the machine plays.
import { $, readPageData } from '../lib/dom.js';
import { formatOffset } from '../lib/format.js';
import { rewriteEvents } from '../player/assets.js';
import { captionUrl, clicksOf, pageAt, pagesOf, rippleAt, rippleLook } from '../player/clip-frames.js';
import { eventPages } from '../player/loader.js';
import { mountPlayer } from '../player/stage.js';

// A frame waits this long at most for the replay's images and fonts to arrive.
const MEDIA_WAIT_MS = 1500;
// A seek always answers within this, so the renderer never waits on a stuck frame.
const SEEK_LIMIT_MS = 5000;

const data = readPageData();
const root = document.documentElement;

function nextPaint() {
  return new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
}

function within(promise, ms) {
  return Promise.race([promise, new Promise((resolve) => setTimeout(resolve, ms))]);
}

/** Images still loading in the replay frame (given up on once they made a frame wait in vain). */
function pendingImages(doc, givenUp) {
  return [...(doc?.images || [])].filter((img) => !img.complete && !givenUp.has(img));
}

async function mediaSettled(iframe, givenUp) {
  const doc = iframe.contentDocument;
  const waiting = pendingImages(doc, givenUp);
  const loads = waiting.map((img) => new Promise((resolve) => {
    img.addEventListener('load', resolve, { once: true });
    img.addEventListener('error', resolve, { once: true });
  }));
  await within(Promise.all([...loads, doc?.fonts?.ready]), MEDIA_WAIT_MS);
  for (const img of waiting) if (!img.complete) givenUp.add(img);
}

function createRipple(mouse) {
  const ripple = document.createElement('div');
  ripple.className = 'clip-ripple';
  ripple.hidden = true;
  mouse.parentElement.append(ripple);
  return ripple;
}

function drawRipple(ripple, found) {
  ripple.hidden = !found;
  if (!found) return;
  const { size, opacity } = rippleLook(found.progress);
  Object.assign(ripple.style, { left: `${found.x}px`, top: `${found.y}px`, width: `${size}px`, height: `${size}px`,
    opacity: String(opacity) });
}

async function load() {
  const events = [];
  for await (const page of eventPages(data.eventsUrl, { firstLimit: data.firstLimit })) events.push(...page);
  const FULL_SNAPSHOT = 2;
  if (events.length < 2 || !events.some((event) => event.type === FULL_SNAPSHOT)) {
    throw new Error('Nothing to replay here: the recording has no snapshot of the page in this range.');
  }
  rewriteEvents(events, data.assets);
  const firstFrame = new Promise((resolve) => {
    const player = mountPlayer($('#stage'), events, { speed: 1, skipInactive: false, onFirstFrame: () => resolve(player) });
  });
  const player = await within(firstFrame, 20_000);
  if (!player) throw new Error('The replay did not start.');
  const replayer = player.getReplayer();
  const origin = events[0].timestamp;
  const clicks = clicksOf(events);
  const pages = pagesOf(events);
  const ripple = createRipple(replayer.wrapper.querySelector('.replayer-mouse'));
  const givenUp = new WeakSet();
  const clock = $('#clip-time');
  const url = $('#clip-url');

  /** Show the session's moment `offset` (ms into the session), paused; resolves once painted. */
  async function seek(offset) {
    const ts = data.session.started_at + offset;
    replayer.pause(Math.max(0, ts - origin));
    drawRipple(ripple, rippleAt(clicks, ts));
    clock.textContent = formatOffset(offset);
    url.textContent = captionUrl(pageAt(pages, ts));
    await within(mediaSettled(replayer.iframe, givenUp).then(nextPaint), SEEK_LIMIT_MS);
    return { offset };
  }

  function setCaption(text) {
    $('#clip-text').textContent = String(text || '');
    $('#clip-text').hidden = !text;
  }

  window.replaydeskClip = { seek, setCaption };
  await seek(data.from_ms);
  root.dataset.clipReady = '1';
}

load().catch((error) => {
  root.dataset.clipError = error.message || String(error);
});
