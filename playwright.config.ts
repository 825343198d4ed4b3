import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH, CDN_PORT, SHOP, SHOP_PORT } from './test/e2e/browser.js';

export default defineConfig({
  testDir: 'test/e2e',
  // SwiftShader compiles shaders on the CPU: a first WebGL query can take seconds on 2 cores.
  timeout: 120_000,
  expect: { timeout: 30_000 },
  workers: 2,
  fullyParallel: true,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: SHOP,
    launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS },
  },
  webServer: {
    command: `node scripts/serve.mjs --shop-port ${SHOP_PORT} --cdn-port ${CDN_PORT} --fixtures test/e2e/pages`,
    url: `${SHOP}/index.html`,
    reuseExistingServer: !process.env.CI,
    timeout: 30_000,
  },
});
