// SDK size benchmark: raw and gzip bytes of the built bundle, the ESM build and the
// loader snippet, next to rrweb's recorder alone (what the SDK adds on top of it).
// Builds sdk_js first when dist/ is missing. Prints one JSON object.
//   node bench/sdk_size.mjs            (after `cd sdk_js && npm ci`)

import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const sdkDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'sdk_js');
const { buildAll, sizeOf, MAX_BUNDLE_GZIP_BYTES, MAX_LOADER_BYTES } = await import(join(sdkDir, 'build.mjs'));
const { build } = await import(join(sdkDir, 'node_modules', 'esbuild', 'lib', 'main.js'));

const files = { bundle: 'replaydesk.js', esm: 'replaydesk.esm.js', loader: 'loader.js' };
if (!Object.values(files).every((name) => existsSync(join(sdkDir, 'dist', name)))) {
  const { problems } = await buildAll();
  if (problems.length) throw new Error(problems.join('; '));
}

async function recorderOnly() {
  const result = await build({
    stdin: { contents: "import { record } from '@rrweb/record'; window.rrwebRecord = record;", resolveDir: sdkDir },
    bundle: true,
    minify: true,
    target: 'es2019',
    format: 'iife',
    legalComments: 'none',
    write: false,
  });
  const bytes = result.outputFiles[0].contents;
  return { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
}

const report = {};
for (const [name, file] of Object.entries(files)) report[name] = sizeOf(join(sdkDir, 'dist', file));
report.rrweb_recorder_only = await recorderOnly();
report.sdk_overhead_gzip = report.bundle.gzip - report.rrweb_recorder_only.gzip;
report.budget = { bundle_gzip_max: MAX_BUNDLE_GZIP_BYTES, loader_raw_max: MAX_LOADER_BYTES };
report.within_budget = report.bundle.gzip <= MAX_BUNDLE_GZIP_BYTES && report.loader.raw <= MAX_LOADER_BYTES;
console.log(JSON.stringify(report, null, 2));
