/** How the browser tests launch Chromium: the system build, headless, with Chromium's background traffic off. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
// Two checkouts on one machine (worktrees, a clean-clone check beside a working tree) must not share a server:
// Playwright reuses a running one (reuseExistingServer) and would test the other checkout's build. So the
// default port follows the checkout's path; TACIT_TEST_SHOP_PORT overrides it.
function portForCheckout(path: string): number {
  let h = 0;
  for (const c of path) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return 4200 + (h % 400) * 2;
}
export const SHOP_PORT = Number(process.env.TACIT_TEST_SHOP_PORT ?? portForCheckout(process.cwd()));
export const CDN_PORT = Number(process.env.TACIT_TEST_CDN_PORT ?? SHOP_PORT + 1);
export const SHOP = `http://localhost:${SHOP_PORT}`;
export const CDN = `http://127.0.0.1:${CDN_PORT}`;
