import assert from 'node:assert/strict';
import test from 'node:test';
import { defaults } from '../src/config.js';
import { STORAGE_KEYS } from '../src/constants.js';
import {
  createInputMasker,
  decideSampled,
  joinSelectors,
  MASK_EVERY_INPUT,
  PASSWORD_MASK,
  reasonNotToRecord,
  recordOptions,
  sendsDoNotTrack,
} from '../src/privacy.js';
import { createStorage } from '../testing/fakes.js';

const config = { ...defaults(), key: 'k', endpoint: 'http://localhost:5000' };

/** An element that matches selectors by a list of the selectors it is "inside". */
function element({ type = 'text', inside = [], attributes = [] } = {}) {
  return {
    type,
    closest: (selector) => (selector.split(',').some((part) => inside.includes(part.trim())) ? {} : null),
    hasAttribute: (name) => attributes.includes(name),
  };
}

test('recording is allowed by default', () => {
  assert.equal(reasonNotToRecord({ config, navigator: { doNotTrack: '1', globalPrivacyControl: true }, localStorage: createStorage() }), null);
});

test('opt-out always wins', () => {
  const localStorage = createStorage();
  localStorage.setItem(STORAGE_KEYS.optOut, '1');
  assert.equal(reasonNotToRecord({ config, navigator: {}, localStorage }), 'opted_out');
});

test('Do-Not-Track and GPC stop recording only when the project asks', () => {
  const localStorage = createStorage();
  const dnt = { ...config, respectDoNotTrack: true };
  const gpc = { ...config, respectGlobalPrivacyControl: true };
  assert.equal(reasonNotToRecord({ config: dnt, navigator: { doNotTrack: '1' }, localStorage }), 'do_not_track');
  assert.equal(reasonNotToRecord({ config: dnt, navigator: { doNotTrack: '0' }, localStorage }), null);
  assert.equal(reasonNotToRecord({ config: dnt, navigator: {}, window: { doNotTrack: '1' }, localStorage }), 'do_not_track');
  assert.equal(reasonNotToRecord({ config: gpc, navigator: { globalPrivacyControl: true }, localStorage }), 'global_privacy_control');
  assert.equal(reasonNotToRecord({ config: gpc, navigator: { doNotTrack: '1' }, localStorage }), null);
});

test('a sampled-out session records nothing', () => {
  assert.equal(reasonNotToRecord({ config, navigator: {}, localStorage: createStorage(), sampled: false }), 'sampled_out');
});

test('sendsDoNotTrack reads every spelling browsers used', () => {
  assert.equal(sendsDoNotTrack({ doNotTrack: 'yes' }), true);
  assert.equal(sendsDoNotTrack({ msDoNotTrack: '1' }), true);
  assert.equal(sendsDoNotTrack({ doNotTrack: 'unspecified' }), false);
});

test('decideSampled follows the rate with the injected random', () => {
  assert.equal(decideSampled(1, () => 0.999), true);
  assert.equal(decideSampled(0, () => 0), false);
  assert.equal(decideSampled(0.3, () => 0.29), true);
  assert.equal(decideSampled(0.3, () => 0.3), false);
  let n = 0;
  const sequence = () => (n++ % 100) / 100;
  const recorded = Array.from({ length: 1000 }, () => decideSampled(0.25, sequence)).filter(Boolean).length;
  assert.equal(recorded, 250);
});

test('every input value is masked by default, keeping its length like rrweb', () => {
  const mask = createInputMasker();
  assert.equal(mask('hello world', element()), '***********');
  assert.equal(mask('', element()), '');
  assert.equal(mask(null, element()), '');
});

test('passwords get a fixed mask that hides their length, even when inputs are recorded', () => {
  for (const recordInputs of [false, true]) {
    const mask = createInputMasker({ recordInputs });
    assert.equal(mask('hunter2', element({ type: 'password' })), PASSWORD_MASK);
    assert.equal(mask('correct horse battery staple', element({ type: 'PASSWORD' })), PASSWORD_MASK);
    // rrweb marks a password field that a "show password" toggle switched to text.
    assert.equal(mask('hunter2', element({ type: 'text', attributes: ['data-rr-is-password'] })), PASSWORD_MASK);
  }
});

test('UNSAFE_recordInputs records values except inside data-rd-mask', () => {
  const mask = createInputMasker({ recordInputs: true, maskSelector: joinSelectors('[data-rd-mask]', '.rd-mask') });
  assert.equal(mask('Berlin', element()), 'Berlin');
  assert.equal(mask('Berlin', element({ inside: ['[data-rd-mask]'] })), '******');
  assert.equal(mask('Berlin', element({ inside: ['.rd-mask'] })), '******');
});

test('an invalid host selector masks, it does not throw', () => {
  const mask = createInputMasker({ recordInputs: true, maskSelector: '[[' });
  const broken = { type: 'text', closest: () => { throw new SyntaxError('bad selector'); } };
  assert.equal(mask('abc', broken), 'abc');
});

test('recordOptions honours data-rd-block, .rd-block and data-rd-mask, plus host selectors', () => {
  const options = recordOptions({ ...config, blockSelector: '#ads', maskTextSelector: '.pii' });
  assert.equal(options.blockClass, 'rd-block');
  assert.equal(options.blockSelector, '[data-rd-block],#ads');
  assert.equal(options.maskTextSelector, '[data-rd-mask],.rd-mask,.pii');
  assert.equal(options.maskTextClass, 'rd-mask');
  assert.equal(options.maskInputFn('secret', element()), '******');
  assert.equal(options.maskInputFn('abc', element({ inside: ['.pii'] })), '***');
});

test('every input type is flagged as masked, hidden inputs (CSRF tokens) included', () => {
  const { maskInputOptions } = recordOptions(config);
  for (const type of ['input', 'textarea', 'select', 'text', 'email', 'password', 'tel', 'number', 'search']) {
    assert.equal(maskInputOptions[type], true, type);
  }
  assert.deepEqual(maskInputOptions, { ...MASK_EVERY_INPUT });
  assert.equal(maskInputOptions.checkbox, undefined, 'checkbox state stays visible, as with rrweb maskAllInputs');
});

test('maskAllText masks every text node', () => {
  assert.equal(recordOptions({ ...config, maskAllText: true }).maskTextSelector, '*');
});
