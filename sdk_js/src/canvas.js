// rrweb's canvas recorder as a chunk of its own (dist/replaydesk-canvas.js), imported by
// canvas_capture.js when a project records canvases. build.mjs exports the class from
// @rrweb/record under this name; the main bundle has only a stand-in for it.
export { RealCanvasManager as CanvasManager } from '@rrweb/record';
