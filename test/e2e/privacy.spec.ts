/**
 * The privacy invariant: nothing about behavior leaves the device. Two shoppers with different histories
 * make exactly the same requests to the SDK's hosts (same URLs, methods, headers, no bodies), and every
 * request of the page goes to the shop's own origin or the configured CDN.
 */
import { chromium, type Browser } from '@playwright/test';
import { test, expect, scriptTagReady, recordTraffic, expectSameSdkRequests, backendChosen } from './fixtures.js';
import { CDN, CHROMIUM_ARGS, CHROMIUM_PATH, SHOP } from './browser.js';

async function shop(browser: Browser, products: string[], cartAdds: string[]) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const traffic = recordTraffic(page, CDN);
  for (const id of products) {
    await page.goto(`${SHOP}/product.html?id=${id}`);
    await scriptTagReady(page);
    await expect(page.locator('[data-testid=similar]')).toHaveAttribute('data-state', 'ready');
    await backendChosen(page);
    if (cartAdds.includes(id)) await page.click('#add-to-cart');
  }
  await page.goto(`${SHOP}/index.html`);
  await scriptTagReady(page);
  await expect(page.locator('[data-testid=recommended]')).toHaveAttribute('data-state', 'ready');
  const recs = await page.evaluate(() => (window.tacit as import('../../src/standalone.js').TacitApi).recommend({ k: 8 }));
  const history = await page.evaluate(() => (window.tacit as import('../../src/standalone.js').TacitApi).history());
  const sdk = await traffic.sdk();
  const hosts = traffic.hosts();
  await context.close();
  return { sdk, hosts, recs: recs.map((r) => r.itemId), history, errors: traffic.errors };
}

test('two different histories produce identical SDK request logs', async () => {
  test.setTimeout(240_000);
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  try {
    // Shopper A browses phones and buys into tech; shopper B browses home and beauty. Same number of pages.
    const a = await shop(browser, ['121', '122', '123', '78'], ['122']);
    const b = await shop(browser, ['31', '6', '11', '165'], ['11']);
    // The histories really differ, and so do the recommendations computed from them...
    expect(a.history.map((e) => e.itemId)).not.toEqual(b.history.map((e) => e.itemId));
    expect(a.history.some((e) => e.type === 'add_to_cart')).toBe(true);
    expect(a.recs).not.toEqual(b.recs);
    // ...but what went over the network did not.
    expectSameSdkRequests(a.sdk, b.sdk);
    // The model files are among them (the test would be empty otherwise).
    expect(a.sdk.some((l) => l.url.endsWith('/latest.json'))).toBe(true);
    expect(a.sdk.some((l) => l.url.endsWith('/weights.bin'))).toBe(true);
    for (const run of [a, b]) {
      expect(run.hosts.sort()).toEqual([CDN, SHOP].sort());
      expect(run.errors).toEqual([]);
    }
  } finally {
    await browser.close();
  }
});
