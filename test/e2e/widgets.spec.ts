/**
 * <tacit-recommendations> on the built bundle (script tag, tacit-widgets.js loaded lazily): cards from the
 * catalog feed, no layout shift when they replace the reserved fallback, the fallback kept (model 404, a
 * hanging CDN past the deadline, storage blocked), a hostile feed rendered as inert text, no request that
 * depends on the items shown, and request logs identical for two different shoppers.
 */
import type { Page } from '@playwright/test';
import { chromium } from '@playwright/test';
import { test, expect, recordTraffic, expectSameSdkRequests } from './fixtures.js';
import { publishSealed, hostModel, testParts } from './pages/delivery/model-host.js';
import { CDN, CHROMIUM_ARGS, CHROMIUM_PATH, SHOP } from './browser.js';
import type { Card } from '../../src/widgets/types.js';

type Announced = { type: 'tacit:render'; detail: { items: Card[] } } | { type: 'tacit:fallback'; detail: { reason: string } };
type WidgetWindow = Window & { widgetEvents: Announced[] };

const utf8 = new TextEncoder();

async function visit(page: Page, params: Record<string, string>): Promise<Announced> {
  await page.goto(`/fixtures/widgets/slot.html?${new URLSearchParams({ backend: 'cpu', ...params })}`);
  await expect.poll(() => page.evaluate(() => (window as unknown as WidgetWindow).widgetEvents?.length ?? 0)).toBeGreaterThan(0);
  return page.evaluate(() => (window as unknown as WidgetWindow).widgetEvents[0]!);
}

const fallbackIntact = async (page: Page) => {
  await expect(page.locator('#slot > .merchant-fallback')).toHaveText('Our bestsellers, picked by the shop.');
  await expect(page.locator('#slot .tacit-card')).toHaveCount(0);
  await expect(page.locator('#slot')).toHaveAttribute('data-state', 'fallback');
};

/** A test model of items p0…p59 with a feed written as raw JSON (not cleaned by the writer: the browser must clean it). */
async function modelWithFeed(name: string, items: unknown[]) {
  const catalog = utf8.encode(JSON.stringify({ format: 'tacit-catalog', schemaVersion: 1, currency: 'EUR', items }));
  return publishSealed(name, testParts(60, 8, 1, { catalog }));
}

const plainFeed = () => Array.from({ length: 60 }, (_, i) => ({ id: `p${i}`, name: `Product ${i}`, url: `/p/${i}`, price: 10 + i }));

test('a plain page with the script tag and <tacit-recommendations k="4"> renders four cards from the catalog feed', async ({ page }) => {
  const feed = new Map<string, { name: string; price: number }>();
  const pointer = (await (await page.request.get(`${CDN}/models/demo/latest.json`)).json()) as { manifest: string };
  const version = pointer.manifest.split('/')[0];
  const demoFeed = (await (await page.request.get(`${CDN}/models/demo/${version}/catalog.json`)).json()) as { items: { id: string; name: string; price: number }[] };
  for (const it of demoFeed.items) feed.set(it.id, it);

  const first = await visit(page, { k: '4', track: '121,122,123' });
  expect(first.type).toBe('tacit:render');
  const cards = page.locator('#slot .tacit-card');
  await expect(cards).toHaveCount(4);
  const shown = await cards.evaluateAll((els) => els.map((e) => ({ id: e.getAttribute('data-item-id')!, name: e.querySelector('[data-tacit=name]')!.textContent, price: e.querySelector('[data-tacit=price]')!.textContent })));
  for (const card of shown) {
    expect(card.name).toBe(feed.get(card.id)!.name);
    expect(card.price).toBe(new Intl.NumberFormat('en', { style: 'currency', currency: 'USD' }).format(feed.get(card.id)!.price));
  }
  expect((first as { detail: { items: Card[] } }).detail.items.map((c) => c.id)).toEqual(shown.map((c) => c.id));
  await expect(page.locator('#slot > h2')).toHaveText('Picked for you');
  await expect(page.locator('#slot > .merchant-fallback')).toHaveCount(0);
});

test('no layout shift: the slot in the first viewport, space reserved as the README says, CLS = 0', async ({ page }) => {
  await page.addInitScript(() => {
    const w = window as unknown as { cls: number; shifts: string[] };
    w.cls = 0;
    w.shifts = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries() as (PerformanceEntry & { value: number; hadRecentInput: boolean; sources?: { node?: Node }[] })[]) {
        if (e.hadRecentInput) continue;
        w.cls += e.value;
        w.shifts.push((e.sources ?? []).map((s) => (s.node as Element | undefined)?.nodeName ?? '?').join(','));
      }
    }).observe({ type: 'layout-shift', buffered: true });
  });
  const got = await visit(page, { k: '4', track: '121,122,123' });
  expect(got.type).toBe('tacit:render');
  const box = await page.locator('#slot').boundingBox();
  expect(box!.y + box!.height).toBeLessThan(page.viewportSize()!.height); // in the first viewport
  // Let the browser paint the cards and report any shift (entries are queued after the frame).
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 100)))));
  const { cls, shifts } = await page.evaluate(() => {
    const w = window as unknown as { cls: number; shifts: string[] };
    return { cls: w.cls, shifts: w.shifts };
  });
  expect(shifts).toEqual([]);
  expect(cls).toBe(0);
});

test('the model 404s: the fallback stays untouched', async ({ page, watch }) => {
  const folder = await modelWithFeed('w404', plainFeed());
  const host = await hostModel(page, folder);
  host.fault((path) => (path === 'latest.json' ? { status: 404 } : 'pass'));
  const got = await visit(page, { model: folder.pointerUrl, track: 'p1,p2' });
  expect(got).toEqual({ type: 'tacit:fallback', detail: { reason: 'empty' } });
  await fallbackIntact(page);
  expect(watch.console.some((l) => l.includes('[tacit]') && l.includes('404'))).toBe(true);
});

test('a hanging CDN: the fallback is kept at the deadline, for good on this page view', async ({ page }) => {
  const folder = await modelWithFeed('hang', plainFeed());
  const host = await hostModel(page, folder);
  host.fault(() => 'hang');
  const got = await visit(page, { model: folder.pointerUrl, track: 'p1,p2' });
  expect(got).toEqual({ type: 'tacit:fallback', detail: { reason: 'timeout' } });
  await fallbackIntact(page);
  // The CDN recovers; this page view keeps its fallback (nothing pops in under the shopper's eyes).
  host.fault(() => 'pass');
  await page.evaluate(() => (document.getElementById('slot') as HTMLElement & { refresh(): Promise<void> }).refresh());
  await fallbackIntact(page);
});

test('storage blocked and no history: the fallback stays', async ({ page }) => {
  await page.addInitScript(() => {
    IDBFactory.prototype.open = () => {
      throw new DOMException('The user denied permission to access the database.', 'SecurityError');
    };
  });
  const got = await visit(page, { k: '4' });
  expect(got).toEqual({ type: 'tacit:fallback', detail: { reason: 'empty' } });
  await fallbackIntact(page);
});

test('a hostile feed renders as inert text: markup in names, javascript: URLs, 10 kB names, a <script> in the template', async ({ page }) => {
  const items = plainFeed().map((it, i) => ({
    ...it,
    name: i % 3 === 0 ? `<img src=x onerror="window.pwned=1">${'A'.repeat(10_000)}` : `<script>window.pwned=2</script>Item ${i}`,
    url: i % 2 ? 'javascript:window.pwned=3' : ' JaVa\nScRiPt:window.pwned=4',
    image: 'javascript:window.pwned=5',
  }));
  const folder = await modelWithFeed('hostile', items);
  await hostModel(page, folder);
  await page.goto(`/fixtures/widgets/slot.html?${new URLSearchParams({ backend: 'cpu', model: folder.pointerUrl, track: 'p1,p2,p3', k: '6' })}`);
  // A merchant template whose fields sit on elements that must never take a URL from the feed.
  await page.evaluate(() => {
    const t = document.createElement('template');
    t.innerHTML = '<a data-tacit="url"><b data-tacit="name"></b></a><script data-tacit="image"></script><iframe data-tacit="url"></iframe><img data-tacit="image" alt="">';
    document.getElementById('slot')!.prepend(t);
  });
  await expect(page.locator('#slot .tacit-card')).toHaveCount(6);
  const names = await page.locator('#slot .tacit-card b').allTextContents();
  expect(names.some((n) => n.startsWith('<img src=x onerror='))).toBe(true);
  expect(names.some((n) => n.startsWith('<script>'))).toBe(true);
  for (const n of names) expect(Array.from(n).length).toBeLessThanOrEqual(200);
  const inside = await page.locator('#slot .tacit-card').evaluateAll((els) => ({
    tags: [...new Set(els.flatMap((e) => [...e.querySelectorAll('*')].map((x) => x.localName)))].sort(),
    urls: els.flatMap((e) => [...e.querySelectorAll('[href],[src]')].map((x) => x.getAttribute('href') ?? x.getAttribute('src'))),
  }));
  expect(inside.tags).toEqual(['a', 'b', 'iframe', 'script']); // no <img> from the names; the unsafe image removed
  expect(inside.urls).toEqual([]);
  await page.locator('#slot .tacit-card a').first().click();
  expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
});

test('images: none by default (no request reveals what was shown), inlined images always, network images only with images="network"', async ({ page }) => {
  const pixel = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';
  const items = plainFeed().map((it, i) => ({ ...it, image: i % 2 ? `https://images.example/p${i}.png` : pixel }));
  const folder = await modelWithFeed('images', items);
  await hostModel(page, folder);
  const imageRequests: string[] = [];
  await page.route('https://images.example/**', (route) => (imageRequests.push(route.request().url()), route.fulfill({ status: 200, contentType: 'image/png', body: Buffer.from(pixel.split(',')[1]!, 'base64') })));
  const got = await visit(page, { model: folder.pointerUrl, track: 'p1,p2,p3', k: '8' });
  expect(got.type).toBe('tacit:render');
  const srcs = await page.locator('#slot .tacit-card img').evaluateAll((els) => els.map((e) => e.getAttribute('src')));
  expect(srcs.length).toBeGreaterThan(0);
  for (const s of srcs) expect(s).toBe(pixel);
  expect(imageRequests).toEqual([]);

  await visit(page, { model: folder.pointerUrl, track: 'p1,p2,p3', k: '8', images: 'network' });
  await expect.poll(() => imageRequests.length).toBeGreaterThan(0);
  const shownNetwork = await page.locator('#slot .tacit-card img').evaluateAll((els) => els.map((e) => e.getAttribute('src')!).filter((s) => s.startsWith('https:')));
  expect(shownNetwork.sort()).toEqual([...new Set(imageRequests)].sort());
});

test('two shoppers with different histories, a page with a widget: identical request logs', async () => {
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  try {
    const run = async (track: string) => {
      const context = await browser.newContext();
      const page = await context.newPage();
      const traffic = recordTraffic(page, CDN);
      const got = await visit(page, { track, k: '4' });
      const ids = got.type === 'tacit:render' ? got.detail.items.map((c) => c.id) : [];
      const sdk = await traffic.sdk();
      const hosts = traffic.hosts();
      await context.close();
      return { ids, sdk, hosts };
    };
    const a = await run('121,122,123');
    const b = await run('31,6,11');
    expect(a.ids).toHaveLength(4);
    expect(a.ids).not.toEqual(b.ids);
    expectSameSdkRequests(a.sdk, b.sdk);
    expect(a.sdk.some((l) => l.url.endsWith('/catalog.json'))).toBe(true);
    expect(a.sdk.some((l) => l.url.endsWith('/tacit-widgets.js'))).toBe(true);
    for (const r of [a, b]) expect(r.hosts.sort()).toEqual([CDN, SHOP].sort());
  } finally {
    await browser.close();
  }
});
