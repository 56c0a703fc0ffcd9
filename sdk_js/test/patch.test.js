import assert from 'node:assert/strict';
import test from 'node:test';
import { listen, patchMethod } from '../src/patch.js';
import { createTarget } from '../testing/fakes.js';

test('patchMethod wraps a method and unpatch restores the original', () => {
  const calls = [];
  const target = { greet(name) { return `hi ${name}`; } };
  const original = target.greet;
  const unpatch = patchMethod(target, 'greet', (orig) => function (name) {
    calls.push(name);
    return orig.call(this, name).toUpperCase();
  });
  assert.notEqual(target.greet, original);
  assert.equal(target.greet('ann'), 'HI ANN');
  unpatch();
  assert.equal(target.greet, original);
  assert.equal(target.greet('bob'), 'hi bob');
  assert.deepEqual(calls, ['ann']);
});

test('a patch covered by a later patch becomes a pass-through instead of breaking the chain', () => {
  const target = { value() { return 1; } };
  const original = target.value;
  const unpatch = patchMethod(target, 'value', (orig) => () => orig() + 10);
  const ours = target.value;
  target.value = () => ours() * 2; // another library patches after us
  const theirs = target.value;
  assert.equal(target.value(), 22);
  unpatch();
  assert.equal(target.value, theirs, 'their patch stays installed');
  assert.equal(target.value(), 2, 'ours no longer adds anything');
  assert.notEqual(target.value, original);
});

test('unpatching a method inherited from a prototype leaves no own property behind', () => {
  class Base {
    go() {
      return 'native';
    }
  }
  const target = new Base();
  const unpatch = patchMethod(target, 'go', (orig) => () => `patched ${orig()}`);
  assert.equal(target.go(), 'patched native');
  Base.prototype.go = () => 'page patched the prototype meanwhile';
  unpatch();
  assert.equal(Object.prototype.hasOwnProperty.call(target, 'go'), false);
  assert.equal(target.go(), 'page patched the prototype meanwhile', 'the prototype shows through again');
});

test('patching a missing method is a no-op', () => {
  const target = {};
  patchMethod(target, 'nothing', () => () => 1)();
  assert.equal('nothing' in target, false);
});

test('listen returns its removal', () => {
  const target = createTarget();
  const stop = listen(target, 'click', () => {});
  assert.equal(target.listenerCount('click'), 1);
  stop();
  assert.equal(target.listenerCount('click'), 0);
  assert.doesNotThrow(() => listen(null, 'click', () => {})());
});
