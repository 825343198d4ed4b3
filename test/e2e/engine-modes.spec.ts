/**
 * The engine in a worker and on the main thread: the same answers on every backend, a clean fallback
 * where the page's policy forbids workers, and the privacy invariant in both modes.
 */
import { test, expect, scriptTagReady, recordTraffic, expectSameSdkRequests, backendChosen } from './fixtures.js';
import { CDN } from './browser.js';
import { tacitLines } from './pages/delivery/model-host.js';

type Api = import('../../src/standalone.js').TacitApi;

test('worker and main thread return the same top 20 on each backend', async ({ page }) => {
  await page.goto('/fixtures/delivery/slot.html');
  await scriptTagReady(page);
  const got = await page.evaluate(async (engineUrl) => {
    const engine = (await import(/* @vite-ignore */ engineUrl)) as typeof import('../../src/engine/index.js');
    const model = document.querySelector<HTMLScriptElement>('script[data-model]')!.dataset.model!;
    const session = ['1', '2', '3', '40', '41', '77'];
    const out: Record<string, { backend: string; ids: string[]; scores: number[] }> = {};
    for (const thread of ['worker', 'main'] as const) {
      for (const backend of ['webgl', 'cpu'] as const) {
        const e = await engine.startEngine({ model, backend, thread, refreshMs: 1e9 });
        const top = await e.recommend(session, 20, ['2']);
        out[`${thread}/${backend}`] = { backend: e.backend, ids: top.map((r) => r.itemId), scores: top.map((r) => r.score) };
        e.dispose();
      }
    }
    return out;
  }, `${CDN}/sdk/tacit-engine.js`);
  for (const backend of ['webgl', 'cpu']) {
    const w = got[`worker/${backend}`]!;
    const m = got[`main/${backend}`]!;
    expect([w.backend, m.backend]).toEqual([backend, backend]);
    expect(w.ids).toHaveLength(20);
    expect(w.ids).not.toContain('2');
    // The same code on the same backend: the same list, the same scores.
    expect(w.ids).toEqual(m.ids);
    expect(w.scores).toEqual(m.scores);
  }
  // And the two backends agree (float16 weights, float32 math): the same 20 items.
  expect([...got['worker/webgl']!.ids].sort()).toEqual([...got['worker/cpu']!.ids].sort());
});

test('the script tag runs the engine in a worker by default, and on the main thread with data-thread="main"', async ({ page, watch }) => {
  await page.goto('/fixtures/delivery/slot.html?backend=webgl');
  await scriptTagReady(page);
  await expect(page.locator('#slot')).toHaveAttribute('data-state', 'ready');
  expect(page.workers().length).toBe(1);
  expect(await page.evaluate(() => (window.tacit as Api).backend())).toBe('webgl');
  await page.goto('/fixtures/delivery/slot.html?thread=main');
  await scriptTagReady(page);
  await expect(page.locator('#slot')).toHaveAttribute('data-state', 'ready');
  expect(page.workers()).toEqual([]);
  expect(tacitLines(watch.console)).toEqual([]);
});

for (const thread of ['worker', 'main'] as const) {
  test(`two histories make the same SDK requests with the engine on the ${thread === 'worker' ? 'worker' : 'main thread'}`, async ({ browser }) => {
    const run = async (items: string[]) => {
      const context = await browser.newContext();
      const page = await context.newPage();
      const traffic = recordTraffic(page, CDN);
      await page.goto(`/fixtures/delivery/slot.html?thread=${thread}`);
      await scriptTagReady(page);
      for (const itemId of items) await page.evaluate((itemId) => (window.tacit as Api).track({ type: 'view_item', itemId }), itemId);
      const recs = await page.evaluate(() => (window.tacit as Api).recommend({ k: 8 }));
      await backendChosen(page);
      const workers = page.workers().length;
      const sdk = await traffic.sdk();
      await context.close();
      return { sdk, recs: recs.map((r) => r.itemId), workers, errors: traffic.errors };
    };
    const a = await run(['1', '2', '3']);
    const b = await run(['150', '151', '160', '170']);
    expect(a.recs).not.toEqual(b.recs);
    expect([a.workers, b.workers]).toEqual(thread === 'worker' ? [1, 1] : [0, 0]);
    expectSameSdkRequests(a.sdk, b.sdk);
    expect(a.sdk.some((l) => l.url.endsWith('/weights.bin'))).toBe(true);
    expect([...a.errors, ...b.errors]).toEqual([]);
  });
}

test('auto answers at once on the CPU, measures both backends on fixed probes, remembers the choice, and reuses it on the next visit', async ({ page }) => {
  const requested: string[] = [];
  page.on('request', (r) => requested.push(new URL(r.url()).pathname));
  const choice = () =>
    page.evaluate(async () => {
      const cache = await caches.open('tacit-backend-v1');
      const keys = await cache.keys();
      return Promise.all(keys.map(async (k) => ({ key: k.url, value: (await (await cache.match(k))!.json()) as { backend: string; medians: Record<string, number | null> } })));
    });
  await page.goto('/fixtures/delivery/slot.html');
  await scriptTagReady(page);
  await expect(page.locator('#slot')).toHaveAttribute('data-state', 'ready');
  await expect.poll(async () => (await choice()).length, { timeout: 60_000 }).toBe(1);
  const [first] = await choice();
  // Both candidates ran: real timings, and the kept one is the faster.
  expect(first!.value.medians.cpu).toBeGreaterThan(0);
  expect(first!.value.medians.webgl).toBeGreaterThan(0);
  const faster = first!.value.medians.webgl! < first!.value.medians.cpu! ? 'webgl' : 'cpu';
  expect(first!.value.backend).toBe(faster);
  await page.evaluate(() => (window.tacit as Api).recommend({ k: 4 })); // the answer carries the state
  expect(await page.evaluate(() => (window.tacit as Api).backend())).toBe(faster);
  // The next visit reuses the choice: nothing measured again, and the WebGL chunk is not even fetched
  // when the CPU was kept.
  requested.length = 0;
  await page.reload();
  await scriptTagReady(page);
  await expect(page.locator('#slot')).toHaveAttribute('data-state', 'ready');
  expect(await page.evaluate(() => (window.tacit as Api).backend())).toBe(faster);
  expect(await choice()).toEqual([first]);
  if (faster === 'cpu') expect(requested.filter((p) => p.endsWith('/tacit-webgl.js'))).toEqual([]);
});
