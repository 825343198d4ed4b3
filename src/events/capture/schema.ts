/**
 * schema.org Product → a captured item, for JSON-LD and microdata alike (the microdata reader builds the same
 * plain objects). Works on parsed data only, so it is unit-tested in Node; the DOM readers live in
 * `jsonld.ts` and `microdata.ts`.
 *
 * What real shops emit, and what this accepts: `@graph`s and arrays; `@type` as a string, an array or a URL;
 * `ProductGroup` with `hasVariant[]` (Shopify's `structured_data`); products nested under `mainEntity` or a
 * Review's `itemReviewed`; `{ "@id" }` references (Yoast); `offers` as one Offer, an array, an
 * `AggregateOffer` (lowPrice), or with the price in `priceSpecification[]` (WooCommerce 9); ids from `sku`,
 * then `productID`, `mpn`, a GTIN, `productGroupID`, then the product's URL handle.
 */
import { toAvailability } from '../validate.js';
import { cleanCurrency, cleanId, cleanText, compact, first, isObj, lastSegment, own, parsePrice, pathOf, type CapturedItem, type Obj } from './values.js';

const PRODUCT_TYPES = new Set(['Product', 'ProductGroup', 'ProductModel', 'IndividualProduct', 'SomeProducts', 'Vehicle', 'Car']);
/** Guards against hostile or runaway markup (a 1 MB block, deep nesting): objects visited per block, depth. */
const MAX_DEPTH = 24;
const MAX_NODES = 20_000;
/** A list page (ItemList) or a product's related items are not the product in view. */
const SKIP_KEYS = new Set(['itemListElement', 'isRelatedTo', 'isSimilarTo', 'isAccessoryOrSparePartFor', 'isConsumableFor', 'hasPart', 'isVariantOf', 'hasVariant']);

/** A product found in the markup, with what tells the product in view from the others. */
export interface FoundProduct {
  node: Obj;
  /** Index of the root (JSON-LD block, microdata item) it was found in. */
  root: number;
  /** Its URL (or `@id`, or an offer's URL) has the page's path. */
  urlMatch: boolean;
}

/** The page a product is read on: its URL (for variants and relative URLs) and its `<h1>` text. */
export interface PageHints {
  url: string;
  h1?: string;
  /** Microdata: the index of the item whose element holds the `<h1>`. */
  h1Root?: number;
}

export function typesOf(node: Obj): string[] {
  const t = own(node, '@type') ?? own(node, 'type');
  return (Array.isArray(t) ? t : [t]).filter((x): x is string => typeof x === 'string').map((x) => x.replace(/^.*[/#:]/, ''));
}

export const isProduct = (node: Obj): boolean => typesOf(node).some((t) => PRODUCT_TYPES.has(t));

/** `@id` → node, over every node of a page's blocks, to resolve `{ "@id": … }` references. */
export type IdIndex = Map<string, Obj>;

/**
 * Every top-level Product of parsed JSON-LD (or microdata items), in document order; fills `index` with the
 * nodes that have an `@id`. Products inside an ItemList or under another product's related items are skipped.
 */
export function findProducts(roots: readonly unknown[], hints: PageHints, index: IdIndex = new Map()): FoundProduct[] {
  const found: FoundProduct[] = [];
  let budget = 0;
  const pagePath = pathOf(hints.url);
  let root = 0;
  const walk = (value: unknown, depth: number, inProduct: boolean): void => {
    if (typeof value !== 'object' || value === null || --budget < 0 || depth > MAX_DEPTH) return;
    if (Array.isArray(value)) return value.forEach((x) => walk(x, depth + 1, inProduct));
    const v = value as Obj;
    const id = own(v, '@id');
    if (typeof id === 'string' && Object.keys(v).length > 1 && !index.has(id)) index.set(id, v);
    const product = isProduct(v);
    if (product && !inProduct) {
      const offer = first(own(v, 'offers'));
      const urls = [own(v, 'url'), id, isObj(offer) ? own(offer, 'url') : undefined];
      found.push({ node: v, root, urlMatch: pagePath !== undefined && urls.some((u) => pathOf(first(u), hints.url) === pagePath) });
    }
    for (const key of Object.keys(v)) {
      if (!SKIP_KEYS.has(key)) walk(v[key], depth + 1, inProduct || product);
    }
  };
  roots.forEach((r, i) => {
    // Each block has its own budget: a huge one cannot hide the product described in the next.
    budget = MAX_NODES;
    root = i;
    walk(r, 0, false);
  });
  // The same product can be listed twice (a Product block and a graph entry with its @id): keep the first.
  const seen = new Set<unknown>();
  return found.filter((f) => {
    const id = own(f.node, '@id');
    if (typeof id !== 'string') return true;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

/** Follows a `{ "@id": … }` reference to the full node when the page has it. */
function deref(v: unknown, index: IdIndex): unknown {
  if (!isObj(v)) return v;
  const id = own(v, '@id');
  return typeof id === 'string' && Object.keys(v).length === 1 ? (index.get(id) ?? v) : v;
}

const list = (v: unknown, index: IdIndex): Obj[] => (Array.isArray(v) ? v : [v]).map((x) => deref(x, index)).filter(isObj);

/** A reference price that is not what the shopper pays (WooCommerce writes both). */
const NOT_THE_PRICE = /ListPrice|StrikethroughPrice|SRP|MSRP|InvoicePrice|MinimumAdvertisedPrice/i;

interface Price {
  price?: number;
  currency?: string;
  availability?: string;
}

function priceOf(offer: Obj, index: IdIndex): Price {
  const specs = list(own(offer, 'priceSpecification'), index);
  // Only a string is read: `String()` of an object whose `toString` is not a function throws (issue 12, defect 7).
  const spec = specs.find((s) => { const t = first(own(s, 'priceType')); return !(typeof t === 'string' && NOT_THE_PRICE.test(t.slice(0, 200))); }) ?? specs[0];
  const nested = list(own(offer, 'offers'), index)[0];
  const price =
    parsePrice(own(offer, 'price')) ??
    parsePrice(own(offer, 'lowPrice')) ??
    (spec && parsePrice(own(spec, 'price'))) ??
    (nested && parsePrice(own(nested, 'price'))) ??
    parsePrice(own(offer, 'highPrice'));
  return {
    price,
    currency: cleanCurrency(own(offer, 'priceCurrency')) ?? (spec && cleanCurrency(own(spec, 'priceCurrency'))) ?? (nested && cleanCurrency(own(nested, 'priceCurrency'))),
    availability: toAvailability(first(own(offer, 'availability'))) ?? (nested && toAvailability(first(own(nested, 'availability')))),
  };
}

/** Among several offers or variants: the one for the page's URL (a selected variant), else the first in stock, else the first. */
function pick(nodes: Obj[], hints: PageHints, index: IdIndex): Obj | undefined {
  const page = new URL(hints.url);
  const variant = page.searchParams.get('variant');
  const byUrl = nodes.find((n) => {
    const offer = list(own(n, 'offers'), index)[0];
    return [own(n, 'url'), own(n, '@id'), offer && own(offer, 'url'), own(n, 'sku')].some(
      (u) => typeof u === 'string' && ((variant !== null && (u === variant || u.includes(`variant=${variant}`))) || (page.search !== '' && u.endsWith(page.pathname + page.search))),
    );
  });
  const inStock = (n: Obj) => [n, ...list(own(n, 'offers'), index)].some((o) => toAvailability(first(own(o, 'availability'))) === 'InStock');
  return byUrl ?? nodes.find(inStock) ?? nodes[0];
}

function idOf(n: Obj, offer: Obj | undefined): string | undefined {
  for (const key of ['sku', 'productID', 'mpn', 'gtin14', 'gtin13', 'gtin12', 'gtin8', 'gtin', 'productGroupID']) {
    const id = cleanId(own(n, key));
    if (id) return id;
  }
  return offer && cleanId(own(offer, 'sku'));
}

function nameOf(v: unknown): string | undefined {
  v = first(v);
  return cleanText(isObj(v) ? own(v, 'name') : v);
}

/** The item a Product (or ProductGroup) node describes, or null when it has no usable id. */
export function itemFromProduct(product: Obj, hints: PageHints, index: IdIndex = new Map()): CapturedItem | null {
  const variants = typesOf(product).includes('ProductGroup') ? list(own(product, 'hasVariant'), index) : [];
  const variant = pick(variants, hints, index);
  const node = variant ?? product;
  const offers = list(own(node, 'offers'), index);
  const groupOffers = variant && offers.length === 0 ? list(own(product, 'offers'), index) : offers;
  const offer = pick(groupOffers, hints, index);
  const { price, currency, availability } = offer ? priceOf(offer, index) : { price: parsePrice(own(node, 'price')), currency: cleanCurrency(own(node, 'priceCurrency')) };
  const itemId =
    idOf(node, offer) ??
    (variant && idOf(product, undefined)) ??
    lastSegment(first(own(product, 'url')), hints.url) ??
    lastSegment(own(product, '@id'), hints.url) ??
    lastSegment(hints.url);
  if (!itemId) return null;
  const name = cleanText(own(product, 'name')) ?? cleanText(own(node, 'name'));
  const variantName = variant ? cleanText(own(variant, 'name')) : undefined;
  return compact({
    itemId,
    name,
    price: price ?? parsePrice(own(node, 'price')),
    currency: currency ?? cleanCurrency(own(node, 'priceCurrency')),
    availability: availability ?? toAvailability(first(own(node, 'availability'))),
    brand: nameOf(deref(own(node, 'brand') ?? own(product, 'brand'), index)),
    category: nameOf(own(node, 'category') ?? own(product, 'category')),
    variant: variantName !== name ? variantName : undefined,
  });
}

const norm = (v: unknown) => cleanText(first(v))?.toLowerCase();

/**
 * Which found product is the one in view. Each earns points: its URL has the page's path (4), its name and
 * the page's `<h1>` contain one another (2), it is in the microdata item that holds the `<h1>` (2), it has
 * offers (1); the first with the most wins. When nothing says which (under 2 points) and the products have
 * different names, the page is a listing, not a product page: none.
 */
export function mainProduct(found: readonly FoundProduct[], hints: PageHints): FoundProduct | undefined {
  if (found.length < 2) return found[0];
  const h1 = norm(hints.h1);
  const score = (f: FoundProduct) => {
    const name = norm(own(f.node, 'name'));
    return (
      (f.urlMatch ? 4 : 0) +
      (h1 && name && (h1.includes(name) || name.includes(h1)) ? 2 : 0) +
      (f.root === hints.h1Root ? 2 : 0) +
      (own(f.node, 'offers') !== undefined || own(f.node, 'hasVariant') !== undefined ? 1 : 0)
    );
  };
  let best = found[0]!;
  let top = score(best);
  for (const f of found) {
    const s = score(f);
    if (s > top) [best, top] = [f, s];
  }
  return top >= 2 || new Set(found.map((f) => norm(own(f.node, 'name')))).size === 1 ? best : undefined;
}

/** The product in view among parsed roots (JSON-LD blocks or microdata items) and the root it came from, or null. */
export function itemFromRoots(roots: readonly unknown[], hints: PageHints): { item: CapturedItem; root: number } | null {
  const index: IdIndex = new Map();
  const main = mainProduct(findProducts(roots, hints, index), hints);
  const item = main && itemFromProduct(main.node, hints, index);
  return item ? { item, root: main.root } : null;
}
