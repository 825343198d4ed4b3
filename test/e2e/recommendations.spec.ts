/** Personalization is real: what the shopper views changes what the on-device model recommends. */
import { test, expect, scriptTagReady, catalogCategories } from './fixtures.js';
import type { Page } from '@playwright/test';

const api = (page: Page) => page.evaluate(() => (window.tacit as import('../../src/standalone.js').TacitApi).recommend({ k: 8 }));

async function viewProducts(page: Page, ids: string[]) {
  for (const id of ids) {
    await page.goto(`/product.html?id=${id}`);
    await scriptTagReady(page);
    await expect(page.locator('[data-testid=recommended]')).toHaveAttribute('data-state', /ready|empty/);
  }
}

test('recommendations follow the shopper from one category to another', async ({ page }) => {
  await page.goto('/index.html');
  const categories = await catalogCategories(page);
  const inCategory = (c: string) => [...categories].filter(([, cat]) => cat === c).map(([id]) => id);
  const phones = inCategory('smartphones').slice(0, 4);
  const dresses = inCategory('womens-dresses').slice(0, 4);
  expect(phones).toHaveLength(4);
  expect(dresses).toHaveLength(4);
  const tech = new Set(['smartphones', 'laptops', 'tablets', 'mobile-accessories']);
  const womens = new Set(['womens-dresses', 'womens-shoes', 'womens-bags', 'womens-jewellery', 'womens-watches', 'tops']);
  const share = (ids: string[], group: Set<string>) => ids.filter((id) => group.has(categories.get(id)!)).length / ids.length;

  await viewProducts(page, phones);
  const afterPhones = (await api(page)).map((r) => r.itemId);
  expect(afterPhones).toHaveLength(8);
  expect(share(afterPhones, tech)).toBeGreaterThanOrEqual(0.5);

  await viewProducts(page, dresses);
  const afterDresses = (await api(page)).map((r) => r.itemId);
  expect(afterDresses).toHaveLength(8);
  expect(share(afterDresses, womens)).toBeGreaterThanOrEqual(0.5);
  expect(afterDresses).not.toEqual(afterPhones);

  // The slot on the page shows the same personalized list.
  await page.goto('/index.html');
  await expect(page.locator('[data-testid=recommended]')).toHaveAttribute('data-state', 'ready');
  const shown = await page.locator('[data-testid=recommended] a.product-card').evaluateAll((els) => els.map((e) => e.getAttribute('data-item-id')!));
  expect(share(shown, womens)).toBeGreaterThanOrEqual(0.5);
});

test('propensity is computed on the device with per-feature contributions that add up', async ({ page }) => {
  await viewProducts(page, ['1', '2', '3']);
  const p = await page.evaluate(() => (window.tacit as import('../../src/standalone.js').TacitApi).propensity());
  expect(p).not.toBeNull();
  const views = p!.features.find((f) => f.name === 'product_views');
  expect(views?.raw).toBe(3);
  const logit = p!.bias + p!.features.reduce((s, f) => s + f.contribution, 0);
  expect(p!.probability).toBeCloseTo(1 / (1 + Math.exp(-logit)), 5);
  await expect(page.locator('#tacit-panel [data-testid=propensity]')).toHaveText(/\d+(\.\d+)?\s?%/);
});
