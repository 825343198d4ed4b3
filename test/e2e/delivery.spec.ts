/**
 * Model delivery under faults (docs/delivery.md). Each test serves a model folder built in the test through
 * `page.route` on the CDN, breaks one thing, and asserts: no uncaught error reached the page (the `watch`
 * fixture), what the slot shows (the model's ranking, the manifest's popularity list, or the merchant's own
 * markup), which requests went out, and that exactly one clear `[tacit]` console line was printed.
 *
 * Most tests score on the CPU backend (`backend=cpu`): they are about delivery, and WebGL on SwiftShader
 * costs seconds per page on a 2-core machine. WebGL is covered in delivery-tfjs.spec.ts.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from '@playwright/test';
import { test, expect, type PageWatch } from './fixtures.js';
import { publish, hostModel, testParts, tacitLines, cachedUrls, sri384, type Folder } from './pages/delivery/model-host.js';

type EsmWindow = Window & { esmTacit: import('../../src/index.js').Tacit };

interface SlotView {
  state: string;
  ids: string[];
  fallbackShown: boolean;
}

async function slot(page: Page): Promise<SlotView> {
  const el = page.locator('#slot');
  await expect(el).toHaveAttribute('data-state', /ready|empty/);
  return {
    state: (await el.getAttribute('data-state'))!,
    ids: await el.locator('li').evaluateAll((els) => els.map((e) => e.getAttribute('data-item-id')!)),
    fallbackShown: await el.locator('.merchant-fallback').isVisible(),
  };
}

/** Opens the script-tag slot page on `folder` and waits for the slot to settle. */
async function visit(page: Page, folder: Folder, params: Record<string, string> = {}): Promise<SlotView> {
  const q = new URLSearchParams({ model: folder.pointerUrl, backend: 'cpu', ...params });
  await page.goto(`/fixtures/delivery/slot.html?${q}`);
  return slot(page);
}

/** Waits for the `[tacit]` lines to settle and asserts there is exactly one, matching every pattern. */
async function oneLine(watch: PageWatch, ...patterns: (string | RegExp)[]): Promise<string> {
  await expect.poll(() => tacitLines(watch.console).length).toBeGreaterThan(0);
  await new Promise((r) => setTimeout(r, 500)); // a second line would come within this
  const lines = tacitLines(watch.console);
  expect(lines, 'exactly one [tacit] line').toHaveLength(1);
  for (const p of patterns) expect(lines[0]).toMatch(typeof p === 'string' ? new RegExp(p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) : p);
  return lines[0]!;
}

/** Waits until the verified model's three files are in the Cache API. */
async function cached(page: Page, folder: Folder): Promise<void> {
  await expect.poll(() => cachedUrls(page)).toEqual([folder.pointerUrl, folder.manifestUrl, folder.weightsUrl].sort());
}

const popularTop4 = (folder: Folder) => folder.manifest.popular.slice(0, 4);

test('a healthy model: three requests, a ranked slot, the files cached, no console line', async ({ page, watch }) => {
  const folder = await publish('healthy');
  const host = await hostModel(page, folder);
  const view = await visit(page, folder);
  expect(view.state).toBe('ready');
  expect(view.ids).toHaveLength(4);
  expect(view.ids).not.toEqual(popularTop4(folder)); // ranked by the model, not the fallback list
  expect(host.requests).toEqual(['GET latest.json', `GET ${folder.version}/manifest.json`, `GET ${folder.version}/weights.bin`]);
  await cached(page, folder);
  expect(tacitLines(watch.console)).toEqual([]);
});

test('404 on the weights: the manifest’s popularity list fills the slot, one message naming the file', async ({ page, watch }) => {
  const folder = await publish('w404');
  const host = await hostModel(page, folder);
  host.fault((path) => (path.endsWith('weights.bin') ? { status: 404 } : 'pass'));
  const view = await visit(page, folder);
  expect(view).toMatchObject({ state: 'ready', ids: popularTop4(folder) });
  expect(host.requests.filter((r) => r.endsWith('weights.bin'))).toHaveLength(1); // a 404 is not retried
  await oneLine(watch, 'warning: [tacit]', folder.weightsUrl, 'HTTP 404', 'popular items');
  expect(await cachedUrls(page)).toEqual([]); // nothing unverified is cached
});

test('404 on latest.json: the merchant’s markup stays, one message naming the file', async ({ page, watch }) => {
  const folder = await publish('p404');
  const host = await hostModel(page, folder);
  host.fault((path) => (path === 'latest.json' ? { status: 404 } : 'pass'));
  const view = await visit(page, folder);
  expect(view).toEqual({ state: 'empty', ids: [], fallbackShown: true });
  await oneLine(watch, 'error: [tacit] recommendations are off', folder.pointerUrl, 'HTTP 404');
});

test('500 on the manifest: three tries with backoff, then the merchant’s markup and one message', async ({ page, watch }) => {
  const folder = await publish('m500');
  const host = await hostModel(page, folder);
  host.fault((path) => (path.endsWith('manifest.json') ? { status: 500 } : 'pass'));
  const view = await visit(page, folder);
  expect(view).toEqual({ state: 'empty', ids: [], fallbackShown: true });
  expect(host.requests.filter((r) => r.endsWith('manifest.json'))).toHaveLength(3);
  await oneLine(watch, folder.manifestUrl, 'HTTP 500', '(3 tries)');
});

test('a 500 that recovers on the second try is invisible: ranked slot, no message', async ({ page, watch }) => {
  const folder = await publish('w500once');
  const host = await hostModel(page, folder);
  host.fault((path, attempt) => (path.endsWith('weights.bin') && attempt === 1 ? { status: 503 } : 'pass'));
  const view = await visit(page, folder);
  expect(view.state).toBe('ready');
  expect(view.ids).not.toEqual(popularTop4(folder));
  expect(host.requests.filter((r) => r.endsWith('weights.bin'))).toHaveLength(2);
  expect(tacitLines(watch.console)).toEqual([]);
});

test('a weights file that never answers times out, is retried, then the popularity list serves', async ({ page, watch }) => {
  const folder = await publish('hang');
  const host = await hostModel(page, folder);
  host.fault((path) => (path.endsWith('weights.bin') ? 'hang' : 'pass'));
  // The ES module takes `modelTimeoutMs` (default 10 s; the script tag uses the default).
  const q = new URLSearchParams({ model: folder.pointerUrl, backend: 'cpu', timeout: '700' });
  const t0 = Date.now();
  await page.goto(`/fixtures/delivery/esm.html?${q}`);
  const view = await slot(page);
  expect(view).toMatchObject({ state: 'ready', ids: popularTop4(folder) });
  expect(host.requests.filter((r) => r.endsWith('weights.bin'))).toHaveLength(3);
  expect(Date.now() - t0).toBeGreaterThan(3 * 700);
  await oneLine(watch, folder.weightsUrl, 'sent nothing for 700 ms', '(3 tries)', 'popular items');
});

test('a truncated weights file is refused by size; the popularity list serves', async ({ page, watch }) => {
  const folder = await publish('trunc');
  const host = await hostModel(page, folder);
  const full = folder.files.get(`${folder.version}/weights.bin`)!;
  host.fault((path) => (path.endsWith('weights.bin') ? { body: full.slice(0, full.byteLength - 100) } : 'pass'));
  const view = await visit(page, folder);
  expect(view).toMatchObject({ state: 'ready', ids: popularTop4(folder) });
  await oneLine(watch, folder.weightsUrl, `has ${full.byteLength - 100} bytes, its manifest says ${full.byteLength}`);
  expect(await cachedUrls(page)).toEqual([]);
});

test('a tampered weights file (one byte changed) is refused by its SHA-256; the popularity list serves', async ({ page, watch }) => {
  const folder = await publish('tamper');
  const host = await hostModel(page, folder);
  const bad = folder.files.get(`${folder.version}/weights.bin`)!.slice();
  bad[10] = bad[10]! ^ 0x40;
  host.fault((path) => (path.endsWith('weights.bin') ? { body: bad } : 'pass'));
  const view = await visit(page, folder);
  expect(view).toMatchObject({ state: 'ready', ids: popularTop4(folder) });
  await oneLine(watch, folder.weightsUrl, 'does not match its SHA-256', folder.manifest.files['weights.bin']!.sha256);
  expect(await cachedUrls(page)).toEqual([]);
});

test('a tampered manifest is refused by the pointer’s hash before any weight is fetched', async ({ page, watch }) => {
  const folder = await publish('tamperm');
  const host = await hostModel(page, folder);
  const m = { ...folder.manifest, popular: ['p1', 'p2', 'p3', 'p4'] };
  host.fault((path) => (path.endsWith('manifest.json') ? { body: new TextEncoder().encode(JSON.stringify(m)) } : 'pass'));
  const view = await visit(page, folder);
  expect(view).toEqual({ state: 'empty', ids: [], fallbackShown: true });
  expect(host.requests.some((r) => r.endsWith('weights.bin'))).toBe(false);
  await oneLine(watch, folder.manifestUrl, 'does not match its SHA-256');
});

test('a wrong tensor shape is refused from the manifest, naming the field, before the weights are fetched', async ({ page, watch }) => {
  // A consistent publish (every hash matches) whose item embeddings have 6 columns where dim says 8.
  const folder = await publish('shape', testParts(60, 6), (m) => {
    m.dim = 8;
  });
  const host = await hostModel(page, folder);
  const view = await visit(page, folder);
  expect(view).toEqual({ state: 'empty', ids: [], fallbackShown: true });
  expect(host.requests.some((r) => r.endsWith('weights.bin'))).toBe(false);
  await oneLine(watch, 'field "weightsManifest (tensor "items/query").shape" must be [60, 8], got [60, 6]');
});

test('NaN in the weights is refused after decoding, naming file, tensor and row; the popularity list serves', async ({ page, watch }) => {
  const folder = await publish('nan', testParts(), (_m, weights) => {
    // float16 NaN (0x7e00, little-endian) as item 7's third target value: target follows query (60 × 8 × 2 bytes).
    const at = 60 * 8 * 2 + (7 * 8 + 2) * 2;
    weights[at] = 0x00;
    weights[at + 1] = 0x7e;
  });
  await hostModel(page, folder);
  const view = await visit(page, folder);
  expect(view).toMatchObject({ state: 'ready', ids: popularTop4(folder) });
  await oneLine(watch, `model file "${folder.weightsUrl}"`, 'tensor "items/target" holds NaN at row 7, column 2');
  expect(await cachedUrls(page)).toEqual([]);
});

test('Infinity in float32 weights is refused the same way', async ({ page, watch }) => {
  const folder = await publish('inf', testParts(60, 8, 1, { quantization: 'float32' }), (_m, weights) => {
    new DataView(weights.buffer, weights.byteOffset).setFloat32((3 * 8 + 5) * 4, Infinity, true);
  });
  await hostModel(page, folder);
  const view = await visit(page, folder);
  expect(view).toMatchObject({ state: 'ready', ids: popularTop4(folder) });
  await oneLine(watch, 'tensor "items/query" holds Infinity at row 3, column 5');
});

test('a malformed manifest (matching its pointer hash) is refused as invalid JSON', async ({ page, watch }) => {
  const folder = await publish('malformed', testParts(), undefined, new TextEncoder().encode('{"format": "tacit-model", "schemaVersion": 1, '));
  await hostModel(page, folder);
  const view = await visit(page, folder);
  expect(view).toEqual({ state: 'empty', ids: [], fallbackShown: true });
  await oneLine(watch, `model manifest "${folder.manifestUrl}" is not valid JSON`);
});

test('a manifest that is valid JSON but misses a field is refused, naming the field', async ({ page, watch }) => {
  const folder = await publish('nofield', testParts(), (m) => {
    delete (m as Partial<typeof m>).encoder;
  });
  await hostModel(page, folder);
  const view = await visit(page, folder);
  expect(view.state).toBe('empty');
  await oneLine(watch, 'field "encoder" must be an object');
});

test('an unknown schema version on a first visit is refused with a clear message', async ({ page, watch }) => {
  const folder = await publish('schema2', testParts(), (m) => {
    m.schemaVersion = 2;
  });
  const host = await hostModel(page, folder);
  const view = await visit(page, folder);
  expect(view).toEqual({ state: 'empty', ids: [], fallbackShown: true });
  expect(host.requests.some((r) => r.endsWith('weights.bin'))).toBe(false);
  await oneLine(watch, 'schemaVersion 2 is not supported by this SDK (it reads 1)', 'upgrade the SDK');
});

test('an unknown schema version published later is refused and the previous good model keeps serving', async ({ page, watch }) => {
  const good = await publish('schema-later');
  const host = await hostModel(page, good);
  const q = new URLSearchParams({ model: good.pointerUrl, backend: 'cpu' });
  await page.goto(`/fixtures/delivery/esm.html?${q}`);
  const before = await slot(page);
  expect(before.state).toBe('ready');
  await cached(page, good);
  // The publisher ships a schema-2 model under the same pointer.
  host.serve(await publish('schema-later', testParts(60, 8, 2), (m) => void (m.schemaVersion = 2)));
  const result = await page.evaluate(() => (window as unknown as EsmWindow).esmTacit.update());
  expect(result).toEqual({ modelVersion: good.version, updated: false });
  const after = await page.evaluate(() => (window as unknown as EsmWindow).esmTacit.recommend({ k: 4 }));
  expect(after.map((r) => r.itemId)).toEqual(before.ids);
  await oneLine(watch, 'schemaVersion 2 is not supported', `keeping version ${good.version}`);
  await cached(page, good); // the cache still holds the good version, and only it
});

test('a 50 MB manifest is refused from its size without being read, hashed or parsed', async ({ page, watch }) => {
  const folder = await publish('huge');
  const host = await hostModel(page, folder);
  // A real HTTP server streams it (a page.route body would travel as one 67 MB DevTools message), counting
  // what it manages to send before the browser hangs up.
  const total = 50 * 1024 * 1024;
  let written = 0;
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': total, 'access-control-allow-origin': '*' });
    const chunk = Buffer.alloc(65536, 0x20);
    const pump = () => {
      while (written < total && !res.destroyed) {
        written += chunk.byteLength;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
      if (written >= total) res.end();
    };
    pump();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/manifest.json`;
    host.fault((path) => (path.endsWith('manifest.json') ? { continueTo: url } : 'pass'));
    const view = await visit(page, folder);
    expect(view).toEqual({ state: 'empty', ids: [], fallbackShown: true });
    // Refused from Content-Length, before the pointer's hash check: reading, hashing or parsing 50 MB was the cost.
    const line = await oneLine(watch, folder.manifestUrl, `is ${total} bytes, over the ${5 * 1024 * 1024}-byte limit`);
    expect(line).not.toContain('SHA-256');
    expect(written).toBeLessThan(total / 2);
  } finally {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
});

test('offline on the second visit: served from the Cache API with zero requests to the model host', async ({ context, page, watch }) => {
  const folder = await publish('offline');
  const host = await hostModel(context, folder);
  const first = await visit(page, folder);
  expect(first.state).toBe('ready');
  await cached(page, folder);
  await page.close();

  host.fault(() => 'abort'); // the model host is unreachable from now on
  const before = host.requests.length;
  const second = await context.newPage();
  const view = await visit(second, folder);
  expect(view).toEqual(first); // the same ranking, from the same verified files
  await new Promise((r) => setTimeout(r, 500)); // room for a (wrong) background request
  expect(host.requests.slice(before)).toEqual([]);
  expect(tacitLines(watch.console)).toEqual([]);

  // Later (past the 5-minute revalidation interval), still offline: one pointer check fails quietly. The
  // clock is moved by an init script, which reaches the page's realm only: this visit runs the engine on the
  // main thread (the same delivery code as in the worker).
  const third = await context.newPage();
  await third.addInitScript(() => {
    const now = Date.now;
    Date.now = () => now() + 6 * 60_000;
  });
  expect(await visit(third, folder, { thread: 'main' })).toEqual(first);
  await expect.poll(() => host.requests.slice(before)).toEqual(['GET latest.json', 'GET latest.json', 'GET latest.json']);
  expect(tacitLines(watch.console)).toEqual([]);
});

test('an update found on a visit is used on the next page load, never under a rendered slot; the old version leaves the cache', async ({ context, page, watch }) => {
  const v1 = await publish('update');
  const host = await hostModel(context, v1);
  const first = await visit(page, v1);
  await cached(page, v1);
  await page.close();

  const v2 = await publish('update', testParts(60, 8, 99));
  expect(v2.version).not.toBe(v1.version);
  host.serve(v2);
  const before = host.requests.length;
  // Second visit, 6 minutes later: the cached v1 serves at once; the pointer is revalidated in the background.
  // (The moved clock reaches the page's realm only: the engine runs on the main thread for this visit.)
  const second = await context.newPage();
  await second.addInitScript(() => {
    const now = Date.now;
    Date.now = () => now() + 6 * 60_000;
  });
  const during = await visit(second, v1, { thread: 'main' });
  expect(during).toEqual(first); // v1's ranking: the update does not change a rendered slot
  await cached(second, v2); // v2 verified and committed; v1's files removed
  expect(host.requests.slice(before)).toEqual(['GET latest.json', `GET ${v2.version}/manifest.json`, `GET ${v2.version}/weights.bin`]);
  expect(await second.locator('#slot li').evaluateAll((els) => els.map((e) => e.getAttribute('data-item-id')))).toEqual(first.ids);
  await second.close();

  // Third visit: v2, from the cache, with no download.
  const mid = host.requests.length;
  const third = await context.newPage();
  const after = await visit(third, v2);
  expect(after.state).toBe('ready');
  expect(after.ids).not.toEqual(first.ids);
  expect(host.requests.slice(mid)).toEqual([]);
  expect(tacitLines(watch.console)).toEqual([]);
});

test('tacit.update() switches to a new version between calls, and a rendered slot keeps what it shows', async ({ page, watch }) => {
  const v1 = await publish('update-now');
  const host = await hostModel(page, v1);
  const q = new URLSearchParams({ model: v1.pointerUrl, backend: 'cpu' });
  await page.goto(`/fixtures/delivery/esm.html?${q}`);
  const shown = await slot(page);
  const v2 = await publish('update-now', testParts(60, 8, 99));
  host.serve(v2);
  expect(await page.evaluate(() => (window as unknown as EsmWindow).esmTacit.update())).toEqual({ modelVersion: v2.version, updated: true });
  const next = await page.evaluate(() => (window as unknown as EsmWindow).esmTacit.recommend({ k: 4 }));
  expect(next.map((r) => r.itemId)).not.toEqual(shown.ids);
  expect((await slot(page)).ids).toEqual(shown.ids); // the page decides when to re-render
  await cached(page, v2);
  // A second update() finds nothing new.
  expect(await page.evaluate(() => (window as unknown as EsmWindow).esmTacit.update())).toEqual({ modelVersion: v2.version, updated: false });
  expect(tacitLines(watch.console)).toEqual([]);
});

test('data-model-integrity: a pointer that matches its pin loads', async ({ page, watch }) => {
  const folder = await publish('pinned');
  await hostModel(page, folder);
  const view = await visit(page, folder, { integrity: sri384(folder.files.get('latest.json')!) });
  expect(view.state).toBe('ready');
  expect(view.ids).not.toEqual(popularTop4(folder));
  expect(tacitLines(watch.console)).toEqual([]);
});

test('data-model-integrity: a pointer that does not match its pin is refused with one message naming the file', async ({ page, watch }) => {
  const pinned = await publish('pinned-bad');
  // The CDN serves another pointer (a compromised or misconfigured host) than the one the page pinned.
  const served = await publish('pinned-bad', testParts(60, 8, 5));
  const host = await hostModel(page, served);
  const view = await visit(page, pinned, { integrity: sri384(pinned.files.get('latest.json')!) });
  expect(view).toEqual({ state: 'empty', ids: [], fallbackShown: true });
  expect(host.requests).toEqual(['GET latest.json']); // nothing else is read
  await oneLine(watch, pinned.pointerUrl, 'does not match its integrity pin');
});

test('a malformed integrity value is a configuration error: reported once, nothing fetched, the markup stays', async ({ page, watch }) => {
  const folder = await publish('pinned-typo');
  const host = await hostModel(page, folder);
  const q = new URLSearchParams({ model: folder.pointerUrl, backend: 'cpu', integrity: 'sha384:abc' });
  await page.goto(`/fixtures/delivery/slot.html?${q}`);
  // As with any invalid data-* configuration, the script tag does not install: queued calls stay queued.
  await oneLine(watch, 'error: [tacit]', '"modelIntegrity" must be an integrity value');
  expect(await page.locator('#slot .merchant-fallback').isVisible()).toBe(true);
  expect(host.requests).toEqual([]);
});

test('two Tacit instances on one page share one fetch per file (engines on the main thread)', async ({ page, watch }) => {
  // In a worker each instance has its own engine and its own fetches (docs/engine.md); on the main thread
  // they share the page's module and its in-flight requests.
  const folder = await publish('shared');
  const host = await hostModel(page, folder);
  const q = new URLSearchParams({ model: folder.pointerUrl, backend: 'cpu', thread: 'main' });
  await page.goto(`/fixtures/delivery/esm.html?${q}`);
  await slot(page);
  await cached(page, folder);
  const second = await page.evaluate(async (model) => {
    await caches.delete('tacit-model-v1'); // so that both new instances go to the network, at the same time
    const { createTacit } = (await import(`${document.documentElement.dataset.cdn}/sdk/tacit.js`)) as typeof import('../../src/index.js');
    const a = createTacit({ model, backend: 'cpu', storage: 'memory', thread: 'main' });
    const b = createTacit({ model, backend: 'cpu', storage: 'memory', thread: 'main' });
    const [ra, rb] = await Promise.all([a.recommend({ k: 4 }), b.recommend({ k: 4 })]);
    return [ra.map((r) => r.itemId), rb.map((r) => r.itemId)];
  }, folder.pointerUrl);
  expect(second[0]).toEqual(second[1]);
  const counts = (suffix: string) => host.requests.filter((r) => r.endsWith(suffix)).length;
  // One load for the page's own instance, one shared by the two new ones.
  expect([counts('latest.json'), counts('manifest.json'), counts('weights.bin')]).toEqual([2, 2, 2]);
  expect(tacitLines(watch.console)).toEqual([]);
});
