#!/usr/bin/env node
/**
 * Makes sure the system Chromium that the browser tests and the benchmark drive is installed.
 * Playwright cannot download its own browsers here, so the tests use Debian's `chromium` package
 * (/usr/bin/chromium, or $CHROMIUM_PATH). When it is missing and we are root, install it with apt-get.
 */
import { existsSync } from 'node:fs';
import { execSync } from 'node:child_process';

const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (existsSync(path)) process.exit(0);
if (typeof process.getuid === 'function' && process.getuid() === 0) {
  console.log(`${path} is missing: installing Debian's chromium package (apt-get)…`);
  execSync('apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium', { stdio: 'inherit' });
  if (existsSync(path)) process.exit(0);
}
console.error(`Chromium is missing at ${path}. Install it (Debian/Ubuntu: sudo apt-get install -y chromium) or set CHROMIUM_PATH.`);
process.exit(1);
