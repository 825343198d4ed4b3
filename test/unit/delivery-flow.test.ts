/**
 * Which model the browser starts with and how updates arrive (src/model/delivery.ts), with an in-memory
 * Cache API and a stubbed `fetch` serving a model folder: cached start with no request, revalidation at most
 * every `refreshMs`, a new version committed and the old one pruned, a refused version leaving the good one
 * in place, a corrupted cache entry falling back to the network, and what `ModelUnavailable` carries.
 */
import { describe, it, expect, beforeEach, afterEach, vi } from 'vitest';
import { encodeModel, pointerFor, type EncodedModel } from '../../src/model/encode.js';
import { deliverModel, refreshModel, ModelUnavailable, type DeliveryOptions } from '../../src/model/delivery.js';
import { CACHE_NAME } from '../../src/model/cache.js';
import { smallParts, rejectsWith, nodeSha256 } from './helpers.js';

const BASE = 'https://cdn.example/models/shop/';
const ENTRY = `${BASE}latest.json`;
const utf8 = new TextEncoder();

/** The CDN: path under BASE → bytes; every request logged. */
let cdn: Map<string, Uint8Array>;
let requests: string[];
/** The Cache API: one cache, url → { bytes, headers }. */
let stored: Map<string, { bytes: Uint8Array; headers: Headers }>;

function install() {
  requests = [];
  stored = new Map();
  vi.stubGlobal('fetch', async (url: string) => {
    requests.push(url.slice(BASE.length));
    const b = cdn.get(url.slice(BASE.length));
    return b ? new Response(b.slice(), { status: 200, headers: { 'content-length': String(b.byteLength) } }) : new Response('no', { status: 404 });
  });
  const cache = {
    async match(url: string) {
      const e = stored.get(url);
      return e ? new Response(e.bytes.slice(), { headers: e.headers }) : undefined;
    },
    async put(url: string, res: Response) {
      stored.set(url, { bytes: new Uint8Array(await res.arrayBuffer()), headers: res.headers });
    },
    async keys() {
      return [...stored.keys()].map((url) => ({ url }));
    },
    async delete(req: string | { url: string }) {
      return stored.delete(typeof req === 'string' ? req : req.url);
    },
  };
  vi.stubGlobal('caches', { open: async (name: string) => (expect(name).toBe(CACHE_NAME), cache) });
}

async function publish(model: EncodedModel, schemaVersion?: number): Promise<string> {
  const v = model.manifest.modelVersion;
  let manifest = model.files.get('manifest.json')!;
  if (schemaVersion !== undefined) manifest = utf8.encode(JSON.stringify({ ...model.manifest, schemaVersion }));
  cdn.set(`${v}/manifest.json`, manifest);
  cdn.set(`${v}/weights.bin`, model.files.get('weights.bin')!);
  cdn.set('latest.json', utf8.encode(JSON.stringify({ ...pointerFor(model), sha256: nodeSha256(manifest) })));
  return v;
}

const options = (more: Partial<DeliveryOptions> = {}): DeliveryOptions => ({ entry: ENTRY, timeoutMs: 1000, retries: 0, refreshMs: 60_000, ...more });
const committed = (v: string) => [ENTRY, `${BASE}${v}/manifest.json`, `${BASE}${v}/weights.bin`].sort();
const cachedUrls = () => [...stored.keys()].sort();
const waitFor = async (cond: () => boolean) => {
  for (let i = 0; i < 100 && !cond(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(cond()).toBe(true);
};

let v1: EncodedModel;
let v2: EncodedModel;

beforeEach(async () => {
  cdn = new Map();
  install();
  v1 = await encodeModel(smallParts());
  v2 = await encodeModel(smallParts({ popular: ['e', 'd', 'c', 'b', 'a'] }));
});
afterEach(() => vi.unstubAllGlobals());

describe('deliverModel', () => {
  it('loads from the network first, commits to the cache, then starts from the cache with no request', async () => {
    const version = await publish(v1);
    const first = await deliverModel(options());
    expect(first.from).toBe('network');
    expect(requests).toEqual(['latest.json', `${version}/manifest.json`, `${version}/weights.bin`]);
    await waitFor(() => cachedUrls().length === 3);
    expect(cachedUrls()).toEqual(committed(version));
    requests.length = 0;
    const second = await deliverModel(options());
    expect(second.from).toBe('cache');
    expect(second.model.manifest).toEqual(first.model.manifest);
    expect(requests).toEqual([]);
    expect([...second.arrays.keys()]).toEqual([...first.arrays.keys()]);
  });

  it('re-verifies cached files: a corrupted copy sends the load to the network, and the commit replaces it', async () => {
    const version = await publish(v1);
    await deliverModel(options());
    await waitFor(() => cachedUrls().length === 3);
    const weightsUrl = `${BASE}${version}/weights.bin`;
    stored.get(weightsUrl)!.bytes[3]! ^= 1;
    requests.length = 0;
    const again = await deliverModel(options());
    expect(again.from).toBe('network');
    expect(requests).toEqual(['latest.json', `${version}/manifest.json`, `${version}/weights.bin`]);
    await waitFor(() => stored.has(ENTRY) && nodeSha256(stored.get(weightsUrl)!.bytes) === v1.manifest.files['weights.bin']!.sha256);
    requests.length = 0;
    expect((await deliverModel(options())).from).toBe('cache');
    expect(requests).toEqual([]);
  });

  it('says how far a failed load got: the manifest when it was verified, null when not', async () => {
    const version = await publish(v1);
    cdn.delete(`${version}/weights.bin`);
    const noWeights = await rejectsWith(deliverModel(options()), ModelUnavailable, 'HTTP 404', 'weights.bin');
    expect((noWeights as ModelUnavailable).manifest?.modelVersion).toBe(version);
    cdn.delete('latest.json');
    const noPointer = await rejectsWith(deliverModel(options()), ModelUnavailable, 'HTTP 404', 'latest.json');
    expect((noPointer as ModelUnavailable).manifest).toBeNull();
    expect(cachedUrls()).toEqual([]);
  });
});

describe('refreshModel', () => {
  async function started() {
    const version = await publish(v1);
    const d = await deliverModel(options());
    await waitFor(() => cachedUrls().length === 3);
    requests.length = 0;
    return { version, current: d.model };
  }

  it('does nothing within refreshMs of the last check, for a pinned entry, or for a manifest entry', async () => {
    const { current } = await started();
    expect(await refreshModel(options(), current)).toEqual({ next: null });
    expect(await refreshModel(options({ refreshMs: 0, integrity: 'sha384-AAAA' }), current)).toEqual({ next: null });
    expect(await refreshModel(options({ refreshMs: 0 }), { ...current, pointer: null })).toEqual({ next: null });
    expect(requests).toEqual([]);
  });

  it('revalidates the pointer when due; an unchanged pointer costs one request and resets the clock', async () => {
    const { current } = await started();
    expect(await refreshModel(options({ refreshMs: 0 }), current)).toEqual({ next: null });
    expect(requests).toEqual(['latest.json']);
    requests.length = 0;
    expect(await refreshModel(options(), current)).toEqual({ next: null }); // checked just now
    expect(requests).toEqual([]);
  });

  it('loads, verifies and commits a new version, and removes the old one from the cache', async () => {
    const { version, current } = await started();
    const next = await publish(v2);
    expect(next).not.toBe(version);
    const { next: got } = await refreshModel(options({ refreshMs: 0 }), current);
    expect(got?.model.manifest.modelVersion).toBe(next);
    expect(requests).toEqual(['latest.json', `${next}/manifest.json`, `${next}/weights.bin`]);
    expect(cachedUrls()).toEqual(committed(next));
    // and the next start uses it, from the cache
    requests.length = 0;
    expect((await deliverModel(options())).model.manifest.modelVersion).toBe(next);
    expect(requests).toEqual([]);
  });

  it('refuses a new version with an unknown schema and keeps the cached one', async () => {
    const { version, current } = await started();
    await publish(v2, 2);
    await rejectsWith(refreshModel(options({ refreshMs: 0 }), current), ModelUnavailable, 'schemaVersion 2 is not supported');
    expect(cachedUrls()).toEqual(committed(version));
    expect((await deliverModel(options())).model.manifest.modelVersion).toBe(version);
  });

  it('treats an unreachable pointer as "no news" (offline), quietly', async () => {
    const { current } = await started();
    cdn.clear();
    expect(await refreshModel(options({ refreshMs: 0 }), current)).toEqual({ next: null });
    vi.stubGlobal('fetch', async () => {
      throw new TypeError('Failed to fetch');
    });
    expect(await refreshModel(options({ refreshMs: 0 }), current, true)).toEqual({ next: null });
  });
});
