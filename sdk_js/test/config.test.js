import assert from 'node:assert/strict';
import test from 'node:test';
import { defaults, normalizeEndpoint, resolveConfig, validate } from '../src/config.js';

const valid = { key: 'pk_live_123', endpoint: 'https://rd.example.com/' };

test('defaults() returns the whole config with private-by-default values', () => {
  const config = defaults();
  assert.equal(config.key, null);
  assert.equal(config.sampleRate, 1);
  assert.equal(config.UNSAFE_recordInputs, false);
  assert.equal(config.respectDoNotTrack, false);
  assert.equal(config.captureJsonErrors, true);
  assert.deepEqual(config.sampling, { mousemove: 50, scroll: 150, input: 'last' });
  // Each call is a fresh object: mutating one must not leak into the next.
  config.sampling.mousemove = 1;
  assert.equal(defaults().sampling.mousemove, 50);
});

test('resolveConfig merges options over defaults and trims the endpoint', () => {
  const { config, problems, warnings } = resolveConfig({ ...valid, sampleRate: 0.25, debug: true });
  assert.deepEqual(problems, []);
  assert.deepEqual(warnings, []);
  assert.equal(config.endpoint, 'https://rd.example.com');
  assert.equal(config.sampleRate, 0.25);
  assert.equal(config.debug, true);
  assert.equal(config.compress, true);
});

test('a partial sampling object keeps the other defaults', () => {
  const { config } = resolveConfig({ ...valid, sampling: { mousemove: 100 } });
  assert.deepEqual(config.sampling, { mousemove: 100, scroll: 150, input: 'last' });
});

test('renamed options are mapped with a warning; unknown ones are ignored with a warning', () => {
  const { config, problems, warnings } = resolveConfig({ apiKey: 'k1', host: 'http://127.0.0.1:5000', sampelRate: 0 });
  assert.deepEqual(problems, []);
  assert.equal(config.key, 'k1');
  assert.equal(config.endpoint, 'http://127.0.0.1:5000');
  assert.equal(config.sampleRate, 1, 'a misspelt option must not change anything');
  assert.deepEqual(warnings, ['option "apiKey" is now "key"', 'option "host" is now "endpoint"', 'unknown option "sampelRate" ignored']);
});

test('every problem is reported at once', () => {
  const { problems } = resolveConfig({ endpoint: 'ftp://x', sampleRate: 2, taskWidget: 'yes', onCommand: 'nope', blockSelector: 3 });
  assert.equal(problems.length, 6, problems.join('\n'));
  assert.match(problems.join('\n'), /"key"/);
  assert.match(problems.join('\n'), /"endpoint"/);
  assert.match(problems.join('\n'), /"sampleRate"/);
});

test('non-object options are a problem, not an exception', () => {
  for (const options of [undefined, null, 'key', 42]) {
    const { problems } = resolveConfig(options);
    assert.equal(problems.length, 1);
  }
});

test('validate accepts the resolved defaults plus key and endpoint only', () => {
  assert.equal(validate(defaults()).length, 2);
  assert.deepEqual(validate({ ...defaults(), key: 'k', endpoint: 'http://localhost:5000' }), []);
  assert.equal(validate({ ...defaults(), key: '   ', endpoint: 'http://localhost:5000' }).length, 1);
  assert.equal(validate({ ...defaults(), key: 'k', endpoint: 'http://localhost:5000', sampleRate: Number.NaN }).length, 1);
});

test('normalizeEndpoint strips trailing slashes only', () => {
  assert.equal(normalizeEndpoint(' https://a.example/rd// '), 'https://a.example/rd');
  assert.equal(normalizeEndpoint(undefined), undefined);
});

test('captureConsole and captureNetwork: defaults, accepted forms and problems', () => {
  const config = defaults();
  assert.deepEqual(config.captureConsole, ['warn', 'error']);
  assert.equal(config.captureNetwork, true);
  for (const captureConsole of [true, false, [], ['log', 'debug']]) {
    assert.deepEqual(resolveConfig({ ...valid, captureConsole }).problems, [], JSON.stringify(captureConsole));
  }
  for (const captureNetwork of [true, false, { xhr: false }, { allowQueryParams: ['page'], recordBodies: true, maxBodyBytes: 512 }]) {
    assert.deepEqual(resolveConfig({ ...valid, captureNetwork }).problems, [], JSON.stringify(captureNetwork));
  }
  const { problems } = resolveConfig({ ...valid, captureConsole: 'errors', captureNetwork: { allowQueryParams: 'page' } });
  assert.equal(problems.length, 2);
  assert.match(problems[0], /"captureConsole"/);
  assert.match(problems[1], /"captureNetwork"/);
});
