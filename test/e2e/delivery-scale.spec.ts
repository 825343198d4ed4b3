/**
 * Measurement, not a check: a 100,000-item catalog delivered through the real SDK, per quantization and
 * backend — bytes over the wire, and time to the first recommendation on a cold visit (network) and a warm
 * one (Cache API). Numbers for docs/delivery.md. Heavy (tens of MB per model, software WebGL), so it runs
 * only when asked:
 *
 *   TACIT_SCALE=1 npx playwright test test/e2e/delivery-scale.spec.ts --workers 1
 *
 * Optional: TACIT_SCALE_ITEMS (default 100000), TACIT_SCALE_DIM (default 64), TACIT_SCALE_BACKENDS
 * (default "cpu,webgl"). The model is served by `page.route` from memory on the same machine, so "cold"
 * here is the SDK's own cost (fetch through the browser's network stack, SHA-256, validation, decode,
 * upload, first query), not a real network's transfer time; docs/delivery.md adds transfer time per link
 * speed from the byte counts. Results go to stdout and test-results/delivery-scale.json.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { test, expect } from './fixtures.js';
import { publish, hostModel, testParts } from './pages/delivery/model-host.js';
import type { Quantization } from '../../src/model/encode.js';

const ITEMS = Number(process.env.TACIT_SCALE_ITEMS ?? 100_000);
const DIM = Number(process.env.TACIT_SCALE_DIM ?? 64);
const BACKENDS = (process.env.TACIT_SCALE_BACKENDS ?? 'cpu,webgl').split(',');

interface Row {
  quantization: Quantization;
  backend: string;
  items: number;
  dim: number;
  weightsBytes: number;
  manifestBytes: number;
  manifestGzipBytes: number;
  coldMs: number;
  warmMs: number;
  warmRequests: number;
}

test.skip(!process.env.TACIT_SCALE, 'measurement: set TACIT_SCALE=1 to run');

test(`delivery at scale: ${ITEMS} items × ${DIM} dims`, async ({ context }) => {
  test.setTimeout(30 * 60_000);
  const { gzipSync } = await import('node:zlib');
  const rows: Row[] = [];
  for (const quantization of ['float32', 'float16', 'uint8'] as Quantization[]) {
    // Realistic ids (12 characters) and a popularity list of 100.
    const parts = testParts(ITEMS, DIM, 7, { quantization });
    parts.items = parts.items.map((_, i) => `sku-${String(i).padStart(8, '0')}`);
    parts.popular = parts.items.slice(0, 100);
    const folder = await publish(`scale-${quantization}`, parts);
    const manifest = folder.files.get(`${folder.version}/manifest.json`)!;
    for (const backend of BACKENDS) {
      const host = await hostModel(context, folder);
      const q = new URLSearchParams({ model: folder.pointerUrl, backend });
      const time = async () => {
        const page = await context.newPage();
        await page.goto(`/fixtures/delivery/esm.html?${q}`);
        await expect(page.locator('#slot')).toHaveAttribute('data-state', 'ready', { timeout: 300_000 });
        const ms = await page.evaluate(() => (window as unknown as { firstRecommendationMs: number }).firstRecommendationMs);
        return { page, ms };
      };
      const cold = await time();
      await expect.poll(() => cold.page.evaluate(async () => (await (await caches.open('tacit-model-v1')).keys()).length), { timeout: 120_000 }).toBe(3);
      await cold.page.close();
      const before = host.requests.length;
      const warm = await time();
      rows.push({
        quantization,
        backend,
        items: ITEMS,
        dim: DIM,
        weightsBytes: folder.files.get(`${folder.version}/weights.bin`)!.byteLength,
        manifestBytes: manifest.byteLength,
        manifestGzipBytes: gzipSync(manifest).byteLength,
        coldMs: Math.round(cold.ms),
        warmMs: Math.round(warm.ms),
        warmRequests: host.requests.length - before,
      });
      await warm.page.evaluate(() => caches.delete('tacit-model-v1'));
      await warm.page.close();
      await context.unroute(`**/models/${folder.name}/**`);
      console.log(JSON.stringify(rows[rows.length - 1]));
    }
  }
  await mkdir('test-results', { recursive: true });
  await writeFile('test-results/delivery-scale.json', JSON.stringify(rows, null, 2) + '\n');
  console.table(rows);
  for (const r of rows) expect(r.warmRequests).toBe(0);
});
