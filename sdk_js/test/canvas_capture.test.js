import assert from 'node:assert/strict';
import test from 'node:test';
import { attachCanvasRecorder, canvasOptions, canvasRecordOptions, startCanvasRecorderOnDemand } from '../src/canvas_capture.js';
import { resolveConfig } from '../src/config.js';
import { settle } from '../testing/fakes.js';

test('recordCanvas: off by default, true for 2 fps at quality 0.6, bounded rate and quality', () => {
  assert.equal(canvasOptions(false), false);
  assert.equal(canvasOptions(undefined), false);
  assert.deepEqual(canvasOptions(true), { fps: 2, quality: 0.6 });
  assert.deepEqual(canvasOptions({ fps: 4 }), { fps: 4, quality: 0.6 });
  for (const bad of [{ fps: 30 }, { fps: 0 }, { quality: 1 }, { quality: '0.5' }, { fps: 2, colour: true }, 'yes', [1]]) {
    assert.equal(canvasOptions(bad), null, JSON.stringify(bad));
  }
  assert.equal(resolveConfig({ key: 'k', endpoint: 'https://rd.example' }).config.recordCanvas, false);
  assert.match(resolveConfig({ key: 'k', endpoint: 'https://rd.example', recordCanvas: { fps: 60 } }).problems.join(), /recordCanvas/);
});

test('rrweb options: sampled WebP frames when on, nothing when off', () => {
  const sampling = { mousemove: 50 };
  assert.deepEqual(canvasRecordOptions(false, sampling), { sampling });
  assert.deepEqual(canvasRecordOptions({ fps: 2, quality: 0.6 }, sampling), {
    recordCanvas: true, sampling: { mousemove: 50, canvas: 2 }, dataURLOptions: { type: 'image/webp', quality: 0.6 },
  });
});

/** What build.mjs's stand-in does with the hook (kept in step with CANVAS_STUB). */
function standIn(record, options) {
  const self = { options, real: null, ended: false, attach(Real) { if (!self.ended && !self.real) self.real = new Real(options); } };
  const hook = record.canvasRecorder || (record.canvasRecorder = { Real: null, waiting: [] });
  if (hook.Real) self.attach(hook.Real);
  else hook.waiting.push(self);
  return self;
}

class FakeRecorder {
  constructor(options) { this.options = options; }
}

test('stand-ins made before the chunk arrives get the recorder when it does; later ones at once; ended ones never', () => {
  const record = () => {};
  const early = standIn(record, { n: 1 });
  const ended = standIn(record, { n: 2 });
  ended.ended = true; // record() was stopped meanwhile
  attachCanvasRecorder(record, FakeRecorder);
  assert.ok(early.real instanceof FakeRecorder && early.real.options.n === 1);
  assert.equal(ended.real, null);
  assert.ok(standIn(record, { n: 3 }).real instanceof FakeRecorder);
  assert.deepEqual(record.canvasRecorder.waiting, []);
});

test('the chunk is loaded on demand; stop() first attaches nothing; a failed load is logged and recording goes on', async () => {
  const record = () => {};
  const warnings = [];
  const log = { warn: (...args) => warnings.push(args) };
  const waiting = standIn(record, {});
  let arrive;
  const loader = startCanvasRecorderOnDemand({ load: () => new Promise((ok) => { arrive = ok; }), record, log });
  loader.stop();
  arrive({ CanvasManager: FakeRecorder });
  await settle();
  assert.equal(waiting.real, null);

  startCanvasRecorderOnDemand({ load: () => Promise.resolve({ CanvasManager: FakeRecorder }), record, log });
  await settle();
  assert.ok(waiting.real instanceof FakeRecorder);

  startCanvasRecorderOnDemand({ load: () => Promise.reject(new Error('offline')), record: () => {}, log });
  await settle();
  assert.equal(warnings.length, 1);
});
