/**
 * Model delivery in the browser: which verified model to start with, and how updates arrive.
 *
 * - Start: the last verified model in the Cache API, if there is one (no download, works offline); else the
 *   network (pointer → manifest → weights), verified, decoded and checked, then committed to the cache.
 * - Updates: the pointer is revalidated at most once per `refreshMs` (and never while the browser says it
 *   is offline). A new version is downloaded, verified, checked and committed in the background; it takes
 *   effect on the next page load, or when the integrator calls `tacit.update()`, never under a rendered slot.
 * - A refused new version (hash, schema, NaN…) leaves the cached one in place: the previous good model
 *   keeps serving.
 *
 * Every request made here depends only on the configured URL, the cache's contents and the clock, never on
 * the shopper's history (the privacy invariant).
 */
import { MAX_POINTER_BYTES, sha256Hex, type TacitManifest } from './format.js';
import { dirOf, loadVerifiedManifest, loadVerifiedWeights, IntegrityError, type LoadedModel, type ReadBytes, type VerifiedManifest } from './load.js';
import { MAX_CATALOG_BYTES, readCatalog, type CatalogItem } from './catalog.js';
import { decodeWeightArrays, type DecodedArray } from './decode.js';
import { fetchBytes, FetchError } from './fetch.js';
import { openModelCache, type ModelCache } from './cache.js';
import { reason } from '../lib/log.js';

export interface DeliveryOptions {
  /** Absolute URL of `latest.json` (or of a `manifest.json`, treated as immutable). */
  entry: string;
  /** SRI value the entry file must match. A pinned entry never changes, so it is not revalidated. */
  integrity?: string;
  /** Stall timeout per request, ms. */
  timeoutMs: number;
  /** Retries per request after the first try. */
  retries: number;
  /** Least time between two revalidations of the pointer, ms. */
  refreshMs: number;
}

/** A verified model whose weights decoded to finite numbers. */
export interface Delivered {
  model: LoadedModel;
  arrays: Map<string, DecodedArray>;
  /** Where the verified files came from. */
  from: 'network' | 'cache';
}

/** No usable model. `manifest` is set when the manifest itself was verified (its `popular` list is usable). */
export class ModelUnavailable extends Error {
  override name = 'ModelUnavailable';
  constructor(
    message: string,
    readonly manifest: TacitManifest | null,
  ) {
    super(message);
  }
}

/**
 * Reads a model from the network: the entry with `cache: 'no-cache'` (or from `entryBytes` when the caller
 * already fetched it), the versioned files with the HTTP cache's default. Cached copies are not consulted:
 * a network load happens when the cached model is missing or failed verification, and must not re-read it.
 */
function reader(options: DeliveryOptions, entryBytes?: Uint8Array): ReadBytes {
  const net = { timeoutMs: options.timeoutMs, retries: options.retries };
  return async (url, limits = {}) => {
    if (url === options.entry) return entryBytes ?? fetchBytes(url, limits, { ...net, cache: 'no-cache' });
    return fetchBytes(url, limits, net);
  };
}

/** Loads a whole model through `read`, checking the decoded weights; `ModelUnavailable` says how far it got. */
async function load(read: ReadBytes, options: DeliveryOptions): Promise<{ model: LoadedModel; arrays: Map<string, DecodedArray> }> {
  let verified;
  try {
    verified = await loadVerifiedManifest(read, options.entry, options.integrity === undefined ? {} : { integrity: options.integrity });
  } catch (err) {
    throw new ModelUnavailable(reason(err), null);
  }
  try {
    const files = await loadVerifiedWeights(read, verified);
    const model: LoadedModel = { ...verified, files };
    return { model, arrays: decodeWeightArrays(model) };
  } catch (err) {
    throw new ModelUnavailable(reason(err), verified.manifest);
  }
}

function commitLater(cache: ModelCache | null, model: LoadedModel): Promise<void> {
  if (!cache) return Promise.resolve();
  // A full disk or a cleared origin only costs the next visit a download.
  return cache.commit(model, Date.now()).catch(() => {});
}

/**
 * The model to start with: the cached one when there is a verified one, else the network's. Rejects with
 * `ModelUnavailable` when neither works.
 */
export async function deliverModel(options: DeliveryOptions): Promise<Delivered> {
  const cache = await openModelCache();
  if (cache && (await cache.has(options.entry))) {
    try {
      const cached = await load(cache.read, options);
      return { ...cached, from: 'cache' };
    } catch {
      // A file evicted, or one that no longer verifies (or no longer matches a changed integrity pin): the
      // model no longer counts as cached; the network load below replaces every file of it.
      await cache.drop(options.entry).catch(() => {});
    }
  }
  const fresh = await load(reader(options), options);
  // Not awaited: the first recommendation need not wait for the disk.
  void commitLater(cache, fresh.model);
  return { ...fresh, from: 'network' };
}

export interface RefreshResult {
  /** The newer verified model, committed to the cache; null when the pointer has not changed. */
  next: Delivered | null;
}

/**
 * Revalidates the pointer and, when it names another version than `current`, loads, verifies, checks and
 * commits that version. Without `force`, does nothing (resolves `{ next: null }`) when the entry is not a
 * pointer, is pinned by an integrity value, was checked less than `refreshMs` ago, or the browser is
 * offline. A pointer that cannot be fetched resolves `{ next: null }`; a new version that is refused rejects.
 */
export async function refreshModel(options: DeliveryOptions, current: LoadedModel, force = false): Promise<RefreshResult> {
  if (!current.pointer || options.integrity !== undefined) return { next: null };
  const cache = await openModelCache();
  if (!force) {
    if (typeof navigator !== 'undefined' && navigator.onLine === false) return { next: null };
    const checked = cache ? await cache.checkedAt(options.entry) : 0;
    if (Date.now() - checked < options.refreshMs) return { next: null };
  }
  let pointer: Uint8Array;
  try {
    pointer = await fetchBytes(options.entry, { maxBytes: MAX_POINTER_BYTES }, { timeoutMs: options.timeoutMs, retries: options.retries, cache: 'no-cache' });
  } catch (err) {
    if (err instanceof FetchError) return { next: null }; // offline or host down: try again on a later page
    throw err;
  }
  const same = pointer.byteLength === current.entryBytes.byteLength && pointer.every((b, i) => b === current.entryBytes[i]);
  if (same) {
    await cache?.touch(options.entry, Date.now()).catch(() => {});
    return { next: null };
  }
  const fresh = await load(reader(options, pointer), options);
  await commitLater(cache, fresh.model);
  return { next: { ...fresh, from: 'network' } };
}

/** A verified, cleaned catalog feed: item id → what a card shows. */
export interface Catalog {
  /** Default currency of the prices. */
  currency?: string;
  items: Map<string, CatalogItem>;
}

/**
 * The model's catalog feed, verified against the manifest's size and SHA-256 and cleaned (catalog.ts), or
 * null when the model has none. Read from the Cache API when a verified copy is there, else fetched (the
 * same request for every shopper: it is asked for on pages that show a widget, whatever the history) and
 * cached beside the model's files. Rejects when the feed cannot be had or does not verify.
 */
export async function deliverCatalog(options: Pick<DeliveryOptions, 'timeoutMs' | 'retries'>, model: Pick<VerifiedManifest, 'manifest' | 'manifestPath'>): Promise<Catalog | null> {
  const name = model.manifest.catalog;
  if (!name) return null;
  const want = model.manifest.files[name]!;
  const url = dirOf(model.manifestPath) + name;
  const verify = async (bytes: Uint8Array) => {
    if (bytes.byteLength !== want.bytes || (await sha256Hex(bytes)) !== want.sha256) {
      throw new IntegrityError(`catalog feed "${url}" does not match the size and SHA-256 in its manifest; refusing to use it`);
    }
    return bytes;
  };
  if (want.bytes > MAX_CATALOG_BYTES) throw new IntegrityError(`catalog feed "${url}" is ${want.bytes} bytes, over the ${MAX_CATALOG_BYTES}-byte limit; refusing it`);
  const cache = await openModelCache();
  let bytes: Uint8Array | null = null;
  if (cache) bytes = await cache.read(url).then(verify, () => null);
  if (!bytes) {
    bytes = await verify(await fetchBytes(url, { maxBytes: want.bytes, bytes: want.bytes }, { timeoutMs: options.timeoutMs, retries: options.retries }));
    await cache?.store(url, bytes).catch(() => {});
  }
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw new IntegrityError(`catalog feed "${url}" is not valid JSON`);
  }
  return readCatalog(json);
}
