/** How the browser tests launch Chromium: the system build, headless, with Chromium's background traffic off. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
// Overridable so that two test runs on one machine (e.g. a clean-clone check beside a working tree) do not collide.
export const SHOP_PORT = Number(process.env.TACIT_TEST_SHOP_PORT ?? 4173);
export const CDN_PORT = Number(process.env.TACIT_TEST_CDN_PORT ?? SHOP_PORT + 1);
export const SHOP = `http://localhost:${SHOP_PORT}`;
export const CDN = `http://127.0.0.1:${CDN_PORT}`;
