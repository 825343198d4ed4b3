#!/usr/bin/env node
/**
 * The `tacit` command (package.json "bin"): the trainer's CLI, compiled from src/trainer/cli.ts into
 * trainer-dist/ by `npm run build:trainer`.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = new URL('../trainer-dist/trainer/cli.js', import.meta.url);
if (!existsSync(fileURLToPath(cli))) {
  process.stderr.write('tacit: the trainer is not built; run `npm run build:trainer` in the tacit package first\n');
  process.exit(2);
}
const { main } = await import(cli.href);
process.exitCode = await main(process.argv.slice(2));
