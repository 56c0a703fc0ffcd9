// Mount rrweb-player in the stage. The replay renders in rrweb's iframe, sandboxed
// with "allow-same-origin" only: recorded scripts never run. We refuse to go on if
// that ever changes (e.g. an upgrade that turned on UNSAFE_replayCanvas).
import Player from 'rrweb-player';
import { SPEEDS } from '../lib/prefs.js';
import { createCanvasPainter } from './canvas.js';
import { keepFocusOutOfFrame } from './focus-guard.js';
import { pauseAfterEventsAtMoment } from './moment.js';

export const FIRST_FRAME_MARK = 'replaydesk:first-frame';

function stageSize(stage) {
  return { width: Math.max(320, stage.clientWidth), height: Math.max(200, stage.clientHeight) };
}

function assertNoScripts(player) {
  const iframe = player.getReplayer().iframe;
  const tokens = (iframe.getAttribute('sandbox') || '').split(/\s+/);
  if (!iframe.hasAttribute('sandbox') || tokens.includes('allow-scripts')) {
    player.$destroy();
    throw new Error('The replay frame is not sandboxed without scripts; refusing to replay.');
  }
}

/** Marks the first rendered frame (performance mark + data attribute) for the bench and tests. */
function markFirstFrame(player, onFirstFrame) {
  let seen = false;
  player.addEventListener('fullsnapshot-rebuilded', () => {
    if (seen) return;
    seen = true;
    requestAnimationFrame(() => {
      performance.mark(FIRST_FRAME_MARK);
      document.documentElement.dataset.firstFrame = String(Math.round(performance.now()));
      onFirstFrame?.();
    });
  });
}

export function mountPlayer(stage, events, { speed, skipInactive, onFirstFrame }) {
  const canvases = createCanvasPainter(); // recorded canvas frames, painted from out here
  const player = new Player({
    target: stage,
    props: {
      events,
      ...stageSize(stage),
      autoPlay: false, // we attach listeners first, then start
      showController: false, // our own controls and timeline carry markers and shortcuts
      speedOption: SPEEDS,
      speed,
      skipInactive,
      inactivePeriodThreshold: 10_000,
      triggerFocus: false, // the recorded user's focus must not take the reviewer's keyboard (focus-guard.js)
      UNSAFE_replayCanvas: false,
      plugins: [canvases.plugin],
    },
  });
  assertNoScripts(player);
  canvases.attach(player.getReplayer());
  pauseAfterEventsAtMoment(player.getReplayer()); // a moment shows its own events too
  stage.tabIndex = -1; // where focus goes back to when something lands in the frame
  keepFocusOutOfFrame(player.getReplayer().iframe, { fallback: () => stage });
  markFirstFrame(player, onFirstFrame);
  const resize = new ResizeObserver(() => {
    player.$set(stageSize(stage));
    player.triggerResize();
  });
  resize.observe(stage);
  return player;
}
