/** The ES module integration: the demo's SPA bundles the built `dist/tacit.js` as a customer's app would. */
import { test, expect } from './fixtures.js';
import type { Tacit } from '../../src/index.js';

declare global {
  interface Window {
    demoTacit?: Tacit;
  }
}

test('the ES module computes recommendations on the backend auto keeps', async ({ page }) => {
  await page.goto('/spa.html#/product/10');
  await page.waitForFunction(() => window.demoTacit !== undefined);
  expect(['webgl', 'cpu']).toContain(await page.evaluate(() => window.demoTacit!.backend()));
  await expect(page.locator('[data-testid=similar]')).toHaveAttribute('data-state', 'ready');
  await expect(page.locator('#tacit-panel [data-testid=backend]')).toHaveText(/^(webgl|cpu)$/);
  const recs = await page.evaluate(() => window.demoTacit!.recommend({ k: 8, context: ['10'], exclude: ['10'] }));
  expect(recs).toHaveLength(8);
  expect(recs.map((r) => r.itemId)).not.toContain('10');
});

test('bad input at the ES module boundary rejects with a TypeError that says what to change', async ({ page }) => {
  await page.goto('/spa.html');
  await page.waitForFunction(() => window.demoTacit !== undefined);
  const messages = await page.evaluate(async () => {
    const t = window.demoTacit!;
    const attempts: (() => Promise<unknown>)[] = [
      () => t.track({ type: 'clicked' as never, itemId: '1' }),
      () => t.track({ type: 'add_to_cart' }),
      () => t.track({ type: 'view_item', itemId: '1', price: Infinity }),
      () => t.track({ type: 'search', query: 'q'.repeat(50_000) }),
      () => t.recommend({ k: 0 }),
      () => t.recommend({ k: 5, exclude: 'abc' as never }),
    ];
    const out: string[] = [];
    for (const a of attempts) {
      try {
        await a();
        out.push('resolved');
      } catch (err) {
        out.push(`${(err as Error).name}: ${(err as Error).message}`);
      }
    }
    return { out, history: await t.history() };
  });
  expect(messages.out).toHaveLength(6);
  for (const m of messages.out) expect(m).toMatch(/^TypeError: tacit\.(track|recommend)\(\): /);
  expect(messages.out[0]).toContain('unknown event type "clicked"');
  expect(messages.out[4]).toContain('"k" must be an integer from 1 to 100');
  expect(messages.history.filter((e) => e.itemId === '1')).toEqual([]);
});

test('the SPA shows "not found" for a product URL that is not valid percent-encoding (issue 12, defect 7)', async ({ page, watch }) => {
  await page.goto('/spa.html#/product/%E0');
  await expect(page.locator('[data-testid=not-found]')).toBeVisible();
  expect(watch.errors).toEqual([]);
});
