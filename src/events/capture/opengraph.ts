/**
 * Open Graph product tags: `og:type` of `product`, `product.item` or `og:product`; the price from
 * `product:price:*` (Facebook's spelling, with `product:sale_price:*` winning when present) or `og:price:*`
 * (Shopify's); the id from `product:retailer_item_id`, else the handle of `og:url`.
 */
import { toAvailability } from '../validate.js';
import { cleanCurrency, cleanId, cleanText, compact, lastSegment, MAX_READ_LENGTH, parsePrice, type CapturedItem } from './values.js';

const PRODUCT_TYPES = new Set(['product', 'product.item', 'og:product', 'product.group']);

/** The item a page's meta tags (`property`/`name` → `content`, keys lower-cased) describe, or null. */
export function itemFromOpenGraph(meta: ReadonlyMap<string, string>, pageUrl: string): CapturedItem | null {
  if (!PRODUCT_TYPES.has((meta.get('og:type') ?? '').trim().toLowerCase())) return null;
  const get = (...keys: string[]) => keys.map((k) => meta.get(k)).find((v) => v !== undefined && v.trim() !== '');
  const itemId = cleanId(get('product:retailer_item_id', 'product:sku', 'og:product:id', 'product:id')) ?? lastSegment(get('og:url') ?? pageUrl, pageUrl);
  if (!itemId) return null;
  const sale = parsePrice(get('product:sale_price:amount'));
  return compact({
    itemId,
    name: cleanText(get('og:title', 'product:title')),
    price: sale ?? parsePrice(get('product:price:amount', 'og:price:amount', 'product:price')),
    currency: cleanCurrency(sale === undefined ? get('product:price:currency', 'og:price:currency') : get('product:sale_price:currency', 'product:price:currency', 'og:price:currency')),
    availability: toAvailability(get('product:availability', 'og:availability')),
    brand: cleanText(get('product:brand', 'og:brand')),
    category: cleanText(get('product:category')),
  });
}

/** The page's meta tags as `itemFromOpenGraph` reads them; the first of each name wins. */
export function readOpenGraph(doc: Document, pageUrl: string): { item: CapturedItem; node: Element } | null {
  const meta = new Map<string, string>();
  let node: Element | null = null;
  for (const el of Array.from(doc.querySelectorAll('meta[property][content], meta[name][content]')).slice(0, 500)) {
    const key = (el.getAttribute('property') ?? el.getAttribute('name') ?? '').slice(0, 100).toLowerCase();
    if (key === 'og:type') node ??= el;
    if (!meta.has(key)) meta.set(key, (el.getAttribute('content') ?? '').slice(0, MAX_READ_LENGTH));
  }
  const item = node && itemFromOpenGraph(meta, pageUrl);
  return item ? { item, node: node! } : null;
}
