/**
 * The privacy invariant: nothing about behavior leaves the device. Two shoppers with different histories
 * make exactly the same requests to the SDK's hosts (same URLs, methods, headers, no bodies), and every
 * request of the page goes to the shop's own origin or the configured CDN.
 */
import { chromium, type Browser, type Request } from '@playwright/test';
import { test, expect, scriptTagReady } from './fixtures.js';
import { CDN, CHROMIUM_ARGS, CHROMIUM_PATH, SHOP } from './browser.js';

interface Logged {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string | null;
}

async function shop(browser: Browser, products: string[], cartAdds: string[]) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const all: Request[] = [];
  const errors: string[] = [];
  page.on('request', (r) => all.push(r));
  page.on('pageerror', (e) => errors.push(e.message));
  for (const id of products) {
    await page.goto(`${SHOP}/product.html?id=${id}`);
    await scriptTagReady(page);
    await expect(page.locator('[data-testid=similar]')).toHaveAttribute('data-state', 'ready');
    if (cartAdds.includes(id)) await page.click('#add-to-cart');
  }
  await page.goto(`${SHOP}/index.html`);
  await scriptTagReady(page);
  await expect(page.locator('[data-testid=recommended]')).toHaveAttribute('data-state', 'ready');
  const recs = await page.evaluate(() => (window.tacit as import('../../src/standalone.js').TacitApi).recommend({ k: 8 }));
  const history = await page.evaluate(() => (window.tacit as import('../../src/standalone.js').TacitApi).history());
  const sdk: Logged[] = [];
  for (const r of all) {
    if (!r.url().startsWith(CDN)) continue;
    sdk.push({ method: r.method(), url: r.url(), headers: await r.allHeaders(), body: r.postData() });
  }
  const hosts = [...new Set(all.map((r) => new URL(r.url()).origin))];
  await context.close();
  return { sdk, hosts, recs: recs.map((r) => r.itemId), history, errors };
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
    expect(a.sdk.length).toBeGreaterThan(0);
    const key = (l: Logged) => JSON.stringify([l.method, l.url, Object.entries(l.headers).sort(), l.body]);
    expect(a.sdk.map(key).sort()).toEqual(b.sdk.map(key).sort());
    for (const l of [...a.sdk, ...b.sdk]) {
      expect(l.method).toBe('GET');
      expect(l.body).toBeNull();
      expect(new URL(l.url).search).toBe('');
      expect(l.headers.referer ?? '').toBe(''); // the script tag and the fetches send no referrer
      expect(l.headers.cookie).toBeUndefined();
    }
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
