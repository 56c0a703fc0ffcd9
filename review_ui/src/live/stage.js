// The live replay: rrweb's Replayer in live mode inside the stage, scaled to fit.
// Events older than the start of live play (the backlog) are applied at once; newer
// ones play LIVE_BUFFER_MS after they happened, so a flush interval of the SDK
// (500 ms while watched) plus the trip here still plays smoothly. The replay frame
// is sandboxed without scripts, as in the player; we refuse to go on otherwise.
import { Replayer } from '@rrweb/replay';
import { rewriteEvents } from '../player/assets.js';
import { createCanvasPainter } from '../player/canvas.js';
import { keepFocusOutOfFrame } from '../player/focus-guard.js';
import { aheadBy } from './clock.js';

export const LIVE_BUFFER_MS = 800;

function assertNoScripts(iframe) {
  const tokens = (iframe.getAttribute('sandbox') || '').split(/\s+/);
  if (!iframe.hasAttribute('sandbox') || tokens.includes('allow-scripts')) {
    throw new Error('The replay frame is not sandboxed without scripts; refusing to replay.');
  }
}

function fitInto(stage, wrapper, size) {
  if (!size || !size.width || !size.height) return;
  const scale = Math.min(stage.clientWidth / size.width, stage.clientHeight / size.height, 1);
  wrapper.style.transform = `scale(${scale}) translate(-50%, -50%)`;
}

/**
 * mountLiveReplay(stage, {onFirstFrame, onCast, assets}) → {add(events), destroy()}.
 * `add` takes stored or streamed events, in arrival order. `onCast(timestamp)` reports
 * each event shown, on the participant's clock. `assets()` is the session's asset map
 * as far as the server cached it (player/assets.js): events are rewritten with it as
 * they come; what is not cached yet still loads from the participant's site.
 */
export function mountLiveReplay(stage, { onFirstFrame, onCast, assets = () => ({}) }) {
  // No virtual DOM: it holds back events applied at once (the backlog, late arrivals) until
  // a flush that only normal playback ever sends, so the page would never change. No
  // focus replay: the participant focusing a field must not pull an observer's keyboard
  // out of the note they are typing.
  const canvases = createCanvasPainter({ deferSync: false }); // no virtual DOM: canvases exist at once
  const replayer = new Replayer([], {
    root: stage, liveMode: true, useVirtualDom: false, triggerFocus: false, UNSAFE_replayCanvas: false,
    showWarning: false, mouseTail: false, plugins: [canvases.plugin],
  });
  canvases.attach(replayer);
  assertNoScripts(replayer.iframe);
  stage.tabIndex = -1;
  const unguard = keepFocusOutOfFrame(replayer.iframe, { fallback: () => stage });
  let size = null;
  let ahead = 0;
  replayer.on('resize', (dimension) => {
    size = dimension;
    fitInto(stage, replayer.wrapper, size);
  });
  replayer.on('fullsnapshot-rebuilded', () => onFirstFrame?.());
  replayer.on('event-cast', (event) => onCast?.(event.timestamp + ahead));
  const resize = new ResizeObserver(() => fitInto(stage, replayer.wrapper, size));
  resize.observe(stage);
  replayer.startLive(Date.now() - LIVE_BUFFER_MS);

  return {
    add(events) {
      ahead = aheadBy(events, Date.now(), ahead);
      rewriteEvents(events, assets());
      for (const event of events) replayer.addEvent(ahead ? { ...event, timestamp: event.timestamp - ahead } : event);
    },
    destroy() {
      resize.disconnect();
      unguard();
      replayer.destroy();
    },
  };
}
