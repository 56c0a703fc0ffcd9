// Build the SDK with esbuild:
//   dist/replaydesk.js      IIFE, minified, sets window.Replaydesk (served at <public_url>/sdk/replaydesk.js)
//   dist/replaydesk-widget.js  the study task widget, an ES module the IIFE imports on demand
//                              (served at <public_url>/sdk/replaydesk-widget.js)
//   dist/replaydesk.esm.js  ES module for bundlers (`import {init} from ...`), widget included
//   dist/loader.js          the async loader snippet, minified, with the __RD_*__ placeholders
// Prints raw and gzip sizes; exits non-zero when a size budget is exceeded.
//
//   dist/replaydesk-canvas.js  rrweb's canvas recorder, an ES module the IIFE imports only when
//                              `recordCanvas` is on (served at <public_url>/sdk/replaydesk-canvas.js)
//
// rrweb's canvas recorder (a fifth of the recorder, with a worker built from a string)
// is cut out of the IIFE bundle (withoutCanvasRecorder below) and replaced by a stand-in
// that record() creates as usual; with `recordCanvas`, the SDK loads the chunk and hands
// the stand-ins the real recorder (src/canvas_capture.js). The ES module keeps both.

import { build } from 'esbuild';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));
const defaultDist = join(here, 'dist');

/**
 * gzip bytes of the bundle with rrweb's recorder, console and network capture: issue 12's
 * limit. What only some pages need (the study widget) is a chunk of its own.
 */
export const MAX_BUNDLE_GZIP_BYTES = 35 * 1024;
/** raw bytes of the minified loader: it is pasted into every page of the product. */
export const MAX_LOADER_BYTES = 1024;
/** Literal placeholders the server substitutes in dist/loader.js. */
export const LOADER_PLACEHOLDERS = ['__RD_SRC__', '__RD_KEY__', '__RD_ENDPOINT__'];

/** @rrweb/record's dist/record.js: its canvas recorder, from the base64 helper to the class. */
const RRWEB_RECORD_FILE = /@rrweb[\\/]record[\\/]dist[\\/]record\.js$/;
const CANVAS_START = '\nvar chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";';
const CANVAS_END = '\nclass StylesheetManager {';
/**
 * What record() creates as its canvas manager: with recordCanvas off, a no-op; with it on,
 * it waits on `record.canvasRecorder` for the real recorder (canvas_capture.js attaches
 * it when the chunk has loaded) and then forwards every call to it.
 */
const CANVAS_STUB = `
class CanvasManager {
  constructor(options) {
    this.options = options;
    this.real = null;
    this.ended = false;
    const hook = record.canvasRecorder || (record.canvasRecorder = { Real: null, waiting: [] });
    if (options.recordCanvas && hook.Real) this.attach(hook.Real);
    else if (options.recordCanvas) hook.waiting.push(this);
  }
  attach(Real) { if (!this.ended && !this.real) this.real = new Real(this.options); }
  reset() { if (this.real) this.real.reset(); else this.ended = true; }
  freeze() { if (this.real) this.real.freeze(); }
  unfreeze() { if (this.real) this.real.unfreeze(); }
  lock() { if (this.real) this.real.lock(); }
  unlock() { if (this.real) this.real.unlock(); }
}`;

/**
 * rrweb's record.js without its canvas recorder: the CanvasManager class is replaced by
 * the no-op it is when `recordCanvas` is off. Throws (the build fails) when rrweb's file
 * no longer has the expected shape, e.g. after an upgrade: check the cut again then.
 */
export function withoutCanvasRecorder(source) {
  const start = source.indexOf(CANVAS_START);
  const end = source.indexOf(CANVAS_END);
  const cut = start >= 0 && end > start ? source.slice(start, end) : '';
  const rest = cut ? source.slice(0, start) + CANVAS_STUB + source.slice(end) : '';
  const expected =
    cut.split('\nclass CanvasManager {').length === 2 &&
    source.split(CANVAS_START).length === 2 &&
    !/\b(WorkerWrapper|serializeArgs?|initCanvas\w*|canvasVarMap|patchGLPrototype|jsContent)\b/.test(rest) &&
    rest.split('new CanvasManager(').length === 2;
  if (!expected) throw new Error('@rrweb/record changed shape: review withoutCanvasRecorder() in build.mjs');
  return rest;
}

/**
 * rrweb's record.js with its canvas recorder kept as RealCanvasManager (exported) and the
 * stand-in as CanvasManager: for the canvas chunk and the ES module. Throws like
 * withoutCanvasRecorder() when rrweb changed shape.
 */
export function withCanvasRecorder(source) {
  withoutCanvasRecorder(source); // the same checks of rrweb's shape
  const real = source.replace('\nclass CanvasManager {', '\nclass RealCanvasManager {');
  const end = real.indexOf(CANVAS_END);
  return `${real.slice(0, end)}${CANVAS_STUB}${real.slice(end)}\nexport { RealCanvasManager };\n`;
}

const keepCanvasRecorder = {
  name: 'keep-canvas-recorder',
  setup(builder) {
    builder.onLoad({ filter: RRWEB_RECORD_FILE }, (args) => ({ contents: withCanvasRecorder(readFileSync(args.path, 'utf8')), loader: 'js' }));
  },
};

const leaveOutCanvasRecorder = {
  name: 'leave-out-canvas-recorder',
  setup(builder) {
    builder.onLoad({ filter: RRWEB_RECORD_FILE }, (args) => ({ contents: withoutCanvasRecorder(readFileSync(args.path, 'utf8')), loader: 'js' }));
  },
};

const common = {
  bundle: true,
  minify: true,
  target: 'es2019',
  platform: 'browser',
  legalComments: 'none',
  logLevel: 'warning',
  plugins: [leaveOutCanvasRecorder],
};

export function sizeOf(path) {
  const bytes = readFileSync(path);
  return { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
}

/** Build into `dist` (the served folder by default; tests pass a temporary one). */
export async function buildAll(dist = defaultDist) {
  // A fresh folder: a stale pre-compressed .gz copy would be served instead of the new bundle.
  rmSync(dist, { recursive: true, force: true });
  mkdirSync(dist, { recursive: true });
  await build({
    ...common,
    entryPoints: [join(here, 'src/browser.js')],
    format: 'iife',
    outfile: join(dist, 'replaydesk.js'),
    define: { __RD_WIDGET_CHUNK__: 'true' }, // environment.js: import the widget chunk by URL
    supported: { 'dynamic-import': true }, // every browser with CompressionStream-era APIs has it
  });
  await build({ ...common, entryPoints: [join(here, 'src/widget.js')], format: 'esm', outfile: join(dist, 'replaydesk-widget.js') });
  const withCanvas = { ...common, plugins: [keepCanvasRecorder] };
  await build({ ...withCanvas, entryPoints: [join(here, 'src/canvas.js')], format: 'esm', outfile: join(dist, 'replaydesk-canvas.js') });
  await build({ ...withCanvas, entryPoints: [join(here, 'src/index.js')], format: 'esm', outfile: join(dist, 'replaydesk.esm.js') });
  await build({ ...common, bundle: false, entryPoints: [join(here, 'src/loader.js')], format: 'esm', outfile: join(dist, 'loader.js') });
  // The snippet is pasted inside <script>…</script>: one line, no trailing newline.
  const loaderPath = join(dist, 'loader.js');
  writeFileSync(loaderPath, readFileSync(loaderPath, 'utf8').trim());

  const problems = [];
  const sizes = {};
  for (const name of ['replaydesk.js', 'replaydesk-widget.js', 'replaydesk-canvas.js', 'replaydesk.esm.js', 'loader.js']) sizes[name] = sizeOf(join(dist, name));
  const loader = readFileSync(loaderPath, 'utf8');
  for (const placeholder of LOADER_PLACEHOLDERS) {
    if (loader.split(`"${placeholder}"`).length !== 2) problems.push(`dist/loader.js must contain "${placeholder}" exactly once`);
  }
  if (sizes['replaydesk.js'].gzip > MAX_BUNDLE_GZIP_BYTES) {
    problems.push(`dist/replaydesk.js is ${sizes['replaydesk.js'].gzip} bytes gzipped; the budget is ${MAX_BUNDLE_GZIP_BYTES}`);
  }
  if (sizes['loader.js'].raw > MAX_LOADER_BYTES) {
    problems.push(`dist/loader.js is ${sizes['loader.js'].raw} bytes; the budget is ${MAX_LOADER_BYTES}`);
  }
  return { sizes, problems };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { sizes, problems } = await buildAll();
  for (const [name, size] of Object.entries(sizes)) {
    console.log(`dist/${name.padEnd(21)} ${String(size.raw).padStart(7)} B raw  ${String(size.gzip).padStart(6)} B gzip (${(size.gzip / 1024).toFixed(1)} KiB)`);
  }
  if (problems.length) {
    for (const problem of problems) console.error(`build failed: ${problem}`);
    process.exit(1);
  }
}
