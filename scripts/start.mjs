#!/usr/bin/env node
/**
 * `npm start`: builds everything the demo shop needs that is not there yet (the SDK, the trainer, the demo
 * model, the demo pages), then serves the shop and its local CDN. `npm start -- --rebuild` rebuilds all.
 */
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ROOT as root } from './paths.mjs';
const rebuild = process.argv.includes('--rebuild');
const run = (script) => execSync(`npm run --silent ${script}`, { cwd: root, stdio: 'inherit' });
const missing = (path) => rebuild || !existsSync(resolve(root, path));

if (missing('dist/tacit.iife.js')) run('build');
if (missing('trainer-dist/trainer/demo.js')) run('build:trainer');
run(rebuild ? 'model:demo -- --force' : 'model:demo');
if (missing('demo/dist/index.html')) run('demo:build');
await import('./serve.mjs').then(async ({ startServers }) => {
  const { shopOrigin, cdnOrigin } = await startServers({
    shopPort: Number(process.env.SHOP_PORT ?? 5173),
    cdnPort: Number(process.env.CDN_PORT ?? 5174),
  });
  console.log(`\nTacit demo shop: ${shopOrigin}/   (script tag)\n                 ${shopOrigin}/spa.html   (ES module)\nLocal CDN:       ${cdnOrigin}/sdk/  ${cdnOrigin}/models/\nCtrl+C stops it.`);
});
