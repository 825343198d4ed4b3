/**
 * The catalog feed on the trainer's side: reads the merchant's product file (a JSON array, an object with
 * a `products` array, or JSON lines), maps the usual field names onto the feed's, and writes `catalog.json`
 * through the shared definition in model/catalog.ts. `tacit catalog` republishes an existing model with a
 * new feed (prices change more often than models) without training again.
 */
import { readFile } from 'node:fs/promises';
import { InputError } from './errors.js';
import { encodeCatalog, CATALOG_AVAILABILITY, type CatalogItem } from '../model/catalog.js';
import { sealModel, type EncodedModel } from '../model/encode.js';
import { publishModel, readModelFolder } from './folder.js';

/** Reads product records from JSON (array or `{ products: [...] }`) or JSON lines. Null when the file is not JSON. */
export async function readProductRecords(file: string): Promise<Record<string, unknown>[] | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new InputError(`${file}: cannot read the file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  return parseProductRecords(text, file);
}

export function parseProductRecords(text: string, file: string): Record<string, unknown>[] | null {
  const t = text.trimStart().replace(/^\uFEFF/, '');
  if (!t.startsWith('[') && !t.startsWith('{')) return null;
  let list: unknown;
  try {
    const json: unknown = JSON.parse(t);
    list = Array.isArray(json) ? json : (json as { products?: unknown }).products;
    // A single JSON object without "products" is a JSON-lines file of one line.
    if (list === undefined && typeof json === 'object' && json !== null) list = [json];
  } catch (whole) {
    // JSON lines: one object a line.
    list = t.split(/\r?\n/).flatMap((line, i) => {
      if (line.trim() === '') return [];
      try {
        return [JSON.parse(line) as unknown];
      } catch (err) {
        if (i === 0) throw new InputError(`${file}: not valid JSON (${(whole as Error).message})`);
        throw new InputError(`${file}:${i + 1}: not valid JSON (${(err as Error).message})`);
      }
    });
  }
  if (!Array.isArray(list)) throw new InputError(`${file}: expected a JSON array of products, an object with a "products" array, or JSON lines`);
  return list.map((p, i) => {
    if (typeof p !== 'object' || p === null || Array.isArray(p)) throw new InputError(`${file}: product #${i} is not an object`);
    const id = (p as { id?: unknown }).id;
    if (typeof id !== 'string' && typeof id !== 'number') throw new InputError(`${file}: product #${i} needs an "id" (string or number)`);
    return p as Record<string, unknown>;
  });
}

const first = (r: Record<string, unknown>, ...keys: string[]): unknown => {
  for (const k of keys) if (Object.hasOwn(r, k) && r[k] !== undefined && r[k] !== null && r[k] !== '') return r[k];
  return undefined;
};

/** "In Stock", "in_stock", "https://schema.org/InStock" → "InStock"; anything else → undefined. */
export function availabilityOf(v: unknown): CatalogItem['availability'] | undefined {
  if (typeof v !== 'string') return undefined;
  const key = v.replace(/^https?:\/\/schema\.org\//i, '').replace(/[\s_-]/g, '').toLowerCase();
  if (key === 'lowstock') return 'LimitedAvailability';
  return CATALOG_AVAILABILITY.find((a) => a.toLowerCase() === key);
}

/**
 * Maps a product record onto the feed's fields: `id` (or `sku`), `name` (or `title`), `url` (or `link`),
 * `price`, `currency`, `image` (or `image_link`, `thumbnail`, the first of `images`), `category` (or
 * `product_type`), `availability` (or `availabilityStatus`, schema.org names or plain words).
 * Cleaning (limits, unsafe URLs) is model/catalog.ts's job.
 */
export function toCatalogRecord(r: Record<string, unknown>): Record<string, unknown> {
  const images = first(r, 'images');
  const price = first(r, 'price');
  return {
    id: first(r, 'id', 'sku'),
    name: first(r, 'name', 'title'),
    url: first(r, 'url', 'link'),
    price: typeof price === 'string' && price.trim() !== '' ? Number(price) : price,
    currency: first(r, 'currency', 'priceCurrency'),
    image: first(r, 'image', 'image_link', 'thumbnail') ?? (Array.isArray(images) ? images[0] : undefined),
    category: first(r, 'category', 'product_type'),
    availability: availabilityOf(first(r, 'availability', 'availabilityStatus')),
  };
}

/** Whether the records carry anything a card shows (more than ids): only then is a feed written. */
export const hasCardFields = (records: readonly Record<string, unknown>[]): boolean => records.some((r) => first(r, 'name', 'title') !== undefined);

/** The feed's bytes for a model's items, and a one-line summary of what was left out. */
export function catalogFor(records: readonly Record<string, unknown>[], modelItems: readonly string[], currency?: string): { bytes: Uint8Array; summary: string } {
  const { bytes, feed, missing, invalid } = encodeCatalog(records.map(toCatalogRecord), modelItems, currency);
  const summary = `catalog feed: ${feed.items.length} items, ${bytes.byteLength.toLocaleString('en-US')} bytes` + (missing ? `; ${missing} model items have no usable record (no name?) and get no card` : '') + (invalid ? `; ${invalid} records without id or name skipped` : '');
  return { bytes, summary };
}

/**
 * `tacit catalog <model-dir> --catalog <file>`: publishes the model that `<dir>/latest.json` names again,
 * same weights, with a feed built from `file`, as a new version (versioned files are immutable, so a new
 * feed is a new version folder) and moves the pointer to it.
 */
export async function rebuildCatalog(dir: string, file: string, currency?: string): Promise<{ model: EncodedModel; summary: string }> {
  const records = await readProductRecords(file);
  if (!records) throw new InputError(`${file}: the catalog feed needs a JSON file (array, {"products": [...]}, or JSON lines)`);
  let verified;
  try {
    verified = await readModelFolder(dir);
  } catch (err) {
    throw new InputError(`${dir}: not a readable model folder (${(err as Error).message})`);
  }
  const { bytes, summary } = catalogFor(records, verified.manifest.items, currency);
  const manifest = { ...verified.manifest, modelVersion: '', files: { ...verified.manifest.files } };
  if (manifest.catalog) {
    delete manifest.files[manifest.catalog];
    delete manifest.catalog;
  }
  const model = await sealModel(manifest, verified.files, bytes);
  return { model: await publishModel(dir, model), summary };
}
