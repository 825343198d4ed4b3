/**
 * Shared set-up of the `npm run eval:*` scripts: they run after `npm run build:trainer` (the npm scripts
 * chain it) and import the compiled trainer. Progress goes to stderr; the LAST line on stdout is the JSON
 * summary. Reports go to reports/ (gitignored).
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ROOT, SHARED_DATA } from './paths.mjs';

export { ROOT, SHARED_DATA };
export const REPORTS = resolve(ROOT, 'reports');

export async function loadTrainer(module) {
  const file = resolve(ROOT, 'trainer-dist/trainer', module);
  if (!existsSync(file)) {
    console.error('the trainer is not built: run `npm run build:trainer` first');
    process.exit(1);
  }
  return import(file);
}

export function dataFile(...parts) {
  const file = resolve(SHARED_DATA, ...parts);
  if (!existsSync(file)) {
    console.error(`missing data file ${file} (set $TACIT_DATA to the shared data folder)`);
    process.exit(1);
  }
  return file;
}

/** Runs a benchmark and prints its summary as the last line of stdout. */
export async function run(fn) {
  const t0 = Date.now();
  try {
    const result = await fn();
    console.error(`done in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
    console.log(JSON.stringify(result));
  } catch (err) {
    console.error(`eval: ${err instanceof Error ? err.message : String(err)}`);
    if (process.env.TACIT_DEBUG && err instanceof Error) console.error(err.stack);
    process.exit(1);
  }
}
