/**
 * The catalog feed (src/model/catalog.ts, src/trainer/catalog.ts, deliverCatalog in src/model/delivery.ts):
 * one cleaning shared by the writer and the reader (unsafe URLs dropped, text cut to the limits), the
 * trainer's field mapping and republishing with the same weights, and the browser's verified, cached read.
 */
import { describe, it, expect, afterEach, vi } from 'vitest';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { safeUrl, cleanCatalogItem, readCatalog, encodeCatalog, CatalogError, CATALOG_LIMITS } from '../../src/model/catalog.js';
import { validateManifest, ManifestError } from '../../src/model/format.js';
import { encodeModel } from '../../src/model/encode.js';
import { deliverCatalog } from '../../src/model/delivery.js';
import { IntegrityError } from '../../src/model/load.js';
import { parseProductRecords, toCatalogRecord, rebuildCatalog, catalogFor } from '../../src/trainer/catalog.js';
import { writeModelFolder, readModelFolder } from '../../src/trainer/folder.js';
import { main } from '../../src/trainer/cli.js';
import { smallParts, rejectsWith, throwsWith } from './helpers.js';

const utf8 = new TextEncoder();

describe('safeUrl', () => {
  it('keeps http(s) and relative URLs', () => {
    for (const u of ['https://shop.example/p/1', 'HTTP://shop.example/', '/p/1', 'p/1?x=1', '#top', '?id=2', '//cdn.example/a.png', 'product.html?id=1&a=b:c']) expect(safeUrl(u)).toBe(u);
  });
  it('drops every other scheme, control characters, backslashes and overlong URLs', () => {
    for (const u of ['javascript:alert(1)', ' JavaScript:alert(1)', 'java\nscript:alert(1)', 'jav\tascript:x', 'data:text/html,<b>', 'vbscript:x', 'file:///etc/passwd', 'blob:https://x/1', '\\\\evil.example', 'https://x/\u0000', 'x'.repeat(CATALOG_LIMITS.url + 1), '', 42, null]) {
      expect(safeUrl(u), String(u)).toBeUndefined();
    }
  });
  it('allows inline data:image URLs only where asked (images), and only real base64 images', () => {
    const png = 'data:image/png;base64,iVBORw0KGgo=';
    expect(safeUrl(png)).toBeUndefined();
    expect(safeUrl(png, CATALOG_LIMITS.image, true)).toBe(png);
    expect(safeUrl('data:image/svg+xml;base64,PHN2Zz4=', CATALOG_LIMITS.image, true)).toBeUndefined();
  });
});

describe('cleanCatalogItem and readCatalog', () => {
  it('keeps markup as plain text, cuts long text, drops unsafe URLs and out-of-range values', () => {
    const item = cleanCatalogItem({ id: 7, name: '<img src=x onerror=alert(1)>' + 'n'.repeat(10_000), url: 'javascript:alert(1)', image: 'data:text/html,x', price: -1, currency: 'euro', category: 'a\u0000b', availability: 'Maybe' });
    expect(item).toEqual({ id: '7', name: ('<img src=x onerror=alert(1)>' + 'n'.repeat(10_000)).slice(0, CATALOG_LIMITS.name), category: 'a b' });
  });
  it('drops items without id or name and reads nothing from the prototype', () => {
    expect(cleanCatalogItem({ id: 'a' })).toBeNull();
    expect(cleanCatalogItem({ name: 'x' })).toBeNull();
    expect(cleanCatalogItem(Object.create({ id: 'a', name: 'inherited' }))).toBeNull();
    const feed = readCatalog(JSON.parse('{"format":"tacit-catalog","schemaVersion":1,"items":[{"id":"__proto__","name":"p","__proto__":{"polluted":1}},{"id":"a","name":"A"},{"id":"a","name":"dup"}]}'));
    expect([...feed.items.keys()]).toEqual(['__proto__', 'a']);
    expect(feed.items.get('a')!.name).toBe('A');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
  it('refuses a file that is not a feed', () => {
    throwsWith(() => readCatalog({ format: 'x', schemaVersion: 1, items: [] }), CatalogError, '"format"');
    throwsWith(() => readCatalog({ format: 'tacit-catalog', schemaVersion: 2, items: [] }), CatalogError, 'schemaVersion 2');
    throwsWith(() => readCatalog({ format: 'tacit-catalog', schemaVersion: 1, items: {} }), CatalogError, '"items"');
  });
  it('encodeCatalog keeps the model items only, in model order, and says what it left out', () => {
    const { feed, missing, invalid } = encodeCatalog([{ id: 'b', name: 'B' }, { id: 'zz', name: 'not in the model' }, { id: 'a', name: 'A', price: 2 }, { id: 'c' }], ['a', 'b', 'c'], 'eur');
    expect(feed).toEqual({ format: 'tacit-catalog', schemaVersion: 1, currency: 'EUR', items: [{ id: 'a', name: 'A', price: 2 }, { id: 'b', name: 'B' }] });
    expect([missing, invalid]).toEqual([1, 1]);
  });
});

describe('the manifest lists the feed', () => {
  it('with its SHA-256 and size; a catalog name with a path or no file entry is refused', async () => {
    const feed = encodeCatalog([{ id: 'a', name: 'A' }], ['a', 'b', 'c', 'd', 'e']).bytes;
    const model = await encodeModel(smallParts({ catalog: feed }));
    expect(model.manifest.catalog).toBe('catalog.json');
    expect(model.manifest.files['catalog.json']!.bytes).toBe(feed.byteLength);
    expect(model.files.get('catalog.json')).toEqual(feed);
    throwsWith(() => validateManifest({ ...model.manifest, catalog: '../x.json' }), ManifestError, '"catalog"');
    throwsWith(() => validateManifest({ ...model.manifest, catalog: 'other.json' }), ManifestError, 'files["other.json"]');
    // Without a feed the manifest is what it always was.
    expect((await encodeModel(smallParts())).manifest.catalog).toBeUndefined();
  });
});

describe('the trainer side', () => {
  it('reads JSON arrays, {products}, and JSON lines, and maps the usual field names', () => {
    const lines = '{"id":1,"title":"One","price":"9.5","availabilityStatus":"In Stock","thumbnail":"https://img.example/1.png","product_type":"toys"}\n{"sku":"x","id":2,"name":"Two","link":"/p/2","availability":"https://schema.org/OutOfStock"}\n';
    const records = parseProductRecords(lines, 'f.jsonl')!;
    expect(records.map(toCatalogRecord).map(cleanCatalogItem)).toEqual([
      { id: '1', name: 'One', price: 9.5, image: 'https://img.example/1.png', category: 'toys', availability: 'InStock' },
      { id: '2', name: 'Two', url: '/p/2', availability: 'OutOfStock' },
    ]);
    expect(parseProductRecords('{"products":[{"id":3}]}', 'f')).toEqual([{ id: 3 }]);
    expect(parseProductRecords('id\n1\n', 'f')).toBeNull();
  });

  let dir = '';
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
    dir = '';
  });

  it('tacit catalog republishes the model with a new feed and the same weights, verified end to end', async () => {
    dir = await mkdtemp(join(tmpdir(), 'tacit-catalog-'));
    const first = await writeModelFolder(dir, smallParts({ catalog: catalogFor([{ id: 'a', name: 'Old name', price: 1 }], ['a', 'b', 'c', 'd', 'e']).bytes }));
    const products = join(dir, 'products.jsonl');
    await import('node:fs/promises').then((fs) => fs.writeFile(products, '{"id":"a","name":"New name","price":2,"url":"javascript:alert(1)"}\n{"id":"b","name":"B"}\n'));
    const code = await main(['catalog', dir, '--catalog', products, '--currency', 'eur']);
    expect(code).toBe(0);
    const read = await readModelFolder(dir);
    expect(read.manifest.modelVersion).not.toBe(first.manifest.modelVersion);
    expect(read.files.get('weights.bin')).toEqual(first.files.get('weights.bin'));
    const feed = readCatalog(JSON.parse(await readFile(join(dir, read.manifest.modelVersion, 'catalog.json'), 'utf8')));
    expect(feed.currency).toBe('EUR');
    expect([...feed.items.values()]).toEqual([{ id: 'a', name: 'New name', price: 2 }, { id: 'b', name: 'B' }]);
    await expect(rebuildCatalog(dir, join(dir, 'missing.json'))).rejects.toThrow(/cannot read/);
    expect(await main(['catalog', dir, '--catalog', products, '--currency', 'euros'])).toBe(2);
  });
});

describe('deliverCatalog (browser)', () => {
  afterEach(() => vi.unstubAllGlobals());

  async function setUp(tamper = false) {
    const feedBytes = encodeCatalog([{ id: 'a', name: 'A' }], ['a', 'b', 'c', 'd', 'e'], 'USD').bytes;
    const model = await encodeModel(smallParts({ catalog: feedBytes }));
    const requests: string[] = [];
    const served = tamper ? utf8.encode(new TextDecoder().decode(feedBytes).replace('"A"', '"B"')) : feedBytes;
    vi.stubGlobal('fetch', async (url: string) => {
      requests.push(url);
      return new Response(served.slice(), { status: 200 });
    });
    const stored = new Map<string, Uint8Array>();
    vi.stubGlobal('caches', {
      open: async () => ({
        match: async (url: string) => (stored.has(url) ? new Response(stored.get(url)!.slice()) : undefined),
        put: async (url: string, res: Response) => void stored.set(url, new Uint8Array(await res.arrayBuffer())),
      }),
    });
    const loaded = { manifest: model.manifest, manifestPath: `https://cdn.example/m/${model.manifest.modelVersion}/manifest.json` };
    return { loaded, requests, stored };
  }
  const net = { timeoutMs: 1000, retries: 0 };

  it('fetches the feed once, verifies it, caches it, then reads it from the cache with no request', async () => {
    const { loaded, requests, stored } = await setUp();
    const feed = await deliverCatalog(net, loaded);
    expect(feed!.currency).toBe('USD');
    expect(feed!.items.get('a')).toEqual({ id: 'a', name: 'A' });
    expect(requests).toEqual([loaded.manifestPath.replace('manifest.json', 'catalog.json')]);
    expect([...stored.keys()]).toEqual(requests);
    await deliverCatalog(net, loaded);
    expect(requests).toHaveLength(1);
  });
  it('refuses a feed that does not match its manifest, and is null (no request) for a model without one', async () => {
    const { loaded, requests } = await setUp(true);
    await rejectsWith(deliverCatalog(net, loaded), IntegrityError, 'catalog feed', 'SHA-256');
    const { catalog: _, ...without } = loaded.manifest;
    expect(await deliverCatalog(net, { ...loaded, manifest: without })).toBeNull();
    expect(requests).toHaveLength(1);
  });
});
