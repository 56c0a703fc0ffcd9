import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ENTRIES, manifestFrom } from '../build.mjs';

const dist = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');

test('the manifest maps entry names to hashed files and their chunk imports', () => {
  const manifest = manifestFrom({ outputs: {
    '/r/dist/player-AB12CD34.js': { entryPoint: 'src/entries/player.js', imports: [{ path: '/r/dist/chunks/chunk-X.js', kind: 'import-statement' }] },
    '/r/dist/player-AB12CD34.js.map': { entryPoint: 'src/entries/player.js' },
    '/r/dist/chunks/chunk-X.js': { imports: [] },
    '/r/dist/app-ZZ.css': { entryPoint: 'styles/app.css' },
  } }, '/r/dist');
  assert.deepEqual(manifest, {
    'player.js': { file: 'player-AB12CD34.js', imports: ['chunks/chunk-X.js'] },
    'app.css': { file: 'app-ZZ.css', imports: [] },
  });
});

test('the built dist has every entry, hashed, and no CDN URL in the bundles', { skip: !existsSync(join(dist, 'manifest.json')) }, () => {
  const manifest = JSON.parse(readFileSync(join(dist, 'manifest.json'), 'utf8'));
  for (const name of [...ENTRIES.map((e) => `${e}.js`), 'app.css']) {
    assert.match(manifest[name].file, /-[A-Z0-9]{8}\.(js|css)$/, name);
    const text = readFileSync(join(dist, manifest[name].file), 'utf8');
    assert.doesNotMatch(text, /cdn\.jsdelivr|unpkg\.com|cdnjs/);
  }
});
