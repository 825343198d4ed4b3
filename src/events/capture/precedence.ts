/**
 * When several sources on one page describe the product in view, one wins, in this order: explicit
 * `data-tacit-*` attributes, JSON-LD, microdata, the dataLayer, Open Graph. The winner is recorded as the
 * event's `source`; fields it lacks are filled from the others, but only from those that name the same item.
 */
import type { CaptureSource } from '../vocabulary.js';
import type { CapturedEvent, CapturedItem } from './values.js';

export const PRECEDENCE: readonly CaptureSource[] = ['attribute', 'jsonld', 'microdata', 'datalayer', 'opengraph'];

/** Sources that describe the page itself and may decide at once; the weaker two wait for the page to settle. */
const DECISIVE = new Set<CaptureSource>(['attribute', 'jsonld', 'microdata']);

const FIELDS = ['name', 'price', 'currency', 'availability', 'brand', 'category', 'variant'] as const;

const norm = (s: string | undefined) => s?.toLowerCase().replace(/\s+/g, ' ').trim() || undefined;

export interface Candidate {
  source: CaptureSource;
  item: CapturedItem;
}

/**
 * The `view_item` to record from the candidates found so far, or null to wait for more. `settled`: the page
 * has loaded (or a navigation has had its time), so a dataLayer or Open Graph candidate may decide.
 */
export function chooseView(candidates: readonly Candidate[], settled: boolean): CapturedEvent | null {
  const ranked = [...candidates].sort((a, b) => PRECEDENCE.indexOf(a.source) - PRECEDENCE.indexOf(b.source));
  const best = ranked[0];
  if (!best || (!settled && !DECISIVE.has(best.source))) return null;
  const view: CapturedEvent = { type: 'view_item', source: best.source, itemId: best.item.itemId };
  // Another source describes the same product when it names the same id, or the same product name (a GA4
  // push's item_id and the Open Graph handle of the same page differ, its name and og:title do not).
  const name = norm(best.item.name);
  const same = (c: Candidate) => c.item.itemId === best.item.itemId || (name !== undefined && norm(c.item.name) === name);
  for (const field of FIELDS) {
    const from = ranked.find((c) => same(c) && c.item[field] !== undefined);
    if (from) (view as unknown as Record<string, unknown>)[field] = from.item[field];
  }
  return view;
}
