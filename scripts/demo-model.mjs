#!/usr/bin/env node
/**
 * Builds the demo shop's model into demo/cdn/models/demo/ with the project's trainer, unless one is
 * already there (pass --force to rebuild). Needs `npm run build:trainer` first.
 * Data is read from ../shared/data (or $TACIT_DATA).
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ROOT as root, SHARED_DATA as data } from './paths.mjs';

const out = resolve(root, 'demo/cdn/models/demo');

if (existsSync(resolve(out, 'latest.json')) && !process.argv.includes('--force')) {
  console.log(`demo model present: ${out}/latest.json (npm run model:demo -- --force rebuilds it)`);
  process.exit(0);
}
if (!existsSync(resolve(root, 'trainer-dist/trainer/demo.js'))) {
  console.error('the trainer is not built: run `npm run build:trainer` first');
  process.exit(1);
}
// A fixed creation time (2026-01-01T00:00:00Z, the reproducible-builds convention): the demo model's files,
// and so its content-addressed version, are byte-identical on every rebuild. A caller's own value wins.
process.env.SOURCE_DATE_EPOCH ??= '1767225600';
const { buildDemoModel } = await import('../trainer-dist/trainer/demo.js');
const t0 = Date.now();
try {
  const result = await buildDemoModel({ data, out, log: (l) => console.log(`  ${l}`) });
  console.log(`demo model ${result.modelVersion} built in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  console.log(JSON.stringify(result));
} catch (err) {
  console.error(`tacit: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
