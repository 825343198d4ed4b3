/**
 * The public catalog feed (`catalog.json` in a model's version folder): for each model item what a
 * product card shows (name, link, price, image, category, availability). One definition shared by the
 * writer (the trainer, `tacit catalog`) and the reader (the browser), so that both apply the same field
 * limits and drop the same unsafe URLs: a feed written by something else (or tampered with on the way to
 * a hash-pinned manifest by its own publisher) is cleaned again when read.
 *
 * The feed is the same for every shopper; it is listed in the manifest (`catalog`, and `files` with its
 * SHA-256 and size) and verified like the weights.
 */

export const CATALOG_FORMAT = 'tacit-catalog';
export const CATALOG_SCHEMA_VERSION = 1;
export const CATALOG_FILE = 'catalog.json';
/**
 * Largest feed a reader accepts, bytes. It is parsed in one piece on the main thread; the demo feed takes
 * about 110 bytes an item, so 8 MiB holds about 70,000 items.
 */
export const MAX_CATALOG_BYTES = 8 * 1024 * 1024;

/** Field limits (characters); longer text is cut, a longer URL is dropped. */
export const CATALOG_LIMITS = { id: 200, name: 200, category: 100, url: 2000, image: 2000 } as const;
/** Inline images (`data:` URLs) are allowed up to this many characters: they cost no request. */
export const MAX_INLINE_IMAGE = 20_000;

export const CATALOG_AVAILABILITY = ['InStock', 'OutOfStock', 'PreOrder', 'BackOrder', 'Discontinued', 'LimitedAvailability', 'SoldOut', 'InStoreOnly', 'OnlineOnly'] as const;
export type CatalogAvailability = (typeof CATALOG_AVAILABILITY)[number];

/** One item of the feed. Only `id` and `name` are required. */
export interface CatalogItem {
  id: string;
  name: string;
  /** http(s) or relative to the page that shows the card. */
  url?: string;
  price?: number;
  /** ISO 4217; absent: the feed's `currency`. */
  currency?: string;
  /** http(s), relative, or an inline `data:image/…` URL. */
  image?: string;
  category?: string;
  availability?: CatalogAvailability;
}

/** The file as written. */
export interface CatalogFeed {
  format: typeof CATALOG_FORMAT;
  schemaVersion: number;
  /** Default currency of every price (ISO 4217). */
  currency?: string;
  items: CatalogItem[];
}

/** A feed problem that makes the whole file unusable (not a single bad item, which is dropped). */
export class CatalogError extends Error {
  override name = 'CatalogError';
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

// C0 controls, DEL and the C1 range: a browser strips tabs and newlines out of URLs before reading the
// scheme ("java\nscript:" is javascript:), so they are refused rather than normalized.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * A URL a card may put in `href` (or `src`): absolute http(s), or relative (path, query or fragment, or
 * protocol-relative, which keeps the page's http(s)). Anything with another scheme (`javascript:`,
 * `data:`, `vbscript:`, `file:`…) or with control characters is refused: returns undefined.
 * With `inlineImage`, `data:image/{png,jpeg,gif,webp,avif};base64,…` is allowed too (costs no request).
 */
export function safeUrl(value: unknown, max: number = CATALOG_LIMITS.url, inlineImage = false): string | undefined {
  if (typeof value !== 'string') return undefined;
  const v = value.trim();
  if (v === '' || CONTROL.test(v)) return undefined;
  if (inlineImage && /^data:image\/(png|jpeg|gif|webp|avif);base64,[A-Za-z0-9+/]+={0,2}$/.test(v)) return v.length <= MAX_INLINE_IMAGE ? v : undefined;
  if (v.length > max || v.includes('\\')) return undefined;
  // A scheme is letters, digits, "+", "-" and "." before the first ":" that comes before any "/", "?" or "#".
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(v);
  if (scheme) return /^https?$/i.test(scheme[1]!) ? v : undefined;
  return v;
}

const cut = (v: unknown, max: number): string | undefined => {
  if (typeof v !== 'string' && typeof v !== 'number') return undefined;
  // Controls become spaces (a name is one line of text); text is cut at the limit, by code point.
  const s = String(v).replace(new RegExp(CONTROL.source, 'g'), ' ').trim();
  if (s === '') return undefined;
  const chars = Array.from(s);
  return chars.length > max ? chars.slice(0, max).join('') : s;
};

const currencyOf = (v: unknown): string | undefined => (typeof v === 'string' && /^[A-Z]{3}$/.test(v.trim().toUpperCase()) ? v.trim().toUpperCase() : undefined);

/**
 * One item, cleaned: text cut to the limits, unsafe URLs and out-of-range values dropped. Returns null
 * when the item has no usable id or name. Only the known fields are copied (nothing from the prototype:
 * `Object.hasOwn`).
 */
export function cleanCatalogItem(raw: unknown): CatalogItem | null {
  if (!isObject(raw)) return null;
  const own = (k: string): unknown => (Object.hasOwn(raw, k) ? raw[k] : undefined);
  const id = cut(own('id'), CATALOG_LIMITS.id);
  const name = cut(own('name'), CATALOG_LIMITS.name);
  if (id === undefined || name === undefined) return null;
  const item: CatalogItem = { id, name };
  const url = safeUrl(own('url'));
  if (url !== undefined) item.url = url;
  const price = own('price');
  if (typeof price === 'number' && Number.isFinite(price) && price >= 0 && price < 1e12) item.price = price;
  const currency = currencyOf(own('currency'));
  if (currency !== undefined) item.currency = currency;
  const image = safeUrl(own('image'), CATALOG_LIMITS.image, true);
  if (image !== undefined) item.image = image;
  const category = cut(own('category'), CATALOG_LIMITS.category);
  if (category !== undefined) item.category = category;
  const availability = own('availability');
  if (typeof availability === 'string' && (CATALOG_AVAILABILITY as readonly string[]).includes(availability)) item.availability = availability as CatalogAvailability;
  return item;
}

/**
 * Reads a parsed feed: checks its header, cleans every item (dropping the unusable ones) and keeps the
 * first of duplicate ids. Throws `CatalogError` only when the file as a whole is not a feed.
 */
export function readCatalog(json: unknown): { currency?: string; items: Map<string, CatalogItem> } {
  if (!isObject(json) || json.format !== CATALOG_FORMAT) throw new CatalogError(`catalog feed: field "format" must be "${CATALOG_FORMAT}"`);
  if (json.schemaVersion !== CATALOG_SCHEMA_VERSION) throw new CatalogError(`catalog feed: schemaVersion ${typeof json.schemaVersion === 'number' ? json.schemaVersion : typeof json.schemaVersion} is not supported (this SDK reads ${CATALOG_SCHEMA_VERSION})`);
  if (!Array.isArray(json.items)) throw new CatalogError('catalog feed: field "items" must be an array');
  const items = new Map<string, CatalogItem>();
  for (const raw of json.items) {
    const item = cleanCatalogItem(raw);
    if (item && !items.has(item.id)) items.set(item.id, item);
  }
  const currency = currencyOf(json.currency);
  return currency === undefined ? { items } : { currency, items };
}

/**
 * Builds a feed's bytes from item records (already mapped to `CatalogItem` field names), keeping only the
 * model's `items`, in the model's order. Returns what was dropped so the writer can say so.
 */
export function encodeCatalog(records: Iterable<unknown>, modelItems: readonly string[], currency?: string): { bytes: Uint8Array; feed: CatalogFeed; missing: number; invalid: number } {
  const byId = new Map<string, CatalogItem>();
  let invalid = 0;
  for (const r of records) {
    const item = cleanCatalogItem(r);
    if (!item) invalid++;
    else if (!byId.has(item.id)) byId.set(item.id, item);
  }
  const items = modelItems.map((id) => byId.get(id)).filter((x): x is CatalogItem => x !== undefined);
  const cur = currencyOf(currency);
  const feed: CatalogFeed = { format: CATALOG_FORMAT, schemaVersion: CATALOG_SCHEMA_VERSION, ...(cur ? { currency: cur } : {}), items };
  const bytes = new TextEncoder().encode(JSON.stringify(feed));
  if (bytes.byteLength > MAX_CATALOG_BYTES) {
    throw new CatalogError(`catalog feed: ${bytes.byteLength} bytes, over the ${MAX_CATALOG_BYTES}-byte limit browsers accept; shorten names or leave out inline images`);
  }
  return { bytes, feed, missing: modelItems.length - items.length, invalid };
}
