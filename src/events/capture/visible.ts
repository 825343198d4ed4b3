/**
 * The price a shopper sees next to the product's heading: evidence for `precedence.ts` when the structured
 * sources disagree (an auction's JSON-LD holds the starting price while the page shows the current bid).
 * Read only then, and bounded: the heading's nearest containers (four levels up), twenty price-like elements
 * each, the first amount written next to a currency sign, after the heading, outside struck-through "was" prices.
 */
import { parsePrice } from './price.js';

const PRICE_LIKE = '[itemprop=price], [class*="price" i], [data-testid*="price" i], [id*="price" i]';
/** A "was" price: struck through, or named so by the theme. */
const NOT_NOW = 'del, s, strike, [class*="old" i], [class*="was" i], [class*="compare" i], [class*="strike" i], [class*="before" i], [class*="starting" i]';
const SIGN = /[$€£¥₹₽₩₪₫฿₺₴]|\b[A-Z]{3}\b|zł|Kč|kr\b|Rp|Rs\.?/;

export function readVisiblePrice(doc: Document): number | undefined {
  const h1 = doc.querySelector('h1');
  let scope = h1?.parentElement ?? null;
  for (let up = 0; h1 && scope && up < 4; up++, scope = scope.parentElement) {
    for (const el of Array.from(scope.querySelectorAll(PRICE_LIKE)).slice(0, 20)) {
      if (!(h1.compareDocumentPosition(el) & 4 /* Node.DOCUMENT_POSITION_FOLLOWING */) || el.closest(NOT_NOW)) continue;
      const text = (el.textContent ?? '').slice(0, 200);
      const price = SIGN.test(text) ? parsePrice(text, { text: true }) : undefined;
      if (price !== undefined) return price;
    }
  }
  return undefined;
}
