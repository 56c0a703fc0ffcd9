// Build the review UI with esbuild into dist/ (served by WhiteNoise at /static/):
//   <entry>-<hash>.js       one ES module per page, shared code split into chunks/
//   app-<hash>.css          our styles with rrweb-player's and the replayer's CSS bundled in
//   manifest.json           {"player.js": {"file": "player-AB12CD34.js", "imports": ["chunks/…"]}, …}
// Content hashes in every file name make long caching safe; templates resolve names
// through the manifest (server/pages/assets.py). No CDN: everything comes from npm.

import { build } from 'esbuild';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, 'dist');

/** One module per server-rendered page, plus the stylesheet. */
export const ENTRIES = ['sessions', 'player', 'notes', 'findings', 'finding', 'pages', 'heatmap',
  'experiments', 'experiment', 'studies', 'study', 'live', 'webhooks', 'shared', 'clip', 'install', 'people',
  'project-settings', 'issues'];

/** Manifest entry name of an output: "player-AB12.js" with entry "src/entries/player.js" → "player.js". */
function entryName(output) {
  if (!output.entryPoint) return null;
  const stem = basename(output.entryPoint).replace(/\.(js|css)$/, '');
  return stem + (output.entryPoint.endsWith('.css') ? '.css' : '.js');
}

export function manifestFrom(metafile, outdir) {
  const manifest = {};
  for (const [path, output] of Object.entries(metafile.outputs)) {
    const name = entryName(output);
    if (!name || path.endsWith('.map')) continue;
    const imports = (output.imports || []).filter((i) => i.kind === 'import-statement').map((i) => relative(outdir, i.path));
    manifest[name] = { file: relative(outdir, path), imports };
  }
  return manifest;
}

export async function buildAll() {
  rmSync(dist, { recursive: true, force: true });
  mkdirSync(dist, { recursive: true });
  const result = await build({
    absWorkingDir: here,
    entryPoints: [...ENTRIES.map((name) => `src/entries/${name}.js`), 'styles/app.css'],
    outdir: dist,
    bundle: true,
    splitting: true,
    format: 'esm',
    target: 'es2020',
    minify: true,
    sourcemap: 'linked',
    entryNames: '[name]-[hash]',
    chunkNames: 'chunks/[name]-[hash]',
    assetNames: 'assets/[name]-[hash]',
    metafile: true,
    legalComments: 'linked',
    logLevel: 'warning',
  });
  const manifest = manifestFrom(result.metafile, dist);
  writeFileSync(join(dist, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  return manifest;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const manifest = await buildAll();
  for (const [name, entry] of Object.entries(manifest)) console.log(`${name.padEnd(14)} → dist/${entry.file}`);
}
