/**
 * Consent and erasure, proved by reading the browser's storage directly (IndexedDB's database list and
 * contents, localStorage, sessionStorage, cookies): denied consent (configured, called, queued, or Global
 * Privacy Control) writes nothing and erases what was there, while recommendations keep working from the
 * page's own context; forget() leaves nothing behind, even with a second tab holding the database open.
 */
import type { Page } from '@playwright/test';
import type { TacitApi } from '../../src/standalone.js';
import { test, expect, scriptTagReady } from './fixtures.js';

const call = <T,>(page: Page, fn: (t: TacitApi) => Promise<T>) => page.evaluate(`(${fn.toString()})(window.tacit)`) as Promise<T>;

/** Everything the origin keeps that Tacit could have written. */
function footprint(page: Page) {
  return page.evaluate(async () => {
    const databases = (await indexedDB.databases()).map((d) => d.name);
    let records: unknown[] = [];
    if (databases.includes('tacit')) {
      const db = await new Promise<IDBDatabase>((ok, fail) => {
        const r = indexedDB.open('tacit');
        r.onsuccess = () => ok(r.result);
        r.onerror = () => fail(r.error);
      });
      if (db.objectStoreNames.contains('events')) {
        records = await new Promise<unknown[]>((ok) => {
          const r = db.transaction('events').objectStore('events').getAll();
          r.onsuccess = () => ok(r.result);
        });
      }
      db.close();
    }
    return { databases, records, localStorage: localStorage.length, sessionStorage: sessionStorage.length, cookies: document.cookie };
  });
}

const EMPTY = { databases: [], records: [], localStorage: 0, sessionStorage: 0, cookies: '' };

async function open(page: Page, query: string) {
  await page.goto(`/fixtures/capture/configurable.html${query}`);
  await scriptTagReady(page);
}

async function storeSomething(page: Page) {
  await open(page, '?product=1');
  await expect.poll(async () => (await call(page, (t) => t.history())).length).toBe(1);
  expect((await footprint(page)).records.length).toBeGreaterThan(0);
}

test('data-consent="denied": what was stored is erased, nothing is written, recommendations still work', async ({ page }) => {
  await storeSomething(page);
  await open(page, '?consent=denied&product=2');
  await expect.poll(async () => (await call(page, (t) => t.history())).map((e) => e.itemId)).toEqual(['2']);
  await call(page, (t) => t.track({ type: 'add_to_cart', itemId: '3' }));
  expect(await footprint(page)).toEqual(EMPTY);
  expect(await call(page, (t) => t.storage())).toBe('memory');
  // The page's own context (the product in view, the cart add) drives the recommendations.
  const recs = await call(page, (t) => t.recommend({ k: 4, exclude: ['2', '3'] }));
  expect(recs).toHaveLength(4);
  expect(await call(page, (t) => t.propensity())).not.toBeNull();
  // The next page, still denied, starts from nothing.
  await open(page, '?consent=denied');
  expect(await call(page, (t) => t.history())).toEqual([]);
  expect(await footprint(page)).toEqual(EMPTY);
});

test('consent("denied") at run time erases; consent("granted") stores only what comes after', async ({ page }) => {
  await storeSomething(page);
  await call(page, (t) => t.track({ type: 'view_item', itemId: 'a' }));
  await call(page, (t) => t.consent('denied'));
  expect(await footprint(page)).toEqual(EMPTY);
  await call(page, (t) => t.track({ type: 'view_item', itemId: 'b' }));
  expect((await call(page, (t) => t.history())).map((e) => e.itemId)).toEqual(['1', 'a', 'b']); // this page's context
  expect(await footprint(page)).toEqual(EMPTY);
  await call(page, (t) => t.consent('granted'));
  await call(page, (t) => t.track({ type: 'view_item', itemId: 'c' }));
  const stored = (await footprint(page)).records.map((r) => (r as { itemId?: string }).itemId).filter(Boolean);
  expect(stored).toEqual(['c']);
  expect(await call(page, (t) => t.storage())).toBe('indexeddb');
  // A value other than granted/denied is a programmer error: logged, nothing changes.
  await call(page, (t) => t.consent('maybe' as never));
});

test('a consent call queued before the script loads applies before anything is captured', async ({ page }) => {
  await storeSomething(page);
  await page.addInitScript(() => {
    (window as unknown as { tacit: unknown[] }).tacit = [['consent', 'denied']];
  });
  await open(page, '?product=9');
  await expect.poll(async () => (await call(page, (t) => t.history())).map((e) => e.itemId)).toEqual(['9']);
  expect(await footprint(page)).toEqual(EMPTY);
});

test('Global Privacy Control means denied unless the shop configured consent', async ({ page }) => {
  await storeSomething(page);
  await page.addInitScript(() => Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true, configurable: true }));
  await open(page, '?product=4');
  await expect.poll(async () => (await call(page, (t) => t.history())).map((e) => e.itemId)).toEqual(['4']);
  expect(await footprint(page)).toEqual(EMPTY);
  await open(page, '?consent=granted&product=5');
  await expect.poll(async () => (await footprint(page)).records.length).toBeGreaterThan(0);
});

test('forget() leaves nothing behind, even while another tab holds the database open', async ({ context }) => {
  const [a, b] = [await context.newPage(), await context.newPage()];
  await storeSomething(a);
  await open(b, '?product=6');
  await expect.poll(async () => (await call(b, (t) => t.history())).length).toBe(2);
  await call(a, (t) => t.forget());
  await expect.poll(() => footprint(a)).toEqual(EMPTY);
  expect(await call(a, (t) => t.history())).toEqual([]);
  // The other tab, whose connection was closed under it, keeps working and writes again.
  await call(b, (t) => t.track({ type: 'add_to_cart', itemId: '7' }));
  expect((await footprint(b)).records.map((r) => (r as { itemId?: string }).itemId).filter(Boolean)).toEqual(['7']);
});
