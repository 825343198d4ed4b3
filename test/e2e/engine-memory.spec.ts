/**
 * Memory inside the engine's worker (issue 11): 1,000 recommendations on WebGL leave the worker's
 * TensorFlow.js as it was after 10 — the same tensors, data buffers and bytes — and its texture pool within
 * the bound the WebGL scorer sets (the model's bytes plus 16 MB, webgl/index.ts). The counts are read
 * inside the worker: Playwright evaluates there and imports the WebGL chunk the engine imported (the same
 * module, so the same tfjs engine). The main thread's heap is checked by the soak test and `npm run bench`.
 */
import { test, expect } from './fixtures.js';
import { CDN } from './browser.js';

interface Mem {
  numTensors: number;
  numDataBuffers: number;
  numBytes: number;
  numBytesInGPUAllocated?: number;
}

test('1,000 WebGL recommendations in the worker leave its tensors, buffers and bytes as after 10, and the texture pool bounded', async ({ page }) => {
  test.setTimeout(180_000);
  // The script tag's own engine on the main thread, so that the one worker is the engine started here.
  await page.goto('/fixtures/delivery/slot.html?thread=main');
  await expect(page.locator('#slot')).toHaveAttribute('data-state', 'ready');
  const started = await page.evaluate(async (engineUrl) => {
    const engine = (await import(/* @vite-ignore */ engineUrl)) as typeof import('../../src/engine/index.js');
    const model = document.querySelector<HTMLScriptElement>('script[data-model]')!.dataset.model!;
    const e = await engine.startEngine({ model, backend: 'webgl', thread: 'worker', refreshMs: 1e9 });
    (window as unknown as { memEngine: typeof e }).memEngine = e;
    const items = e.manifest.items;
    (window as unknown as { memCalls(n: number): Promise<void> }).memCalls = async (n) => {
      for (let i = 0; i < n; i++) await e.recommend([items[i % items.length]!, items[(i * 7) % items.length]!], 20, []);
    };
    return { backend: e.backend, items: items.length, dim: e.manifest.dim };
  }, `${CDN}/sdk/tacit-engine.js`);
  expect(started.backend).toBe('webgl');
  expect(page.workers()).toHaveLength(1);
  const worker = page.workers()[0]!;
  const memory = () => worker.evaluate(async (url) => ((await import(/* @vite-ignore */ url)) as { tfMemory(): Mem }).tfMemory(), `${CDN}/sdk/tacit-webgl.js`);

  await page.evaluate(() => (window as unknown as { memCalls(n: number): Promise<void> }).memCalls(10));
  const after10 = await memory();
  await page.evaluate(() => (window as unknown as { memCalls(n: number): Promise<void> }).memCalls(1000));
  const after1010 = await memory();
  console.log(`worker tfjs memory after 10 / 1,010 calls: ${JSON.stringify(after10)} / ${JSON.stringify(after1010)}`);
  expect(await page.evaluate(() => (window as unknown as { memEngine: { backend: string } }).memEngine.backend)).toBe('webgl');

  // The model's target table (and bias) live on: more than nothing, and nothing more after 1,000 calls.
  expect(after10.numTensors).toBeGreaterThan(0);
  expect(after1010.numTensors).toBe(after10.numTensors);
  expect(after1010.numDataBuffers).toBe(after10.numDataBuffers);
  expect(after1010.numBytes).toBe(after10.numBytes);
  // Released textures are deleted past this bound instead of pooled for ever (tfjs's default).
  const bound = (started.items * started.dim + started.items) * 4 + 16 * 2 ** 20;
  expect(after1010.numBytesInGPUAllocated).toBeLessThanOrEqual(bound);
});
