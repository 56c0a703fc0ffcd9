// Rebuild a page as its visitors first saw it, at full page height, in rrweb's
// sandboxed iframe (no scripts), and lay the heatmap PNG over it in page pixels.
import Player from 'rrweb-player';
import { keepFocusOutOfFrame } from '../player/focus-guard.js';
import { rewriteEvents } from '../player/assets.js';
import { createCanvasPainter } from '../player/canvas.js';
import { pauseAfterEventsAtMoment } from '../player/moment.js';

/** Resolve once rrweb has rebuilt the page from its full snapshot. */
function rebuilt(player) {
  return new Promise((resolve) => player.addEventListener('fullsnapshot-rebuilded', () => resolve()));
}

function nextFrame() {
  return new Promise((resolve) => requestAnimationFrame(() => resolve()));
}

export async function mountPageFrame(stage, frame) {
  const viewportWidth = frame.width || 1280;
  const scale = Math.min(1, stage.clientWidth / viewportWidth);
  rewriteEvents(frame.events, frame.assets); // the page as it looked then, from our cached copies
  const canvases = createCanvasPainter();
  const player = new Player({
    target: stage,
    props: { events: frame.events, width: stage.clientWidth, height: (frame.height || 800) * scale, autoPlay: false, showController: false, mouseTail: false,
      plugins: [canvases.plugin] },
  });
  const replayer = player.getReplayer();
  canvases.attach(replayer);
  if ((replayer.iframe.getAttribute('sandbox') || '').includes('allow-scripts')) throw new Error('Refusing an unsandboxed replay frame.');
  pauseAfterEventsAtMoment(replayer);
  if (!stage.hasAttribute('tabindex')) stage.tabIndex = -1;
  keepFocusOutOfFrame(replayer.iframe, { fallback: () => stage });
  await rebuilt(player);
  player.goto(frame.offset_ms, false);
  await nextFrame();
  const doc = replayer.iframe.contentDocument;
  const pageHeight = Math.max(frame.height || 0, doc.documentElement.scrollHeight, doc.body ? doc.body.scrollHeight : 0);
  replayer.iframe.setAttribute('height', String(pageHeight));
  player.$set({ width: viewportWidth * scale, height: pageHeight * scale });
  player.triggerResize();
  return { player, wrapper: replayer.wrapper, width: viewportWidth, height: pageHeight, scale };
}
