/**
 * When several sources on one page describe the product in view, one decides the product: explicit
 * `data-tacit-*` attributes, else JSON-LD, microdata, RDFa, the dataLayer, Open Graph, in that order. Fields it lacks
 * are filled from the others that name the same product (same id, or same name).
 *
 * The price is decided by evidence when the sources that name the same id disagree: the price most of them state wins, and the
 * price the shopper sees next to the heading (`visible.ts`) counts as one more voice; on a tie, the order
 * above. So an auction page whose JSON-LD holds the starting bid, while its Open Graph tags and its visible
 * price show the current bid, records the current bid. Explicit attributes are the shop's own word and are
 * never outvoted. The event records the source whose price was taken (`source`) and why (`reason`).
 */
import type { CaptureSource } from '../vocabulary.js';
import type { CapturedEvent, CapturedItem } from './values.js';

export const PRECEDENCE: readonly CaptureSource[] = ['attribute', 'jsonld', 'microdata', 'rdfa', 'datalayer', 'opengraph'];

/** Sources that describe the page itself and may decide at once; the weaker two wait for the page to settle. */
const DECISIVE = new Set<CaptureSource>(['attribute', 'jsonld', 'microdata', 'rdfa']);

const FIELDS = ['name', 'price', 'currency', 'availability', 'brand', 'category', 'variant'] as const;

const norm = (s: string | undefined) => s?.toLowerCase().replace(/\s+/g, ' ').trim() || undefined;
const same = (a: number, b: number) => Math.abs(a - b) < 0.005;

export interface Candidate {
  source: CaptureSource;
  item: CapturedItem;
}

/**
 * The `view_item` to record from the candidates found so far, or null to wait for more. `settled`: the page
 * has loaded (or a navigation has had its time), so a dataLayer or Open Graph candidate may decide.
 * `visiblePrice` is asked only when the sources disagree on the price.
 */
export function chooseView(candidates: readonly Candidate[], settled: boolean, visiblePrice?: () => number | undefined): CapturedEvent | null {
  const ranked = [...candidates].sort((a, b) => PRECEDENCE.indexOf(a.source) - PRECEDENCE.indexOf(b.source));
  const best = ranked[0];
  if (!best || (!settled && !DECISIVE.has(best.source))) return null;
  // Another source describes the same product when it names the same id, or the same product name (a GA4
  // push's item_id and the Open Graph handle of the same page differ, its name and og:title do not).
  const name = norm(best.item.name);
  const alike = ranked.filter((c) => c.item.itemId === best.item.itemId || (name !== undefined && norm(c.item.name) === name));
  const view: CapturedEvent = { type: 'view_item', source: best.source, itemId: best.item.itemId };
  for (const field of FIELDS) {
    const from = alike.find((c) => c.item[field] !== undefined);
    if (from) (view as unknown as Record<string, unknown>)[field] = from.item[field];
  }
  // Only sources that name the same id vote on the price: one matched by name alone may describe the product
  // as a whole (Shopify's og:price is the product's, the JSON-LD offer the variant the URL selects).
  const priced = alike.filter((c) => c.item.itemId === best.item.itemId && c.item.price !== undefined);
  const prices = priced.map((c) => c.item.price!);
  if (best.source === 'attribute') view.reason = 'declared: data-tacit-* attributes';
  else if (alike.length === 1) view.reason = `only source: ${best.source}`;
  else if (priced.length < 2) view.reason = `one price source: ${(priced[0] ?? best).source}; also named by ${alike.filter((c) => c !== (priced[0] ?? best)).map((c) => c.source).join(', ')}`;
  else if (prices.every((p) => same(p, prices[0]!))) view.reason = `sources agree: ${priced.map((c) => c.source).join(', ')}`;
  else {
    const seen = visiblePrice?.();
    const votes = (p: number) => prices.filter((q) => same(p, q)).length + (seen !== undefined && same(p, seen) ? 1 : 0);
    const top = priced.reduce((a, c) => (votes(c.item.price!) > votes(a.item.price!) ? c : a));
    const outvoted = top.item.price !== view.price && votes(top.item.price!) > votes(view.price!);
    const winner = outvoted ? top : priced[0]!;
    const backers = priced.filter((c) => same(c.item.price!, winner.item.price!)).map((c) => c.source);
    if (seen !== undefined && same(seen, winner.item.price!)) backers.push('visible price' as CaptureSource);
    const others = priced.filter((c) => !same(c.item.price!, winner.item.price!)).map((c) => `${c.source} ${c.item.price}`);
    if (outvoted) {
      view.source = winner.source;
      view.price = winner.item.price!;
      if (winner.item.currency) view.currency = winner.item.currency;
    }
    view.reason = `${outvoted ? 'majority' : backers.length > 1 ? 'agreement' : 'precedence'}: ${backers.join(' + ')} over ${others.join(', ')}`;
  }
  view.reason = view.reason!.slice(0, 200);
  return view;
}
