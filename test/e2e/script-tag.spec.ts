/** The script-tag integration, on the demo's catalog and product pages (built SDK from the local CDN). */
import { test, expect, scriptTagReady } from './fixtures.js';

test('the script tag computes recommendations on the backend auto keeps and fills the slot', async ({ page, watch }) => {
  await page.goto('/product.html?id=1');
  await scriptTagReady(page);
  const backend = await page.evaluate(() => (window.tacit as import('../../src/standalone.js').TacitApi).backend());
  // `auto` keeps whichever backend its measurement found faster here (on SwiftShader, the CPU).
  expect(['webgl', 'cpu']).toContain(backend);
  await expect(page.locator('#tacit-panel [data-testid=backend]')).toHaveText(/^(webgl|cpu)$/);
  const similar = page.locator('[data-testid=similar]');
  await expect(similar).toHaveAttribute('data-state', 'ready');
  const ids = await similar.locator('a.product-card').evaluateAll((els) => els.map((e) => e.getAttribute('data-item-id')));
  expect(ids.length).toBeGreaterThan(0);
  expect(ids).not.toContain('1'); // the product in view is excluded
  const recs = await page.evaluate(() => (window.tacit as import('../../src/standalone.js').TacitApi).recommend({ k: 5 }));
  expect(recs).toHaveLength(5);
  for (let i = 1; i < recs.length; i++) expect(recs[i - 1]!.score).toBeGreaterThanOrEqual(recs[i]!.score);
  const history = await page.evaluate(() => (window.tacit as import('../../src/standalone.js').TacitApi).history());
  expect(history.map((e) => [e.type, e.itemId])).toEqual([['view_item', '1']]);
  expect(watch.console.filter((l) => l.startsWith('error'))).toEqual([]);
});

test('calls queued before the script loads are replayed in order', async ({ page }) => {
  await page.addInitScript(() => {
    const q: unknown[] = [];
    q.push(['track', { type: 'view_item', itemId: '5' }]);
    q.push(['track', { type: 'add_to_cart', itemId: '6' }]);
    q.push(['track', { type: 'Product Viewed', itemId: 7 }]);
    q.push((api: { history(): Promise<unknown[]> }) => {
      (window as unknown as { queuedFnRan: boolean }).queuedFnRan = true;
      void api.history();
    });
    (window as unknown as { tacit: unknown[] }).tacit = q;
  });
  await page.goto('/cart.html');
  await scriptTagReady(page);
  await page.waitForFunction(() => (window as unknown as { queuedFnRan?: boolean }).queuedFnRan === true);
  const history = await page.evaluate(() => (window.tacit as import('../../src/standalone.js').TacitApi).history());
  expect(history.map((e) => [e.type, e.itemId])).toEqual([
    ['view_item', '5'],
    ['add_to_cart', '6'],
    ['view_item', '7'],
  ]);
});

test('calls pushed into a saved reference to the queue after the script loaded still run (issue 12, defect 7)', async ({ page }) => {
  await page.addInitScript(() => {
    const q: unknown[] = [];
    (window as unknown as { savedQueue: unknown[]; tacit: unknown[] }).savedQueue = q;
    (window as unknown as { tacit: unknown[] }).tacit = q;
    q.push(['track', { type: 'view_item', itemId: '5' }]);
  });
  await page.goto('/cart.html');
  await scriptTagReady(page);
  // A tag that kept the array pushes into it after the API replaced window.tacit (lost before the fix).
  await page.evaluate(() => (window as unknown as { savedQueue: unknown[] }).savedQueue.push(['track', { type: 'add_to_cart', itemId: '6' }]));
  await expect
    .poll(async () => (await page.evaluate(() => (window.tacit as import('../../src/standalone.js').TacitApi).history())).map((e) => [e.type, e.itemId]))
    .toEqual([
      ['view_item', '5'],
      ['add_to_cart', '6'],
    ]);
});

test('a second copy of the script on the page does nothing and counts nothing twice', async ({ page, watch }) => {
  // Served by the shop's own server: Chromium's Local Network Access blocks a page fulfilled by
  // page.route() (a "public" document) from loading scripts on the loopback CDN.
  await page.goto('/fixtures/double-script.html');
  await scriptTagReady(page);
  // The second copy to load finds the first installed and only warns.
  await expect.poll(() => watch.console.some((l) => l.includes('[tacit] the Tacit script is on this page twice'))).toBe(true);
  const history = await page.evaluate(() => (window.tacit as import('../../src/standalone.js').TacitApi).history());
  expect(history.map((e) => e.itemId)).toEqual(['3']);
});

test('bad input through the script tag logs a clear [tacit] error and stores nothing', async ({ page, watch }) => {
  await page.goto('/cart.html');
  await scriptTagReady(page);
  const results = await page.evaluate(async () => {
    const t = window.tacit as import('../../src/standalone.js').TacitApi;
    const bad: unknown[] = [
      { type: 'bogus_event', itemId: '1' },
      { type: 'view_item' },
      { type: 'view_item', itemId: '1', price: Number.NaN },
      { type: 'view_item', itemId: '1', price: -5 },
      { type: 'view_item', itemId: 'x'.repeat(50_000) },
      { type: 'view_item', itemId: '1', name: 'y'.repeat(50_000) },
      { type: '__proto__', itemId: '1' },
      null,
    ];
    const out = [];
    for (const e of bad) out.push(await t.track(e as never));
    (t as unknown as { push(c: unknown): void }).push(['track', { type: 'nope' }]);
    (t as unknown as { push(c: unknown): void }).push(['no_such_method']);
    await new Promise((r) => setTimeout(r, 50));
    return { out, history: await t.history() };
  });
  expect(results.out.every((r) => r === null)).toBe(true);
  expect(results.history).toEqual([]);
  const errors = watch.console.filter((l) => l.startsWith('error: [tacit]'));
  expect(errors.some((l) => l.includes('unknown event type "bogus_event"'))).toBe(true);
  expect(errors.some((l) => l.includes('"view_item" needs an "itemId"'))).toBe(true);
  expect(errors.some((l) => l.includes('"price" must be a finite number'))).toBe(true);
  expect(errors.some((l) => l.includes('"price" must be between 0'))).toBe(true);
  expect(errors.some((l) => l.includes('the limit is 200'))).toBe(true);
  expect(errors.some((l) => l.includes('the limit is 500'))).toBe(true);
  expect(errors.some((l) => l.includes('expected [method, ...args]'))).toBe(true);
  expect(errors.length).toBeGreaterThanOrEqual(10);
});
