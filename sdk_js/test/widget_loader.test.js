import assert from 'node:assert/strict';
import test from 'node:test';
import { startWidgetOnDemand } from '../src/widget_loader.js';
import { settle } from '../testing/fakes.js';

/** A widget module whose load the test resolves or rejects by hand. */
function pendingModule() {
  const handled = [];
  const stopped = [];
  let resolve;
  let reject;
  const loaded = new Promise((ok, fail) => {
    resolve = ok;
    reject = fail;
  });
  const module = {
    startTaskWidget: () => ({ handleCommand: (command) => handled.push(command), stop: () => stopped.push(true) }),
  };
  return { loaded, handled, stopped, arrive: () => resolve(module), fail: (error) => reject(error) };
}

const start = (module) => module.startTaskWidget();

test('commands sent before the chunk arrives are handled once it has, in order', async () => {
  const chunk = pendingModule();
  const widget = startWidgetOnDemand({ load: () => chunk.loaded, start });
  widget.handleCommand({ n: 1 });
  widget.handleCommand({ n: 2 });
  await settle();
  assert.deepEqual(chunk.handled, []);
  chunk.arrive();
  await settle();
  widget.handleCommand({ n: 3 });
  assert.deepEqual(chunk.handled.map((c) => c.n), [1, 2, 3]);
  widget.stop();
  assert.equal(chunk.stopped.length, 1);
});

test('stop() before the chunk arrives starts nothing', async () => {
  const chunk = pendingModule();
  let started = 0;
  const widget = startWidgetOnDemand({ load: () => chunk.loaded, start: (module) => { started += 1; return start(module); } });
  widget.handleCommand({ n: 1 });
  widget.stop();
  chunk.arrive();
  await settle();
  assert.equal(started, 0);
  assert.deepEqual(chunk.handled, []);
});

test('a chunk that cannot load (or throws) is logged once and drops commands, without throwing', async () => {
  for (const load of [() => Promise.reject(new TypeError('Failed to fetch dynamically imported module')), () => { throw new Error('CSP'); }]) {
    const lines = [];
    const widget = startWidgetOnDemand({ load, start, log: { warn: (...args) => lines.push(args) } });
    widget.handleCommand({ n: 1 });
    await settle();
    widget.handleCommand({ n: 2 });
    widget.stop();
    assert.equal(lines.length, 1);
    assert.match(String(lines[0][0]), /task widget could not be loaded/);
  }
});
