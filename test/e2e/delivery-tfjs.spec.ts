/**
 * Delivery meets the page it runs in: a WebGL context lost mid-session, a storefront that runs its own
 * TensorFlow.js (loaded before Tacit, or after), and a strict Content Security Policy. These use the demo
 * model from the test CDN, on WebGL (SwiftShader).
 */
import { readFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import { test, expect, scriptTagReady } from './fixtures.js';
import { CDN } from './browser.js';
import { tacitLines } from './pages/delivery/model-host.js';

type Api = import('../../src/standalone.js').TacitApi;
const api = (page: Page) => ({
  backend: () => page.evaluate(() => (window.tacit as Api).backend()),
  recommend: (k: number) => page.evaluate((k) => (window.tacit as Api).recommend({ k, context: ['1', '2', '3'] }), k),
  propensity: () => page.evaluate(() => (window.tacit as Api).propensity()),
});

async function slotReady(page: Page): Promise<string[]> {
  await expect(page.locator('#slot')).toHaveAttribute('data-state', 'ready');
  return page.locator('#slot li').evaluateAll((els) => els.map((e) => e.getAttribute('data-item-id')!));
}

/** Serves node_modules' tf.min.js (4.22) at /fixtures/delivery/vendor/tf.min.js, as a shop's own copy. */
async function routeHostTf(page: Page): Promise<void> {
  const body = await readFile(new URL('../../node_modules/@tensorflow/tfjs/dist/tf.min.js', import.meta.url));
  await page.route('**/fixtures/delivery/vendor/tf.min.js', (route) => route.fulfill({ status: 200, contentType: 'text/javascript', body }));
}

const tfNoise = (lines: string[]) => lines.filter((l) => /already registered|already been set|Overwriting|is already registered/i.test(l));

test('a WebGL context lost mid-session moves scoring to the CPU and keeps serving, with one message', async ({ page, watch }) => {
  await page.goto('/fixtures/delivery/slot.html?backend=webgl');
  await scriptTagReady(page);
  await slotReady(page);
  const t = api(page);
  expect(await t.backend()).toBe('webgl');
  const before = (await t.recommend(8)).map((r) => r.itemId);
  expect(before).toHaveLength(8);

  // The engine runs in a worker: lose the context there. The engine imported its WebGL chunk from this
  // URL, so importing it again in the worker's realm yields the same module instance.
  expect(page.workers()).toHaveLength(1);
  await page.workers()[0]!.evaluate(async (webglUrl) => {
    const webgl = (await import(/* @vite-ignore */ webglUrl)) as typeof import('../../src/engine/webgl/index.js');
    webgl.activeWebGLContext()!.getExtension('WEBGL_lose_context')!.loseContext();
  }, `${CDN}/sdk/tacit-webgl.js`);

  const after = (await t.recommend(8)).map((r) => r.itemId);
  expect(await t.backend()).toBe('cpu');
  // float16 weights, float32 math on both backends: the same items; order may swap only between near-equal scores.
  expect([...after].sort()).toEqual([...before].sort());
  expect((await t.propensity())?.probability).toBeGreaterThan(0);
  // Keeps serving: many calls later, still answers.
  for (let i = 0; i < 20; i++) expect(await t.recommend(4)).toHaveLength(4);
  expect(tacitLines(watch.console)).toEqual(['warning: [tacit] the WebGL context was lost; scoring moved to the CPU backend']);
});

test('a WebGL context lost while recommendations are being computed: those calls still answer, on the CPU', async ({ page, watch }) => {
  await page.goto('/fixtures/delivery/slot.html?backend=webgl');
  await scriptTagReady(page);
  await slotReady(page);
  const got = await page.evaluate(async ([engineUrl, webglUrl]) => {
    const engine = (await import(/* @vite-ignore */ engineUrl!)) as typeof import('../../src/engine/index.js');
    const webgl = (await import(/* @vite-ignore */ webglUrl!)) as typeof import('../../src/engine/webgl/index.js');
    const model = document.querySelector<HTMLScriptElement>('script[data-model]')!.dataset.model!;
    // On the main thread, where the page can reach the context (the test above loses it in the worker).
    const e = await engine.startEngine({ model, backend: 'webgl', thread: 'main', refreshMs: 1e9 });
    const gl = webgl.activeWebGLContext()!;
    // Each call has enqueued its GPU work and awaits the read-back when the context goes.
    const calls = Array.from({ length: 5 }, (_, i) => e.recommend([String(i + 1)], 4, []));
    gl.getExtension('WEBGL_lose_context')!.loseContext();
    const timeout = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 20_000));
    const lengths = await Promise.race([Promise.all(calls).then((lists) => lists.map((l) => l.length)), timeout]);
    return { lengths, backend: e.backend };
  }, [`${CDN}/sdk/tacit-engine.js`, `${CDN}/sdk/tacit-webgl.js`]);
  expect(got).toEqual({ lengths: [4, 4, 4, 4, 4], backend: 'cpu' });
  // The page's own instance runs in its worker, with a context of its own: it keeps WebGL.
  expect(await api(page).backend()).toBe('webgl');
  expect(tacitLines(watch.console)).toEqual(['warning: [tacit] the WebGL context was lost; scoring moved to the CPU backend']);
});

test('a storefront that loaded TensorFlow.js first: both work, neither changes the other, no "already registered" flood', async ({ page, watch }) => {
  await routeHostTf(page);
  await page.goto('/fixtures/delivery/host-tfjs.html?backend=webgl');
  const hostBefore = await page.evaluate(() => (window as unknown as { hostBefore: Promise<unknown> }).hostBefore);
  await scriptTagReady(page);
  const ids = await slotReady(page);
  expect(ids).toHaveLength(4);
  expect(await api(page).backend()).toBe('webgl');
  // The host's TensorFlow.js still has its own engine, backend and Tensor class (chained ops work).
  const hostAfter = await page.evaluate(() => (window as unknown as { hostRun(): Promise<unknown> }).hostRun());
  const expected = { backend: 'webgl', values: [8, 11, 16, 23], version: '4.22.0', numTensors: 0 };
  expect(hostBefore).toEqual(expected);
  expect(hostAfter).toEqual(expected);
  expect(await page.evaluate(() => (window as unknown as { tf: { engine(): unknown } }).tf.engine() === (window as unknown as { _tfengine: unknown })._tfengine)).toBe(true);
  expect(tfNoise(watch.console)).toEqual([]);
  expect(tacitLines(watch.console)).toEqual([]);
});

test('a storefront that loads TensorFlow.js after Tacit: both work, no "already registered" flood', async ({ page, watch }) => {
  await routeHostTf(page);
  await page.goto('/fixtures/delivery/slot.html?backend=webgl');
  await scriptTagReady(page);
  const ids = await slotReady(page);
  await page.addScriptTag({ url: '/fixtures/delivery/vendor/tf.min.js' });
  const host = await page.evaluate(async () => {
    const tf = (window as unknown as { tf: typeof import('@tensorflow/tfjs') }).tf;
    await tf.setBackend('cpu');
    const a = tf.tensor2d([1, 2, 3, 4], [2, 2]);
    const out = tf.tidy(() => a.matMul(a).add(1));
    const values = Array.from(await out.data());
    tf.dispose([a, out]);
    return { backend: tf.getBackend(), values, numTensors: tf.memory().numTensors };
  });
  expect(host).toEqual({ backend: 'cpu', values: [8, 11, 16, 23], numTensors: 0 });
  // Tacit is unaffected by the host's setBackend('cpu').
  expect(await api(page).backend()).toBe('webgl');
  const again = await page.evaluate(() => (window.tacit as Api).recommend({ k: 4 }));
  expect(again.map((r) => r.itemId)).toEqual(ids);
  expect(tfNoise(watch.console)).toEqual([]);
  expect(tacitLines(watch.console)).toEqual([]);
});

async function cspPage(page: Page, path: string): Promise<string[]> {
  const violations: string[] = [];
  await page.exposeFunction('reportViolation', (v: string) => violations.push(v));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => (window as unknown as { reportViolation(v: string): void }).reportViolation(`${e.effectiveDirective} ${e.blockedURI}`));
  });
  await page.goto(path);
  await scriptTagReady(page);
  expect(await slotReady(page)).toHaveLength(4);
  expect(await api(page).backend()).toBe('webgl');
  expect((await api(page).propensity())?.probability).toBeGreaterThan(0);
  return violations;
}

test('a strict Content Security Policy (no unsafe-eval, no inline script, no blob:) still gets recommendations on WebGL', async ({ page, watch }) => {
  const violations = await cspPage(page, '/fixtures/delivery/csp.html?backend=webgl');
  // The policy's `worker-src 'none'` refuses the engine's worker: the one report, and one line from Tacit;
  // the engine runs on the main thread. (Before the engine shipped only the kernels it runs, long.js, pulled
  // in through tfjs-core's string hashing, compiled a tiny WebAssembly module on load: a 'wasm-eval' report.)
  expect(violations.map((v) => v.split(' ')[0])).toEqual(['worker-src']);
  expect(page.workers()).toEqual([]);
  expect(tacitLines(watch.console)).toEqual([expect.stringMatching(/^warning: \[tacit\] the engine could not run in a worker \(.*\); it runs on the main thread$/)]);
});

test("the same policy with worker-src blob: (and 'wasm-unsafe-eval') runs the engine in its worker and reports nothing", async ({ page, watch }) => {
  expect(await cspPage(page, '/fixtures/delivery/csp-wasm.html?backend=webgl')).toEqual([]);
  expect(page.workers()).toHaveLength(1);
  expect(watch.console.filter((l) => /Content Security Policy/i.test(l))).toEqual([]);
  expect(tacitLines(watch.console)).toEqual([]);
});
