/**
 * The on-device store in real Chromium, checked by reading IndexedDB directly: two tabs writing at once, the
 * cap and the retention period, the schema migration from Tacit 0.1's records, corrupted records, and
 * storage that is blocked or full (memory, one warning, recommendations still served, no page error).
 */
import type { Page } from '@playwright/test';
import type { TacitApi } from '../../src/standalone.js';
import { test, expect, scriptTagReady } from './fixtures.js';

const api = (page: Page) => ({
  history: () => page.evaluate(() => (window.tacit as TacitApi).history()),
  storage: () => page.evaluate(() => (window.tacit as TacitApi).storage()),
});

/** Every [key, value] in Tacit's database, read without the SDK; null when the database does not exist. */
function rawStore(page: Page): Promise<[string, unknown][] | null> {
  return page.evaluate(async () => {
    if (!(await indexedDB.databases()).some((d) => d.name === 'tacit')) return null;
    const db = await new Promise<IDBDatabase>((ok, fail) => {
      const r = indexedDB.open('tacit');
      r.onsuccess = () => ok(r.result);
      r.onerror = () => fail(r.error);
    });
    const tx = db.transaction('events');
    const get = <T,>(r: IDBRequest<T>) => new Promise<T>((ok, fail) => ((r.onsuccess = () => ok(r.result)), (r.onerror = () => fail(r.error))));
    const [keys, values] = await Promise.all([get(tx.objectStore('events').getAllKeys()), get(tx.objectStore('events').getAll())]);
    db.close();
    return keys.map((k, i) => [String(k), values[i]] as [string, unknown]);
  });
}

/** Writes records straight into the database (creating it as Tacit 0.1 / idb-keyval did), from a page without the SDK. */
function seed(page: Page, rows: [string, unknown][]): Promise<void> {
  return page.evaluate(async (rows) => {
    const db = await new Promise<IDBDatabase>((ok, fail) => {
      const r = indexedDB.open('tacit');
      r.onupgradeneeded = () => r.result.createObjectStore('events');
      r.onsuccess = () => ok(r.result);
      r.onerror = () => fail(r.error);
    });
    const tx = db.transaction('events', 'readwrite');
    for (const [k, v] of rows) tx.objectStore('events').put(v, k);
    await new Promise((ok, fail) => ((tx.oncomplete = ok), (tx.onerror = fail)));
    db.close();
  }, rows);
}

const timeKey = (ts: number) => Math.floor(ts).toString(36).padStart(9, '0');
const DAY = 86_400_000;

async function open(page: Page, query = '') {
  await page.goto(`/fixtures/capture/configurable.html${query}`);
  await scriptTagReady(page);
}

test('two tabs writing 500 events each, at the same time, end with exactly 1,000 stored', async ({ context, watch }) => {
  test.setTimeout(180_000);
  const [a, b] = [await context.newPage(), await context.newPage()];
  await Promise.all([open(a), open(b)]);
  const write = (page: Page, tab: string) =>
    page.evaluate(async (tab) => {
      const t = window.tacit as TacitApi;
      for (let i = 0; i < 500; i++) await t.track({ type: 'view_item', itemId: `${tab}-${i}` });
    }, tab);
  await Promise.all([write(a, 'a'), write(b, 'b')]);
  const rows = (await rawStore(a))!.filter(([k]) => k !== '#meta');
  expect(rows).toHaveLength(1000);
  const ids = rows.map(([, v]) => (v as { itemId: string }).itemId);
  expect(new Set(ids).size).toBe(1000);
  for (const tab of ['a', 'b']) for (let i = 0; i < 500; i++) expect(ids).toContain(`${tab}-${i}`);
  expect(await api(a).history()).toHaveLength(1000);
  expect(await api(b).history()).toHaveLength(1000);
  expect(watch.console.filter((l) => l.includes('[tacit]'))).toEqual([]);
});

test('the cap is configurable (data-max-events) and enforced in storage, oldest first', async ({ page }) => {
  await open(page, '?max-events=50');
  await page.evaluate(async () => {
    const t = window.tacit as TacitApi;
    for (let i = 0; i < 80; i++) await t.track({ type: 'view_item', itemId: `e-${i}` });
  });
  expect((await api(page).history()).map((e) => e.itemId)).toEqual(Array.from({ length: 50 }, (_, i) => `e-${i + 30}`));
  expect((await rawStore(page))!.filter(([k]) => k !== '#meta')).toHaveLength(50);
});

test('the retention period is configurable (data-retention-days): older events are not returned, then deleted', async ({ page }) => {
  await open(page);
  const now = Date.now();
  await seed(page, [
    [`${timeKey(now - 3 * DAY)}-0001-seeded`, { v: 1, type: 'view_item', ts: now - 3 * DAY, itemId: 'three-days-old' }],
    [`${timeKey(now - DAY / 2)}-0001-seeded`, { v: 1, type: 'view_item', ts: now - DAY / 2, itemId: 'half-a-day-old' }],
  ]);
  await open(page, '?retention-days=2');
  expect((await api(page).history()).map((e) => e.itemId)).toEqual(['half-a-day-old']);
  await page.evaluate(() => (window.tacit as TacitApi).track({ type: 'view_item', itemId: 'new' }));
  const ids = (await rawStore(page))!.filter(([k]) => k !== '#meta').map(([, v]) => (v as { itemId: string }).itemId);
  expect(ids).toEqual(['half-a-day-old', 'new']);
});

test('records from Tacit 0.1 (no schema version) are migrated once; invalid ones are dropped', async ({ page, watch }) => {
  await page.goto('/fixtures/capture/no-such-page'); // same origin, no SDK
  const now = Date.now();
  await seed(page, [
    [`${timeKey(now - 2000)}-0001-abc123`, { type: 'view_item', ts: now - 2000, itemId: '7' }],
    [`${timeKey(now - 1000)}-0002-abc123`, { type: 'add_to_cart', ts: now - 1000, itemId: '7', quantity: 1 }],
    [`${timeKey(now - 900)}-0003-abc123`, { type: 'Product Viewed', ts: now - 900, itemId: '8' }],
    [`${timeKey(now - 800)}-0004-abc123`, 'not an event'],
  ]);
  await open(page);
  expect((await api(page).history()).map((e) => [e.type, e.itemId])).toEqual([
    ['view_item', '7'],
    ['add_to_cart', '7'],
  ]);
  const raw = (await rawStore(page))!;
  expect(raw.find(([k]) => k === '#meta')?.[1]).toEqual({ schema: 1 });
  const events = raw.filter(([k]) => k !== '#meta').map(([, v]) => v as { v: number; itemId: string });
  expect(events).toHaveLength(2);
  expect(events.every((e) => e.v === 1)).toBe(true);
  expect(watch.console.filter((l) => l.includes('[tacit]'))).toEqual([]);
});

test('a corrupted record is skipped and removed with one warning; the rest of the history stays', async ({ page, watch }) => {
  await open(page);
  await page.evaluate(() => (window.tacit as TacitApi).track({ type: 'view_item', itemId: 'good' }));
  const now = Date.now();
  await seed(page, [
    [`${timeKey(now)}-zzz1-corrupt`, { v: 1, type: 'view_item', ts: now, itemId: 5 }],
    [`${timeKey(now)}-zzz2-corrupt`, { v: 1, type: 'purchase', ts: now, itemId: 'x', price: -1 }],
  ]);
  expect((await api(page).history()).map((e) => e.itemId)).toEqual(['good']);
  expect((await api(page).history()).map((e) => e.itemId)).toEqual(['good']);
  await expect.poll(async () => (await rawStore(page))!.filter(([k]) => k.includes('corrupt'))).toEqual([]);
  expect(await api(page).storage()).toBe('indexeddb');
  expect(watch.console.filter((l) => l.includes('[tacit]'))).toEqual(['warning: [tacit] ignored and removed 2 unreadable record(s) in the on-device history']);
});

test('blocked IndexedDB (indexedDB.open throws): memory, one warning, recommendations still served', async ({ page, watch }) => {
  await page.addInitScript(() => {
    IDBFactory.prototype.open = () => {
      throw new DOMException('The user denied permission to access the database.', 'SecurityError');
    };
  });
  await open(page, '?product=2');
  await expect.poll(async () => (await api(page).history()).map((e) => e.itemId)).toEqual(['2']);
  expect(await api(page).storage()).toBe('memory');
  const recs = await page.evaluate(() => (window.tacit as TacitApi).recommend({ k: 4, exclude: ['2'] }));
  expect(recs).toHaveLength(4);
  const similar = await page.evaluate(() => (window.tacit as TacitApi).recommend({ k: 3, context: ['2'] }));
  expect(similar).toHaveLength(3);
  await page.evaluate(() => (window.tacit as TacitApi).forget());
  const warnings = watch.console.filter((l) => l.includes('[tacit]') && l.includes('IndexedDB'));
  expect(warnings).toHaveLength(1);
  expect(warnings[0]).toMatch(/^warning: \[tacit\] IndexedDB is unavailable \(.*denied permission.*\); keeping history in memory/);
});

test('quota exceeded while writing: memory from then on, one warning, nothing thrown, nothing lost for the page', async ({ page, watch }) => {
  await page.addInitScript(() => {
    const put = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = function (value: unknown, key?: IDBValidKey) {
      if (typeof value === 'object' && value !== null && 'type' in value) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      return put.call(this, value, key);
    };
  });
  await open(page, '?product=5');
  await expect.poll(async () => (await api(page).history()).map((e) => e.itemId)).toEqual(['5']);
  await page.evaluate(async () => {
    const t = window.tacit as TacitApi;
    for (let i = 0; i < 20; i++) await t.track({ type: 'view_item', itemId: String(10 + i) });
  });
  expect(await api(page).history()).toHaveLength(21);
  expect(await api(page).storage()).toBe('memory');
  const warnings = watch.console.filter((l) => l.includes('[tacit]'));
  expect(warnings).toHaveLength(1);
  expect(warnings[0]).toContain('quota');
  expect((await rawStore(page))!.filter(([k]) => k !== '#meta')).toEqual([]);
});
