/**
 * The privacy invariant with every capture path active: two shoppers whose captured histories differ (JSON-LD,
 * dataLayer, data-tacit-* attributes, SPA navigation) make exactly the same requests to the SDK's host, and no
 * request goes anywhere but the shop and the CDN. (test/e2e/privacy.spec.ts does the same on the demo shop.)
 */
import { chromium, type Browser } from '@playwright/test';
import type { TacitApi } from '../../src/standalone.js';
import { test, expect, scriptTagReady, recordTraffic, expectSameSdkRequests, backendChosen } from './fixtures.js';
import { CDN, CHROMIUM_ARGS, CHROMIUM_PATH, SHOP } from './browser.js';

type Step = { path: string; act?: (page: import('@playwright/test').Page) => Promise<void> };

async function shop(browser: Browser, steps: Step[]) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const traffic = recordTraffic(page, CDN);
  for (const step of steps) {
    await page.goto(`${SHOP}/fixtures/capture/${step.path}`);
    await scriptTagReady(page);
    await expect.poll(() => page.evaluate(async () => (await (window.tacit as TacitApi).backend()) !== null)).toBe(true);
    await backendChosen(page);
    await step.act?.(page);
    await page.waitForTimeout(2600); // let every capture path settle
  }
  const history = await page.evaluate(() => (window.tacit as TacitApi).history());
  const logged = await traffic.sdk();
  const hosts = traffic.hosts();
  await context.close();
  return { logged, hosts, history, errors: traffic.errors };
}

test('two shoppers captured differently make identical SDK requests', async () => {
  test.setTimeout(240_000);
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  try {
    const a = await shop(browser, [
      { path: 'configurable.html?product=phone-1&price=899' },
      { path: 'ga4-datalayer.html', act: (p) => p.click('#add') },
      { path: 'nextjs-commerce/product/acme-t-shirt/', act: async (p) => { await p.waitForTimeout(1000); await p.click('[data-testid=link-cup]'); } },
      { path: 'attributes.html', act: async (p) => { await p.fill('#search input', 'desk lamp'); await p.click('#search button'); } },
    ]);
    const b = await shop(browser, [
      { path: 'configurable.html?product=sofa-9&price=1999&currency=EUR' },
      { path: 'ga4-datalayer.html' },
      { path: 'nextjs-commerce/product/acme-t-shirt/', act: async (p) => { await p.waitForTimeout(1000); await p.click('[data-testid=link-hoodie]'); } },
      { path: 'attributes.html', act: (p) => p.click('#add') },
    ]);
    const sources = (h: typeof a.history) => new Set(h.map((e) => e.source));
    expect(a.history.map((e) => [e.type, e.itemId ?? e.query])).not.toEqual(b.history.map((e) => [e.type, e.itemId ?? e.query]));
    for (const s of ['jsonld', 'datalayer', 'attribute'] as const) expect(sources(a.history).has(s) && sources(b.history).has(s)).toBe(true);
    expect(a.history.some((e) => e.type === 'add_to_cart' && e.source === 'datalayer')).toBe(true);
    expect(a.history.some((e) => e.itemId === 'acme-cup')).toBe(true);
    expect(b.history.some((e) => e.itemId === 'acme-hoodie')).toBe(true);

    expectSameSdkRequests(a.logged, b.logged);
    // The capture module is among the requests: the comparison covers it.
    expect(a.logged.some((l) => l.url.endsWith('/tacit-capture.js'))).toBe(true);
    for (const run of [a, b]) {
      expect(run.hosts.sort()).toEqual([CDN, SHOP].sort());
      expect(run.errors).toEqual([]);
    }
  } finally {
    await browser.close();
  }
});
