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

/** Lower-cased: platforms write `product` and `Product` alike. */
const PRODUCT_TYPES = new Set(['product', 'productgroup', 'productmodel', 'individualproduct', 'someproducts', 'vehicle', 'car']);
/** Guards against hostile or runaway markup (a 1 MB block, deep nesting): objects visited per block, depth. */
const MAX_DEPTH = 24;
const MAX_NODES = 20_000;
/** Where a page names its subject: the product found there (or referenced from there by `@id`) is the one in view. */
const MAIN_KEYS = new Set(['mainEntity', 'mainEntityOfPage']);
/** Creative works that shops sell (with offers) and that sites describe (without). */
const SOLD_WORKS = new Set(['book', 'musicalbum', 'movie', 'videogame']);
/** Works that write about a product without selling it. */
const WORKS = new Set(['review', 'article', 'blogposting', 'newsarticle', 'techarticle', 'report', 'recipe', 'howto', 'socialmediaposting']);
/** A list page (ItemList) or a product's related items are not the product in view. */
const SKIP_KEYS = new Set(['itemListElement', 'isRelatedTo', 'isSimilarTo', 'isAccessoryOrSparePartFor', 'isConsumableFor', 'hasPart', 'isVariantOf', 'hasVariant']);

/** A product found in the markup, with what tells the product in view from the others. */
export interface FoundProduct {
  node: Obj;
  /** Index of the root (JSON-LD block, microdata item) it was found in. */
  root: number;
  /** Its URL (or `@id`, or an offer's URL) has the page's path. */
  urlMatch: boolean;
  /** The page names it as its main entity (`mainEntity`, `mainEntityOfPage`). */
  main: boolean;
  /** The Offer it is the `itemOffered` of, when the markup starts from the offer. */
  via?: Obj | undefined;
}

/** The page a product is read on: its URL (for variants and relative URLs) and its `<h1>` text. */
export interface PageHints {
  url: string;
  h1?: string;
  /** Microdata: the index of the item whose element holds the `<h1>`. */
  h1Root?: number;
  /** Microdata: items that are a `mainEntity` / `mainEntityOfPage` property with no item around them. */
  mainRoots?: ReadonlySet<number>;
}

/**
 * A property of a schema.org node. Names are matched exactly first, then regardless of case: platforms write
 * `productId` for `productID` (BigCommerce apps), `Availability` (Wix Stores), `lowprice` (Salesforce SFRA).
 */
export function prop(node: Obj, key: string): unknown {
  const exact = own(node, key);
  if (exact !== undefined) return exact;
  const lower = key.toLowerCase();
  let n = 0;
  for (const k in node) {
    if (++n > 200) break; // a real node has a few dozen properties; a hostile one is not searched further
    if (k.length === key.length && k.toLowerCase() === lower && Object.hasOwn(node, k)) return node[k];
  }
  return undefined;
}

/** A node's types, bare (`https://schema.org/Product` → `Product`), in lower case. */
export function typesOf(node: Obj): string[] {
  const t = own(node, '@type') ?? own(node, 'type');
  return (Array.isArray(t) ? t : [t]).filter((x): x is string => typeof x === 'string').map((x) => x.replace(/^.*[/#:]/, '').toLowerCase());
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
  const mainIds = new Set<unknown>();
  let budget = 0;
  const pagePath = pathOf(hints.url);
  let root = 0;
  const walk = (value: unknown, depth: number, inProduct: boolean, key: string, parent: Obj | null): void => {
    if (typeof value !== 'object' || value === null || --budget < 0 || depth > MAX_DEPTH) return;
    if (Array.isArray(value)) return value.forEach((x) => walk(x, depth + 1, inProduct, key, parent));
    const v = value as Obj;
    const id = prop(v, '@id');
    if (typeof id === 'string' && Object.keys(v).length > 1 && !index.has(id)) index.set(id, v);
    const main = MAIN_KEYS.has(key);
    if (main && typeof id === 'string') mainIds.add(id);
    const offers = prop(v, 'offers');
    const types = typesOf(v);
    // A Book or an album with offers is a shop's product; without, it is a work being described.
    const product = types.some((t) => PRODUCT_TYPES.has(t) || (offers !== undefined && SOLD_WORKS.has(t)));
    // A product named by a review or an article, with no offer of its own, is a subject, not merchandise.
    const subject = parent !== null && offers === undefined && typesOf(parent).some((t) => WORKS.has(t));
    if (product && !inProduct && !subject) {
      // Offer-first markup: an Offer whose itemOffered is the product carries the price.
      const via = key === 'itemOffered' && parent !== null ? parent : undefined;
      const offer = first(offers ?? via);
      const urls = [prop(v, 'url'), id, isObj(offer) ? prop(offer, 'url') : undefined];
      found.push({ node: v, root, main, via, urlMatch: pagePath !== undefined && urls.some((u) => pathOf(first(u), hints.url) === pagePath) });
    }
    for (const k of Object.keys(v)) {
      if (!SKIP_KEYS.has(k)) walk(v[k], depth + 1, inProduct || product, k, v);
    }
  };
  roots.forEach((r, i) => {
    // Each block has its own budget: a huge one cannot hide the product described in the next.
    budget = MAX_NODES;
    root = i;
    walk(r, 0, false, '', null);
  });
  // The same product can be listed twice (a Product block and a graph entry with its @id): keep the first.
  const seen = new Set<unknown>();
  return found.filter((f) => {
    const id = prop(f.node, '@id');
    if (mainIds.has(id) || hints.mainRoots?.has(f.root)) f.main = true;
    if (typeof id !== 'string') return true;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

/** Follows a `{ "@id": … }` reference to the full node when the page has it. */
function deref(v: unknown, index: IdIndex): unknown {
  if (!isObj(v)) return v;
  const id = prop(v, '@id');
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
  const specs = list(prop(offer, 'priceSpecification'), index);
  // Only a string is read: `String()` of an object whose `toString` is not a function throws (issue 12, defect 7).
  const spec = specs.find((s) => {
    const t = first(prop(s, 'priceType'));
    return !(typeof t === 'string' && NOT_THE_PRICE.test(t.slice(0, 200)));
  }) ?? specs[0];
  const nested = list(prop(offer, 'offers'), index)[0];
  const currency = cleanCurrency(prop(offer, 'priceCurrency')) ?? (spec && cleanCurrency(prop(spec, 'priceCurrency'))) ?? (nested && cleanCurrency(prop(nested, 'priceCurrency')));
  const hint = { currency };
  // An AggregateOffer's lowPrice is the cheapest of its offers (a quantity tier, another seller), not the
  // price in view: its first own offer is (Shopware's one-unit tier, a marketplace's featured seller). Only
  // without offers of its own is the low price the page's "from" price.
  const price =
    parsePrice(prop(offer, 'price'), hint) ??
    (nested && parsePrice(prop(nested, 'price'), hint)) ??
    (spec && parsePrice(prop(spec, 'price'), hint)) ??
    parsePrice(prop(offer, 'lowPrice'), hint) ??
    parsePrice(prop(offer, 'highPrice'), hint);
  return {
    price,
    currency,
    availability: toAvailability(first(prop(offer, 'availability'))) ?? (nested && toAvailability(first(prop(nested, 'availability')))),
  };
}

/** Among several offers or variants: the one for the page's URL (a selected variant), else the first in stock, else the first. */
function pick(nodes: Obj[], hints: PageHints, index: IdIndex): Obj | undefined {
  const page = new URL(hints.url);
  const variant = page.searchParams.get('variant');
  const byUrl = nodes.find((n) => {
    const offer = list(prop(n, 'offers'), index)[0];
    return [prop(n, 'url'), prop(n, '@id'), offer && prop(offer, 'url'), prop(n, 'sku')].some(
      (u) => typeof u === 'string' && ((variant !== null && (u === variant || u.includes(`variant=${variant}`))) || (page.search !== '' && u.endsWith(page.pathname + page.search))),
    );
  });
  const inStock = (n: Obj) => [n, ...list(prop(n, 'offers'), index)].some((o) => toAvailability(first(prop(o, 'availability'))) === 'InStock');
  return byUrl ?? nodes.find(inStock) ?? nodes[0];
}

function idOf(n: Obj, offer: Obj | undefined): string | undefined {
  for (const key of ['sku', 'productID', 'mpn', 'gtin14', 'gtin13', 'gtin12', 'gtin8', 'gtin', 'isbn', 'productGroupID']) {
    const id = cleanId(prop(n, key));
    if (id) return id;
  }
  return offer && cleanId(prop(offer, 'sku'));
}

function nameOf(v: unknown): string | undefined {
  v = first(v);
  return cleanText(isObj(v) ? prop(v, 'name') : v);
}

/** The item a Product (or ProductGroup) node describes, or null when it has no usable id. */
export function itemFromProduct(product: Obj, hints: PageHints, index: IdIndex = new Map(), via?: Obj): CapturedItem | null {
  const variants = typesOf(product).includes('productgroup') ? list(prop(product, 'hasVariant'), index) : [];
  const variant = pick(variants, hints, index);
  const node = variant ?? product;
  const offers = list(prop(node, 'offers') ?? via, index);
  const groupOffers = variant && offers.length === 0 ? list(prop(product, 'offers'), index) : offers;
  const offer = pick(groupOffers, hints, index);
  const { price, currency, availability } = offer ? priceOf(offer, index) : { price: parsePrice(prop(node, 'price')), currency: cleanCurrency(prop(node, 'priceCurrency')) };
  const itemId =
    idOf(node, offer) ??
    (variant && idOf(product, undefined)) ??
    lastSegment(first(prop(product, 'url')), hints.url) ??
    lastSegment(prop(product, '@id'), hints.url) ??
    lastSegment(hints.url);
  if (!itemId) return null;
  const name = cleanText(prop(product, 'name')) ?? cleanText(prop(node, 'name'));
  const variantName = variant ? cleanText(prop(variant, 'name')) : undefined;
  return compact({
    itemId,
    name,
    price: price ?? parsePrice(prop(node, 'price')),
    currency: currency ?? cleanCurrency(prop(node, 'priceCurrency')),
    availability: availability ?? toAvailability(first(prop(node, 'availability'))),
    brand: nameOf(deref(prop(node, 'brand') ?? prop(product, 'brand'), index)),
    category: nameOf(prop(node, 'category') ?? prop(product, 'category')),
    variant: variantName !== name ? variantName : undefined,
  });
}

const norm = (v: unknown) => cleanText(first(v))?.toLowerCase();

/**
 * Which found product is the one in view. Each earns points: its URL has the page's path (4), its name and
 * the page's `<h1>` contain one another, the name holding at most twice the `<h1>` (2), it is in the microdata item that holds the `<h1>` (2), it has
 * offers (1); the first with the most wins. When nothing says which (under 2 points) and the products have
 * different names, the page is a listing, not a product page: none.
 */
export function mainProduct(found: readonly FoundProduct[], hints: PageHints): FoundProduct | undefined {
  // Products with an offer compete; a related product or an itemref fragment without one does not.
  const offered = found.filter((f) => f.via || prop(f.node, 'offers') !== undefined || prop(f.node, 'hasVariant') !== undefined);
  const pool = offered.length ? offered : found;
  if (pool.length < 2) return pool[0];
  const h1 = norm(hints.h1);
  const score = (f: FoundProduct) => {
    const name = norm(prop(f.node, 'name'));
    // The heading names the product when it holds the name (with a variant, a size), or is most of it: a
    // category heading ("Espresso") inside a tile's name ("Espresso Blend Hausmischung") names a listing.
    return (f.urlMatch ? 4 : 0) + (f.main ? 3 : 0) + (h1 && name && (h1.includes(name) || (name.includes(h1) && 2 * h1.length >= name.length)) ? 2 : 0) + (f.root === hints.h1Root ? 2 : 0);
  };
  let best = pool[0]!;
  let top = score(best);
  for (const f of pool) {
    const s = score(f);
    if (s > top) [best, top] = [f, s];
  }
  return top >= 2 || new Set(pool.map((f) => norm(prop(f.node, 'name')))).size === 1 ? best : undefined;
}

/** The product in view among parsed roots (JSON-LD blocks or microdata items) and the root it came from, or null. */
export function itemFromRoots(roots: readonly unknown[], hints: PageHints): { item: CapturedItem; root: number } | null {
  const index: IdIndex = new Map();
  const main = mainProduct(findProducts(roots, hints, index), hints);
  const item = main && itemFromProduct(main.node, hints, index, main.via);
  return item ? { item, root: main.root } : null;
}
