// Canvas recording, opt-in (`recordCanvas`): rrweb's canvas recorder takes sampled
// frames (a bounded rate and quality) as CanvasMutation events. Its code is a chunk of
// its own (canvas.js → dist/replaydesk-canvas.js), loaded only by pages that record
// canvases: the bundle every visitor downloads carries a stand-in (build.mjs) that
// rrweb's record() creates as usual and that waits here for the real recorder.

import { CANVAS_FPS, CANVAS_FRAME_TYPE, CANVAS_QUALITY, MAX_CANVAS_FPS, MAX_CANVAS_QUALITY } from './constants.js';

/**
 * The canvas options of `recordCanvas`: false (off), or {fps, quality} from `true` or
 * `{fps, quality}` (bounded by MAX_CANVAS_*); null when the value is not one of these.
 */
export function canvasOptions(value) {
  if (value === false || value === undefined || value === null) return false;
  if (value === true) return { fps: CANVAS_FPS, quality: CANVAS_QUALITY };
  if (typeof value !== 'object' || Array.isArray(value)) return null;
  const { fps = CANVAS_FPS, quality = CANVAS_QUALITY, ...rest } = value;
  if (Object.keys(rest).length || typeof fps !== 'number' || typeof quality !== 'number') return null;
  if (!(fps > 0 && fps <= MAX_CANVAS_FPS) || !(quality > 0 && quality <= MAX_CANVAS_QUALITY)) return null;
  return { fps, quality };
}

/** rrweb record() options for these canvas options (none when off). */
export function canvasRecordOptions(canvas, sampling) {
  if (!canvas) return { sampling };
  return {
    recordCanvas: true,
    sampling: { ...sampling, canvas: canvas.fps },
    dataURLOptions: { type: CANVAS_FRAME_TYPE, quality: canvas.quality },
  };
}

/**
 * Hand rrweb's stand-ins `Recorder`, the real canvas recorder: each one record()
 * created and not yet reset starts recording canvases now, and later ones start at
 * once. `record` is rrweb's record function, where the stand-ins wait (`record.canvasRecorder`).
 */
export function attachCanvasRecorder(record, Recorder) {
  const hook = record.canvasRecorder || (record.canvasRecorder = { Real: null, waiting: [] });
  hook.Real = Recorder;
  const waiting = hook.waiting.splice(0);
  for (const standIn of waiting) standIn.attach(Recorder);
}

/**
 * Load the canvas recorder chunk (`load()` → Promise of the module) and attach it,
 * unless `stop()` came first. A chunk that cannot load is logged once; the recording
 * goes on without canvases.
 */
export function startCanvasRecorderOnDemand({ load, record, log }) {
  let stopped = false;
  new Promise((resolve) => resolve(load()))
    .then((module) => {
      if (!stopped) attachCanvasRecorder(record, module.CanvasManager);
    })
    .catch((error) => {
      if (!stopped && log) log.warn('the canvas recorder could not be loaded', error);
    });
  return {
    stop() {
      stopped = true;
    },
  };
}
