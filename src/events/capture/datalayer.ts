/**
 * The `dataLayer` that Google Tag Manager and gtag.js read, in the three shapes shops push:
 * - GA4 through GTM: `{ event: 'view_item', ecommerce: { currency, items: [{ item_id, price, … }] } }`,
 *   usually after a `{ ecommerce: null }` that clears GTM's merged model (a no-op here: each push is read alone);
 * - gtag.js: `gtag('event', 'view_item', { items: [...] })` pushes its `arguments` object;
 * - Universal Analytics enhanced e-commerce: `ecommerce.detail.products`, `.add`, `.remove`, `.checkout`,
 *   `.purchase`, with `ecommerce.currencyCode`.
 * The parser works on plain values (unit-tested in Node); `watchDataLayer` reads what is already in the
 * array and wraps `push` so that the page's other scripts see no difference.
 */
import { isEventType, type EventType } from '../vocabulary.js';
import { cleanCurrency, cleanId, cleanText, compact, isObj, own, parsePrice, parseQuantity, type CapturedEvent, type Obj } from './values.js';

/** GA4's recommended e-commerce event names are Tacit's own. */
const UA_ACTIONS: [string, EventType][] = [
  ['detail', 'view_item'],
  ['add', 'add_to_cart'],
  ['remove', 'remove_from_cart'],
  ['checkout', 'begin_checkout'],
  ['purchase', 'purchase'],
];
/** One push rarely lists more; a longer list is cut, not refused. */
const MAX_ITEMS = 50;
const ITEM_TYPES = new Set<EventType>(['view_item', 'add_to_cart', 'remove_from_cart', 'purchase']);

/** One GA4 (`item_id`, `item_name`, …) or UA (`id`, `name`, …) product → event. */
function itemEvent(type: EventType, p: unknown, currency: unknown): CapturedEvent | null {
  if (!isObj(p)) return null;
  const itemId = cleanId(own(p, 'item_id') ?? own(p, 'id') ?? own(p, 'sku'));
  if (!itemId) return null;
  return compact({
    type,
    source: 'datalayer' as const,
    itemId,
    name: cleanText(own(p, 'item_name') ?? own(p, 'name')),
    price: parsePrice(own(p, 'price')),
    currency: cleanCurrency(own(p, 'currency')) ?? cleanCurrency(currency),
    brand: cleanText(own(p, 'item_brand') ?? own(p, 'brand')),
    category: cleanText(own(p, 'item_category') ?? own(p, 'category')),
    variant: cleanText(own(p, 'item_variant') ?? own(p, 'variant')),
    quantity: parseQuantity(own(p, 'quantity')),
  });
}

function events(type: EventType, products: unknown, currency: unknown, query?: unknown): CapturedEvent[] {
  if (type === 'search') {
    const q = cleanText(query);
    return q ? [{ type, source: 'datalayer', query: q }] : [];
  }
  if (!ITEM_TYPES.has(type)) return [{ type, source: 'datalayer' }];
  const list = Array.isArray(products) ? products.slice(0, MAX_ITEMS) : [];
  return list.map((p) => itemEvent(type, p, currency)).filter((e) => e !== null);
}

/** gtag's `arguments` (or an array pushed the same way). */
const isArgs = (v: unknown): v is ArrayLike<unknown> =>
  Array.isArray(v) || Object.prototype.toString.call(v) === '[object Arguments]';

/** The events one `dataLayer` entry describes; [] for everything else (consent updates, page views, GTM internals). */
export function eventsFromDataLayer(entry: unknown): CapturedEvent[] {
  if (isArgs(entry)) {
    const [command, name, params] = [entry[0], entry[1], entry[2]];
    if (command !== 'event' || typeof name !== 'string' || !isEventType(name)) return [];
    const p: Obj = isObj(params) ? params : {};
    return events(name as EventType, own(p, 'items'), own(p, 'currency'), own(p, 'search_term'));
  }
  if (!isObj(entry)) return [];
  const name = own(entry, 'event');
  const ecommerce = own(entry, 'ecommerce');
  const e: Obj = isObj(ecommerce) ? ecommerce : {};
  if (isEventType(name) && (name === 'search' || Array.isArray(own(e, 'items')))) {
    return events(name as EventType, own(e, 'items'), own(e, 'currency'), own(entry, 'search_term') ?? own(e, 'search_term'));
  }
  const out: CapturedEvent[] = [];
  for (const [key, type] of UA_ACTIONS) {
    const action = own(e, key);
    if (!isObj(action)) continue;
    const field = own(action, 'actionField');
    const step = isObj(field) ? own(field, 'step') : undefined;
    // `Number()` of a page's object may run its `valueOf`: only numbers and text are read.
    const n = typeof step === 'number' ? step : typeof step === 'string' && step.length < 20 ? Number(step) : NaN;
    if (type === 'begin_checkout' && step !== undefined && n !== 1) continue;
    out.push(...events(type, own(action, 'products'), own(e, 'currencyCode')));
  }
  return out;
}

/** Most entries read from the array as it was when capture started (the newest). */
const MAX_EXISTING = 1000;

/**
 * Calls `onEntry` for each entry of `window[name]` (already there, then pushed later). Call `attach()`
 * again later if the page had no array yet: Tacit never creates the page's dataLayer itself (some scripts
 * take its presence as a sign that Tag Manager is on the page). The wrapped `push` calls the one it
 * replaced first, with the same `this` and arguments, and returns what it returned. `detach()` puts the
 * page's `push` back when nobody wrapped it after us (else ours stays and only passes through), so
 * stopping and starting capture does not stack wrappers (issue 12, defect 7).
 */
export function watchDataLayer(win: Window, name: string, onEntry: (entry: unknown) => void): { attach(): void; detach(): void } {
  const w = win as unknown as Record<string, unknown>;
  let attached: unknown[] | null = null;
  let active = true;
  const undo: (() => void)[] = [];
  const safely = (entry: unknown) => {
    if (!active) return;
    try {
      onEntry(entry);
    } catch {
      // A malformed entry is the page's business, never an error in its console.
    }
  };
  return {
    attach() {
      const dl = w[name];
      if (!active || !Array.isArray(dl) || dl === attached) return;
      attached = dl;
      dl.slice(-MAX_EXISTING).forEach(safely);
      const original = dl.push;
      const ownPush = Object.hasOwn(dl, 'push');
      const wrapper = function (this: unknown, ...args: unknown[]): number {
        const result = original.apply(this, args);
        args.forEach(safely);
        return result;
      };
      try {
        dl.push = wrapper;
      } catch {
        return; // a frozen array: what was there has been read
      }
      undo.push(() => {
        if (dl.push !== wrapper) return;
        try {
          if (ownPush) dl.push = original;
          else delete (dl as { push?: unknown }).push; // back to Array.prototype.push, as it was
        } catch {
          // made read-only since: ours stays, inactive
        }
      });
    },
    detach() {
      active = false;
      undo.forEach((u) => u());
    },
  };
}
