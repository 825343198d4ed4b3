import { describe, it, expect, vi } from 'vitest';
import { eventsFromDataLayer, watchDataLayer } from '../../src/events/capture/datalayer.js';

/** What gtag() pushes: its real `arguments` object. */
function gtagArgs(...args: unknown[]): unknown {
  return (function (..._: unknown[]) {
    // eslint-disable-next-line prefer-rest-params
    return arguments;
  })(...args);
}

describe('eventsFromDataLayer: GA4', () => {
  const item = { item_id: 'SKU_12345', item_name: 'Stan and Friends Tee', item_brand: 'Google', item_category: 'Apparel', item_variant: 'green', price: 59.9, quantity: 1, discount: 2.22 };

  it('view_item through GTM, after the { ecommerce: null } reset', () => {
    expect(eventsFromDataLayer({ ecommerce: null })).toEqual([]);
    expect(eventsFromDataLayer({ event: 'view_item', ecommerce: { currency: 'EUR', value: 59.9, items: [item] } })).toEqual([
      { type: 'view_item', source: 'datalayer', itemId: 'SKU_12345', name: 'Stan and Friends Tee', price: 59.9, currency: 'EUR', brand: 'Google', category: 'Apparel', variant: 'green', quantity: 1 },
    ]);
  });

  it('gtag("event", …) pushes an arguments object', () => {
    const entry = gtagArgs('event', 'add_to_cart', { currency: 'USD', items: [{ item_id: 7, price: '12,50', quantity: '2' }] });
    expect(Array.isArray(entry)).toBe(false);
    expect(eventsFromDataLayer(entry)).toEqual([{ type: 'add_to_cart', source: 'datalayer', itemId: '7', price: 12.5, currency: 'USD', quantity: 2 }]);
    expect(eventsFromDataLayer(gtagArgs('config', 'G-XXXX', { send_page_view: false }))).toEqual([]);
    expect(eventsFromDataLayer(gtagArgs('consent', 'default', { ad_storage: 'denied' }))).toEqual([]);
    expect(eventsFromDataLayer(gtagArgs('event', 'page_view'))).toEqual([]);
  });

  it('one event per item (a purchase of two), an item-level currency winning', () => {
    const events = eventsFromDataLayer({ event: 'purchase', ecommerce: { transaction_id: 'T1', currency: 'EUR', items: [{ item_id: 'A', price: 1 }, { item_id: 'B', price: 2, currency: 'GBP' }, { item_name: 'no id' }] } });
    expect(events.map((e) => [e.type, e.itemId, e.currency])).toEqual([
      ['purchase', 'A', 'EUR'],
      ['purchase', 'B', 'GBP'],
    ]);
  });

  it('view_cart, begin_checkout (no item needed), search', () => {
    expect(eventsFromDataLayer({ event: 'view_cart', ecommerce: { items: [] } })).toEqual([{ type: 'view_cart', source: 'datalayer' }]);
    expect(eventsFromDataLayer({ event: 'begin_checkout', ecommerce: { items: [item] } })).toEqual([{ type: 'begin_checkout', source: 'datalayer' }]);
    expect(eventsFromDataLayer({ event: 'search', search_term: ' red shoes ' })).toEqual([{ type: 'search', source: 'datalayer', query: 'red shoes' }]);
    expect(eventsFromDataLayer(gtagArgs('event', 'search', { search_term: 'mugs' }))).toEqual([{ type: 'search', source: 'datalayer', query: 'mugs' }]);
    expect(eventsFromDataLayer({ event: 'search' })).toEqual([]);
  });

  it('caps a long item list at 50', () => {
    const items = Array.from({ length: 500 }, (_, i) => ({ item_id: `I${i}` }));
    expect(eventsFromDataLayer({ event: 'purchase', ecommerce: { items } })).toHaveLength(50);
  });
});

describe('eventsFromDataLayer: Universal Analytics enhanced e-commerce', () => {
  const product = { name: 'Triblend Android T-Shirt', id: '12345', price: '15.25', brand: 'Google', category: 'Apparel', variant: 'Gray' };

  it('detail, add, remove, purchase, with ecommerce.currencyCode', () => {
    expect(eventsFromDataLayer({ ecommerce: { currencyCode: 'GBP', detail: { actionField: { list: 'Apparel Gallery' }, products: [product] } } })).toEqual([
      { type: 'view_item', source: 'datalayer', itemId: '12345', name: 'Triblend Android T-Shirt', price: 15.25, currency: 'GBP', brand: 'Google', category: 'Apparel', variant: 'Gray' },
    ]);
    expect(eventsFromDataLayer({ event: 'addToCart', ecommerce: { add: { products: [{ ...product, quantity: 1 }] } } })[0]).toMatchObject({ type: 'add_to_cart', quantity: 1 });
    expect(eventsFromDataLayer({ event: 'removeFromCart', ecommerce: { remove: { products: [product] } } })[0]?.type).toBe('remove_from_cart');
    const purchase = eventsFromDataLayer({ ecommerce: { purchase: { actionField: { id: 'T12345', revenue: '35.43' }, products: [product, { ...product, id: '67890', price: '33.75' }] } } });
    expect(purchase.map((e) => [e.type, e.itemId, e.price])).toEqual([
      ['purchase', '12345', 15.25],
      ['purchase', '67890', 33.75],
    ]);
  });

  it('checkout: step 1 (or none) is begin_checkout; later steps are not', () => {
    expect(eventsFromDataLayer({ event: 'checkout', ecommerce: { checkout: { actionField: { step: 1 }, products: [product] } } })).toEqual([{ type: 'begin_checkout', source: 'datalayer' }]);
    expect(eventsFromDataLayer({ event: 'checkout', ecommerce: { checkout: { actionField: { step: 2 }, products: [product] } } })).toEqual([]);
  });
});

describe('eventsFromDataLayer: everything else', () => {
  it('ignores what is not e-commerce, and junk', () => {
    const junk = [null, undefined, 0, 'view_item', [], ['event'], { event: 'gtm.js' }, { event: 'view_item' }, { event: 'view_item', ecommerce: { items: 'x' } }, { ecommerce: { detail: 'x' } }, { event: 'add_to_cart', ecommerce: { items: [null, 7, { item_id: { a: 1 } }] } }];
    for (const j of junk) expect(eventsFromDataLayer(j), JSON.stringify(j)).toEqual([]);
  });

  it('__proto__ keys are data', () => {
    const entry = JSON.parse('{"__proto__":{"event":"purchase"},"event":"view_item","ecommerce":{"__proto__":{"items":[{"item_id":"X"}]},"items":[{"item_id":"Y","__proto__":{"price":1}}]}}');
    expect(eventsFromDataLayer(entry)).toEqual([{ type: 'view_item', source: 'datalayer', itemId: 'Y' }]);
  });
});

describe('watchDataLayer', () => {
  const fakeWindow = (dataLayer?: unknown[]) => ({ dataLayer }) as unknown as Window;

  it('reads what is already there, then each push; push still calls the original with its this and returns its result', () => {
    const dl: unknown[] = [{ a: 1 }];
    const original = vi.fn(function (this: unknown[], ...items: unknown[]) {
      return Array.prototype.push.apply(this, items) * 10;
    });
    dl.push = original;
    const seen: unknown[] = [];
    watchDataLayer(fakeWindow(dl), 'dataLayer', (e) => seen.push(e)).attach();
    expect(seen).toEqual([{ a: 1 }]);
    expect(dl.push({ b: 2 }, { c: 3 })).toBe(30);
    expect(original).toHaveBeenCalledTimes(1);
    expect(original.mock.contexts[0]).toBe(dl);
    expect([...dl]).toEqual([{ a: 1 }, { b: 2 }, { c: 3 }]);
    expect(seen).toEqual([{ a: 1 }, { b: 2 }, { c: 3 }]);
  });

  it('a handler that throws never reaches the pushing script', () => {
    const dl: unknown[] = [];
    watchDataLayer(fakeWindow(dl), 'dataLayer', () => {
      throw new Error('boom');
    }).attach();
    expect(dl.push(1)).toBe(1);
    expect([...dl]).toEqual([1]);
  });

  it('never creates the array; attaches once it exists, once per array', () => {
    const win = fakeWindow() as unknown as { dataLayer?: unknown[] };
    const seen: unknown[] = [];
    const watch = watchDataLayer(win as unknown as Window, 'dataLayer', (e) => seen.push(e));
    watch.attach();
    expect(win.dataLayer).toBeUndefined();
    win.dataLayer = [{ early: true }];
    watch.attach();
    watch.attach();
    win.dataLayer.push({ late: true });
    expect(seen).toEqual([{ early: true }, { late: true }]);
  });

  it('reads at most the newest 1,000 existing entries', () => {
    const dl = Array.from({ length: 5000 }, (_, i) => i);
    let n = 0;
    watchDataLayer(fakeWindow(dl), 'dataLayer', () => n++).attach();
    expect(n).toBe(1000);
  });
});
