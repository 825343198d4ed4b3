/**
 * Zero-config capture on pages that reproduce what real storefront platforms emit (test/e2e/pages/capture/),
 * each with only the SDK's script tag added: the events `history()` returns carry the right id, price,
 * currency and availability, and the source that won.
 */
import type { Page } from '@playwright/test';
import type { TacitEvent } from '../../src/events/vocabulary.js';
import type { TacitApi } from '../../src/standalone.js';
import { test, expect, scriptTagReady } from './fixtures.js';

const stored = (page: Page) => page.evaluate(() => (window.tacit as TacitApi).history());

/** Loads a fixture, waits for the first event, then long enough (2 s settle + margin) for any second one. */
async function capturedOn(page: Page, path: string): Promise<TacitEvent[]> {
  await page.goto(`/fixtures/capture/${path}`);
  await scriptTagReady(page);
  await expect.poll(async () => (await stored(page)).length).toBeGreaterThan(0);
  await page.waitForTimeout(2600);
  return stored(page);
}

const pick = (e: TacitEvent | undefined) => e && { type: e.type, itemId: e.itemId, price: e.price, currency: e.currency, availability: e.availability, source: e.source };

const FIXTURES: { page: string; platform: string; view: Partial<TacitEvent> }[] = [
  { page: 'shopify-dawn.html', platform: 'Shopify Dawn: ProductGroup, first variant in stock', view: { itemId: 'SNOW-LIQ-154', price: 749.95, currency: 'USD', availability: 'InStock', source: 'jsonld' } },
  { page: 'shopify-dawn.html?variant=44000000000003', platform: 'Shopify Dawn: the variant in the URL', view: { itemId: 'SNOW-LIQ-160', price: 799.95, currency: 'USD', availability: 'InStock', source: 'jsonld' } },
  { page: 'woocommerce.html', platform: 'WooCommerce + Yoast: @graph, priceSpecification with a ListPrice', view: { itemId: 'woo-hoodie-with-logo', price: 45, currency: 'EUR', availability: 'InStock', source: 'jsonld' } },
  { page: 'magento.html', platform: 'Magento 2: microdata on <body>, a tile price first', view: { itemId: '24-MB01', price: 1234.5, currency: 'EUR', availability: 'InStock', source: 'microdata' } },
  { page: 'saleor/default-channel/products/monospace-tee/', platform: 'Saleor: AggregateOffer, no sku', view: { itemId: 'monospace-tee', price: 20, currency: 'USD', availability: 'InStock', source: 'jsonld' } },
  { page: 'nextjs-commerce/product/acme-t-shirt/', platform: 'Next.js Commerce: JSON-LD rendered late', view: { itemId: 'acme-t-shirt', price: 20, currency: 'USD', availability: 'InStock', source: 'jsonld' } },
  { page: 'ga4-datalayer.html', platform: 'GA4 dataLayer (+ Open Graph availability)', view: { itemId: 'SKU_12345', price: 59.9, currency: 'EUR', availability: 'InStock', source: 'datalayer' } },
  { page: 'ua-datalayer.html', platform: 'Universal Analytics dataLayer (+ Open Graph availability)', view: { itemId: '12345', price: 15.25, currency: 'GBP', availability: 'OutOfStock', source: 'datalayer' } },
  { page: 'attributes.html', platform: 'data-tacit-* attributes beat JSON-LD', view: { itemId: 'LAMP-01', price: 1299, currency: 'EUR', availability: 'PreOrder', source: 'attribute' } },
  { page: 'precedence.html', platform: 'four sources disagree: JSON-LD wins, availability from microdata', view: { itemId: 'P-1', price: 10, currency: 'USD', availability: 'LimitedAvailability', source: 'jsonld' } },
  { page: 'legacy-cms.html', platform: 'CDATA, comments, broken blocks, decimal comma, mpn', view: { itemId: 'SF-2024-NL', price: 1249.95, currency: 'EUR', availability: 'InStock', source: 'jsonld' } },
];

for (const f of FIXTURES) {
  test(`${f.platform}: one view_item with id, price, currency, availability`, async ({ page, watch }) => {
    const events = await capturedOn(page, f.page);
    expect(events.map(pick)).toEqual([{ type: 'view_item', ...f.view }]);
    expect(watch.console.filter((l) => l.startsWith('error'))).toEqual([]);
  });
}

test('Shopify Dawn: the other fields, and a variant change (replaceState) is not a second view', async ({ page }) => {
  const [view] = await capturedOn(page, 'shopify-dawn.html');
  expect(view).toMatchObject({ name: 'The Collection Snowboard: Liquid', brand: 'Hydrogen Vendor', category: 'Snowboards', variant: 'The Collection Snowboard: Liquid - 154cm' });
  await page.check('#Size-3', { force: true });
  expect(page.url()).toContain('?variant=44000000000003');
  await page.waitForTimeout(1500);
  expect((await stored(page)).map((e) => e.itemId)).toEqual(['SNOW-LIQ-154']);
});

test('WooCommerce and Magento: names and brands come through clean', async ({ page }) => {
  expect((await capturedOn(page, 'woocommerce.html')).at(-1)).toMatchObject({ name: 'Hoodie mit Logo', brand: 'Nordlicht' });
  expect((await capturedOn(page, 'magento.html')).at(-1)).toMatchObject({ name: 'Joust Duffle Bag' });
});

test('GA4: gtag add_to_cart is captured; dataLayer.push still reaches GTM and returns what it returned', async ({ page }) => {
  await capturedOn(page, 'ga4-datalayer.html');
  const before = await page.evaluate(() => (window as unknown as { gtmSeen: unknown[] }).gtmSeen.length);
  await page.click('#add');
  await expect.poll(async () => (await stored(page)).map((e) => [e.type, e.itemId, e.quantity, e.source])).toEqual([
    ['view_item', 'SKU_12345', undefined, 'datalayer'],
    ['add_to_cart', 'SKU_12345', 2, 'datalayer'],
  ]);
  const after = await page.evaluate(() => {
    const dl = (window as unknown as { dataLayer: unknown[] }).dataLayer;
    const returned = dl.push({ event: 'custom' }, { event: 'other' });
    return { returned, length: dl.length, seen: (window as unknown as { gtmSeen: unknown[] }).gtmSeen.length };
  });
  expect(after.seen).toBe(before + 2 /* the add-to-cart click */ + 2);
  expect(after.returned).toBe(after.length); // Array.prototype.push's result, through GTM's wrapper and Tacit's
});

test('Universal Analytics: addToCart and a two-product purchase', async ({ page }) => {
  await capturedOn(page, 'ua-datalayer.html');
  await page.click('#add');
  await page.click('#buy');
  await expect.poll(async () => (await stored(page)).map((e) => [e.type, e.itemId, e.price])).toEqual([
    ['view_item', '12345', 15.25],
    ['add_to_cart', '12345', 15.25],
    ['purchase', '12345', 15.25],
    ['purchase', '67890', 33.75],
  ]);
});

test('data-tacit-* attributes: a click inside the button, a search form; unknown events are ignored', async ({ page }) => {
  await capturedOn(page, 'attributes.html');
  await page.click('#add span');
  await page.fill('#search input', '  lampe   de bureau ');
  await page.click('#search button');
  await page.click('#bogus');
  await expect.poll(async () => (await stored(page)).map((e) => [e.type, e.itemId ?? e.query, e.quantity])).toEqual([
    ['view_item', 'LAMP-01', undefined],
    ['add_to_cart', 'LAMP-01', 2],
    ['search', 'lampe de bureau', undefined],
  ]);
});

test('Next.js Commerce SPA: each route counts once; the old page still on screen is not the new one', async ({ page, watch }) => {
  const ids = async () => (await stored(page)).map((e) => e.itemId);
  expect((await capturedOn(page, 'nextjs-commerce/product/acme-t-shirt/')).map((e) => e.itemId)).toEqual(['acme-t-shirt']);
  await page.click('[data-testid=link-cup]');
  await expect.poll(ids).toEqual(['acme-t-shirt', 'acme-cup']);
  const cup = (await stored(page))[1]!;
  expect(pick(cup)).toEqual({ type: 'view_item', itemId: 'acme-cup', price: 15, currency: 'USD', availability: 'OutOfStock', source: 'jsonld' });
  await page.goBack();
  await expect.poll(ids).toEqual(['acme-t-shirt', 'acme-cup', 'acme-t-shirt']);
  await page.click('[data-testid=link-search]'); // a page with no product
  await page.waitForTimeout(1500);
  await page.click('[data-testid=link-hoodie]');
  await expect.poll(ids).toEqual(['acme-t-shirt', 'acme-cup', 'acme-t-shirt', 'acme-hoodie']);
  await page.evaluate(() => history.replaceState({ again: true }, '', location.href)); // the router's own bookkeeping
  await page.waitForTimeout(1500);
  expect(await ids()).toEqual(['acme-t-shirt', 'acme-cup', 'acme-t-shirt', 'acme-hoodie']);
  expect(watch.console.filter((l) => l.startsWith('error'))).toEqual([]);
});

test('two copies of the script with capture active: queued calls, views and clicks each count once', async ({ page, watch }) => {
  const events = await capturedOn(page, 'double-script.html');
  await expect.poll(() => watch.console.some((l) => l.includes('[tacit] the Tacit script is on this page twice'))).toBe(true);
  await page.click('#add');
  await expect.poll(async () => (await stored(page)).map((e) => [e.type, e.itemId, e.source])).toEqual([
    ['view_item', 'queued-1', undefined],
    ['view_item', 'D-1', 'jsonld'],
    ['add_to_cart', 'D-1', 'attribute'],
  ]);
  expect(events).toHaveLength(2);
});

test('capture off: data-capture="off" records only explicit calls', async ({ page }) => {
  await page.goto('/fixtures/capture/configurable.html?product=OFF-1&capture=off');
  await scriptTagReady(page);
  await page.waitForTimeout(2600);
  expect(await stored(page)).toEqual([]);
});

test('ES module: startCapture(tacit) is an opt-in that loads capture on demand', async ({ page, watch }) => {
  const esmHistory = () => page.evaluate(() => (window as unknown as { esmTacit: TacitApi }).esmTacit.history());
  await page.goto('/fixtures/capture/esm.html?capture=off');
  await page.waitForFunction(() => 'esmTacit' in window);
  await page.waitForTimeout(2600);
  expect(await esmHistory()).toEqual([]);
  await page.goto('/fixtures/capture/esm.html');
  await page.waitForFunction(() => 'esmTacit' in window);
  await expect.poll(async () => (await esmHistory()).map(pick)).toEqual([{ type: 'view_item', itemId: 'ESM-1', price: 7.5, currency: 'CAD', availability: 'BackOrder', source: 'jsonld' }]);
  await page.waitForTimeout(2600);
  expect(await esmHistory()).toHaveLength(1);
  expect(watch.console.filter((l) => l.startsWith('error'))).toEqual([]);
});

test('a view the shop tracks itself is not recorded a second time by capture', async ({ page }) => {
  await page.addInitScript(() => {
    if (location.search.includes('SELF-1')) (window as unknown as { tacit: unknown[] }).tacit = [['track', { type: 'view_item', itemId: 'SELF-1', price: 3 }]];
  });
  await page.goto('/fixtures/capture/configurable.html?product=SELF-1');
  await scriptTagReady(page);
  await page.waitForTimeout(2600);
  expect((await stored(page)).map((e) => [e.type, e.itemId, e.source])).toEqual([['view_item', 'SELF-1', undefined]]);
  await page.goto('/fixtures/capture/configurable.html?product=OTHER-2'); // a new page: captured as usual
  await expect.poll(async () => (await stored(page)).map((e) => [e.itemId, e.source])).toEqual([
    ['SELF-1', undefined],
    ['OTHER-2', 'jsonld'],
  ]);
});
