/**
 * Issue 12, defect 7: values whose conversion to text or number runs the page's (or the markup's) code.
 * JSON-LD can hold `{ "toString": 1 }`, which `String()` cannot convert (TypeError), and a dataLayer entry
 * is a live object whose `valueOf` may throw. Before the fix, `String(priceType)` threw and dropped the
 * whole JSON-LD block, `Number(step)` dropped the whole dataLayer entry, and a stored record with such an
 * availability made `isStoredEvent` throw instead of answering false.
 */
import { describe, it, expect } from 'vitest';
import { itemFromJsonLd } from '../../src/events/capture/jsonld.js';
import { eventsFromDataLayer } from '../../src/events/capture/datalayer.js';
import { isStoredEvent, normalizeEvent } from '../../src/events/validate.js';
import { featureVector } from '../../src/engine/propensity.js';

const hostile = { toString: 1, valueOf: 1 };
const throwing = {
  toString() {
    throw new Error('page code ran');
  },
  valueOf() {
    throw new Error('page code ran');
  },
};

describe('hostile toString / valueOf', () => {
  it('a JSON-LD priceType that cannot become text leaves the product readable', () => {
    const block = JSON.stringify({
      '@type': 'Product',
      sku: 'MUG-1',
      offers: { '@type': 'Offer', priceSpecification: [{ priceType: hostile, price: '9.50', priceCurrency: 'EUR' }] },
    });
    expect(itemFromJsonLd([block], { url: 'https://shop.example/p/mug' })).toEqual({ itemId: 'MUG-1', price: 9.5, currency: 'EUR' });
  });

  it('a dataLayer checkout step whose valueOf throws is no step 1, and runs no page code', () => {
    const entry = { ecommerce: { checkout: { actionField: { step: throwing }, products: [{ id: 'x' }] }, add: { products: [{ id: 'y' }] } } };
    expect(eventsFromDataLayer(entry)).toEqual([{ type: 'add_to_cart', source: 'datalayer', itemId: 'y' }]);
    expect(eventsFromDataLayer({ ecommerce: { checkout: { actionField: { step: '1' }, products: [{ id: 'x' }] } } })).toEqual([{ type: 'begin_checkout', source: 'datalayer' }]);
  });

  it('a stored record with an object availability is not a record; validation names the type', () => {
    expect(isStoredEvent({ type: 'view_item', ts: 1, itemId: 'a', availability: hostile })).toBe(false);
    expect(isStoredEvent({ type: 'view_item', ts: 1, itemId: 'a', availability: 'InStock' })).toBe(true);
    expect(() => normalizeEvent({ type: 'view_item', itemId: 'a', availability: throwing })).toThrow(/"availability" must be .* got object/);
  });
});

describe('propensity feature names', () => {
  const spec = (name: string) => ({ features: [{ name, description: '', transform: 'log1p' as const, mean: 0, std: 1 }], bias: 0, trainedOn: '' });

  it('a name from the prototype reads 0, not a function (a NaN probability before the fix)', () => {
    for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) expect(Array.from(featureVector(spec(name), { product_views: 3 }))).toEqual([0]);
    expect(featureVector(spec('product_views'), { product_views: 3 })[0]).toBeCloseTo(Math.log1p(3));
  });
});
