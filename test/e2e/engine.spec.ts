/** The engine in the browser: tensor hygiene and the CPU fallback. */
import { chromium } from '@playwright/test';
import { test, expect, scriptTagReady } from './fixtures.js';
import { CDN, CHROMIUM_ARGS, CHROMIUM_PATH, SHOP } from './browser.js';

test('recommend() leaves no tensors behind: the count after 1,000 calls equals the count after 10', async ({ page }) => {
  await page.goto('/fixtures/delivery/slot.html?backend=webgl');
  await scriptTagReady(page);
  await page.evaluate(async () => {
    const t = window.tacit as import('../../src/standalone.js').TacitApi;
    await t.track({ type: 'view_item', itemId: '20' });
    if ((await t.backend()) !== 'webgl') throw new Error('this test needs the WebGL path');
    await t.recommend({ k: 10 });
    await t.propensity();
    for (let i = 0; i < 10; i++) await t.recommend({ k: 10 });
  });
  // The engine runs in a worker; its WebGL chunk, imported again in the worker's realm, is the same instance.
  expect(page.workers()).toHaveLength(1);
  const tensors = () => page.workers()[0]!.evaluate(async (url) => ((await import(/* @vite-ignore */ url)) as { numTensors(): number }).numTensors(), `${CDN}/sdk/tacit-webgl.js`);
  const after10 = await tensors();
  await page.evaluate(async () => {
    const t = window.tacit as import('../../src/standalone.js').TacitApi;
    for (let i = 0; i < 990; i++) {
      await t.recommend({ k: 10, context: [String((i % 194) + 1)] });
      if (i % 100 === 0) await t.propensity();
    }
  });
  const counts = { after10, after1000: await tensors() };
  expect(counts.after10).toBeGreaterThan(0);
  expect(counts.after1000).toBe(counts.after10);
});

test('with WebGL disabled, scoring falls back to the CPU backend and still recommends', async () => {
  // A separate browser: WebGL is a launch-time switch. Chromium's --disable-webgl and --disable-3d-apis
  // leave WebGL on OffscreenCanvas working (which tfjs uses); no GPU and no software rasterizer removes it all.
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, '--disable-gpu', '--disable-software-rasterizer'] });
  try {
    const page = await browser.newPage();
    const errors: string[] = [];
    const consoleLines: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    page.on('console', (m) => consoleLines.push(m.text()));
    await page.goto(`${SHOP}/product.html?id=30`);
    expect(await page.evaluate(() => !!new OffscreenCanvas(1, 1).getContext('webgl2') || !!document.createElement('canvas').getContext('webgl'))).toBe(false);
    await scriptTagReady(page);
    expect(await page.evaluate(() => (window.tacit as import('../../src/standalone.js').TacitApi).backend())).toBe('cpu');
    await expect(page.locator('#tacit-panel [data-testid=backend]')).toHaveText('cpu');
    await expect(page.locator('[data-testid=similar]')).toHaveAttribute('data-state', 'ready');
    const recs = await page.evaluate(() => (window.tacit as import('../../src/standalone.js').TacitApi).recommend({ k: 6 }));
    expect(recs).toHaveLength(6);
    expect(errors).toEqual([]);
    // One line from Tacit, and no stack traces from TensorFlow.js's own failed WebGL start.
    // `auto` finds out in the background, after the first answers: wait for the line, then count it.
    await expect.poll(() => consoleLines.filter((l) => l.includes('WebGL is unavailable')).length).toBe(1);
    expect(consoleLines.filter((l) => l.includes('Initialization of backend webgl failed'))).toEqual([]);
  } finally {
    await browser.close();
  }
});

test('webgl and cpu rank the same items for the same history', async ({ page }) => {
  await page.goto('/cart.html');
  await scriptTagReady(page);
  const lists = await page.evaluate(async (engineUrl) => {
    const engine = (await import(/* @vite-ignore */ engineUrl)) as typeof import('../../src/engine/index.js');
    const session = ['1', '2', '3', '40', '41'];
    const out: Record<string, string[]> = {};
    for (const backend of ['webgl', 'cpu'] as const) {
      const e = await engine.startEngine({ model: document.querySelector<HTMLScriptElement>('script[data-model]')!.dataset.model!, backend });
      out[e.backend] = (await e.recommend(session, 20, [])).map((r) => r.itemId);
      e.dispose();
    }
    return out;
  }, `${CDN}/sdk/tacit-engine.js`);
  expect(Object.keys(lists).sort()).toEqual(['cpu', 'webgl']);
  expect(lists.webgl).toHaveLength(20);
  // float16 weights, float32 math on both: the same 20 items; order may swap only between near-equal scores.
  expect([...lists.webgl!].sort()).toEqual([...lists.cpu!].sort());
});
