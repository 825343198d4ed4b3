/**
 * Verified model files kept in the Cache API, so that a returning (or offline) visitor starts without a
 * download. Keys are the files' absolute URLs. A model is committed weights first, then its manifest, then
 * its entry file (the pointer) last: the entry is the commit record, so a reader that finds it finds the
 * whole version. After a commit, every other file under the model's folder (older versions) is deleted.
 *
 * Nothing here is personal: the same files, fetched by every shopper, which is why `forget()` leaves this
 * cache alone (docs/delivery.md). Files read back from it are verified again before use (load.ts).
 */
import { dirOf, type LoadedModel, type ReadBytes } from './load.js';

/** The Cache API cache that holds model files. The suffix changes if the way files are stored changes. */
export const CACHE_NAME = 'tacit-model-v1';
const CHECKED = 'x-tacit-checked';

/** A file that is not in the cache. */
export class CacheMiss extends Error {
  override name = 'CacheMiss';
}

export interface ModelCache {
  /** Reads a cached file; rejects with `CacheMiss` when it is not there. */
  read: ReadBytes;
  /** Whether a file is cached. */
  has(url: string): Promise<boolean>;
  /** When the entry (pointer) at `url` was last confirmed against the network, ms since the epoch; 0 if never. */
  checkedAt(url: string): Promise<number>;
  /** Stores every file of a verified model (entry last) and removes other versions of the same model. */
  commit(model: LoadedModel, checkedAt: number): Promise<void>;
  /** Records that the entry at `url` was confirmed unchanged at `checkedAt`. */
  touch(url: string, checkedAt: number): Promise<void>;
  /** Stores one more verified file of a cached model (the catalog feed, fetched on demand). */
  store(url: string, bytes: Uint8Array): Promise<void>;
  /** Removes the entry at `url` (the model no longer counts as cached). */
  drop(url: string): Promise<void>;
}

/** A URL as the Cache API keys it (`Request.url`); a relative path as it is. */
function normalize(url: string): string {
  try {
    return new URL(url).href;
  } catch {
    return url;
  }
}

const response = (bytes: Uint8Array, checkedAt?: number) =>
  new Response(bytes as BodyInit, {
    headers: { 'content-type': 'application/octet-stream', ...(checkedAt === undefined ? {} : { [CHECKED]: String(checkedAt) }) },
  });

/** Opens the model cache, or resolves null where the Cache API is missing or blocked (opaque origins, some private modes). */
export async function openModelCache(): Promise<ModelCache | null> {
  let cache: Cache;
  try {
    if (typeof caches === 'undefined') return null;
    cache = await caches.open(CACHE_NAME);
  } catch {
    return null;
  }
  return {
    async read(url) {
      const res = await cache.match(url);
      if (!res) throw new CacheMiss(`model file "${url}" is not cached`);
      return new Uint8Array(await res.arrayBuffer());
    },
    async has(url) {
      return (await cache.match(url)) !== undefined;
    },
    async checkedAt(url) {
      const res = await cache.match(url);
      return Number(res?.headers.get(CHECKED) ?? 0) || 0;
    },
    async commit(model, checkedAt) {
      const base = dirOf(model.manifestPath);
      // Keys come back from `cache.keys()` normalized (`./`, case of the host, default port…): compare like with like (issue 12, defect 6).
      const keep = new Set<string>([normalize(model.entryPath), normalize(model.manifestPath)]);
      // The catalog feed is cached on its own, when a page with a widget asks for it (delivery.ts).
      if (model.manifest.catalog) keep.add(normalize(base + model.manifest.catalog));
      for (const [path, bytes] of model.files) {
        keep.add(normalize(base + path));
        // Always written, never skipped when present: a commit must replace a copy that failed verification.
        await cache.put(base + path, response(bytes));
      }
      if (model.manifestPath !== model.entryPath) await cache.put(model.manifestPath, response(model.manifestBytes));
      await cache.put(model.entryPath, response(model.entryBytes, checkedAt));
      // Older versions of this model: everything else under its folder (models/<name>/).
      const folder = normalize(dirOf(model.entryPath));
      for (const req of await cache.keys()) {
        if (req.url.startsWith(folder) && !keep.has(req.url)) await cache.delete(req);
      }
    },
    async touch(url, checkedAt) {
      const res = await cache.match(url);
      if (res) await cache.put(url, response(new Uint8Array(await res.arrayBuffer()), checkedAt));
    },
    async store(url, bytes) {
      await cache.put(url, response(bytes));
    },
    async drop(url) {
      await cache.delete(url);
    },
  };
}
