import { describe, it, expect } from 'vitest';
import { normalizeEvent, isStoredEvent } from '../../src/events/validate.js';
import { throwsWith } from './helpers.js';

const TS = 1_780_000_000_000;
const rejects = (input: unknown, ...patterns: (string | RegExp)[]) => throwsWith(() => normalizeEvent(input, TS), TypeError, 'tacit.track()', ...patterns);

describe('normalizeEvent', () => {
  it('accepts a canonical event and stamps the given time', () => {
    expect(normalizeEvent({ type: 'view_item', itemId: 'sku-1' }, TS)).toEqual({ type: 'view_item', ts: TS, itemId: 'sku-1' });
  });

  it('stamps Date.now() by default', () => {
    const before = Date.now();
    const e = normalizeEvent({ type: 'view_cart' });
    expect(e.ts).toBeGreaterThanOrEqual(before);
    expect(e.ts).toBeLessThanOrEqual(Date.now());
  });

  it('maps the Segment e-commerce names onto the canonical ones', () => {
    const pairs: [string, string][] = [
      ['Product Viewed', 'view_item'],
      ['Product Added', 'add_to_cart'],
      ['Product Removed', 'remove_from_cart'],
      ['Cart Viewed', 'view_cart'],
      ['Checkout Started', 'begin_checkout'],
      ['Order Completed', 'purchase'],
      ['Products Searched', 'search'],
    ];
    for (const [segment, canonical] of pairs) {
      expect(normalizeEvent({ type: segment, itemId: 'a', query: 'q' }, TS).type, segment).toBe(canonical);
    }
  });

  it('keeps the known fields, cleaned, and drops everything else', () => {
    const e = normalizeEvent(
      { type: 'purchase', itemId: '  sku-9 ', name: 'Mug', price: 12.5, currency: 'eur', category: 'Kitchen', brand: 'Acme', variant: 'blue', quantity: 2, email: 'a@b.c', userId: 42 },
      TS,
    );
    expect(e).toEqual({ type: 'purchase', ts: TS, itemId: 'sku-9', name: 'Mug', price: 12.5, currency: 'EUR', category: 'Kitchen', brand: 'Acme', variant: 'blue', quantity: 2 });
  });

  it('takes the item id from sku or product_id, and turns a numeric id into a string', () => {
    expect(normalizeEvent({ type: 'view_item', sku: 'S1' }, TS).itemId).toBe('S1');
    expect(normalizeEvent({ type: 'view_item', product_id: 'P1' }, TS).itemId).toBe('P1');
    expect(normalizeEvent({ type: 'view_item', itemId: 123 }, TS).itemId).toBe('123');
    expect(normalizeEvent({ type: 'view_item', itemId: 0 }, TS).itemId).toBe('0');
  });

  it('rejects a non-object', () => {
    for (const bad of [null, undefined, 'view_item', 3, ['view_item']]) rejects(bad, /event object/);
  });

  it('rejects a missing or unknown type, naming "type"', () => {
    rejects({ itemId: 'a' }, '"type"');
    rejects({ type: 7, itemId: 'a' }, '"type"');
    rejects({ type: 'click', itemId: 'a' }, /unknown event type/, '"click"');
    rejects({ type: 'VIEW_ITEM', itemId: 'a' }, /unknown event type/);
  });

  it('rejects prototype names as a type', () => {
    for (const t of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf']) rejects({ type: t, itemId: 'a' }, /unknown event type/);
  });

  it('requires an itemId for item events only', () => {
    for (const t of ['view_item', 'add_to_cart', 'purchase', 'Product Viewed']) rejects({ type: t }, '"itemId"');
    rejects({ type: 'view_item', itemId: '   ' }, '"itemId"');
    rejects({ type: 'view_item', itemId: '' }, '"itemId"');
    for (const t of ['view_cart', 'begin_checkout', 'remove_from_cart']) expect(normalizeEvent({ type: t }, TS)).toEqual({ type: t, ts: TS });
  });

  it('requires a query for search', () => {
    rejects({ type: 'search' }, '"query"');
    expect(normalizeEvent({ type: 'search', query: ' red shoes ' }, TS)).toEqual({ type: 'search', ts: TS, query: 'red shoes' });
  });

  it('rejects a non-finite, negative or non-numeric price, naming "price"', () => {
    for (const price of [NaN, Infinity, -Infinity, -0.01, '5', 2e9]) rejects({ type: 'purchase', itemId: 'a', price }, '"price"');
    expect(normalizeEvent({ type: 'purchase', itemId: 'a', price: 0 }, TS).price).toBe(0);
  });

  it('rejects a bad quantity, naming "quantity"', () => {
    for (const quantity of [-1, NaN, '2']) rejects({ type: 'add_to_cart', itemId: 'a', quantity }, '"quantity"');
  });

  it('rejects a 50,000-character string, naming the field', () => {
    const huge = 'x'.repeat(50_000);
    rejects({ type: 'view_item', itemId: 'a', name: huge }, '"name"', '50000');
    rejects({ type: 'view_item', itemId: huge }, '"itemId"');
    rejects({ type: 'search', query: huge }, '"query"');
    const err = rejects({ type: huge }, /unknown event type/);
    expect(err.message.length).toBeLessThan(2000); // the message does not echo the whole input
  });

  it('accepts strings up to the limits', () => {
    expect(normalizeEvent({ type: 'view_item', itemId: 'i'.repeat(200), name: 'n'.repeat(500) }, TS).itemId).toHaveLength(200);
    rejects({ type: 'view_item', itemId: 'i'.repeat(201) }, '"itemId"');
    rejects({ type: 'view_item', itemId: 'a', name: 'n'.repeat(501) }, '"name"');
  });

  it('rejects a currency that is not three letters, naming "currency"', () => {
    for (const currency of ['EURO', 'EU', 'E1R', '€€€', 978]) rejects({ type: 'purchase', itemId: 'a', currency }, '"currency"');
    expect(normalizeEvent({ type: 'purchase', itemId: 'a', currency: 'usd' }, TS).currency).toBe('USD');
  });

  it('rejects a field of the wrong type, naming it', () => {
    rejects({ type: 'view_item', itemId: { id: 1 } }, '"itemId"');
    rejects({ type: 'view_item', itemId: 'a', name: true }, '"name"');
    rejects({ type: 'view_item', itemId: NaN }, '"itemId"');
  });
});

describe('isStoredEvent', () => {
  it('accepts well-formed records, including what normalizeEvent returns', () => {
    expect(isStoredEvent({ type: 'view_item', ts: 1, itemId: 'a' })).toBe(true);
    expect(isStoredEvent({ type: 'search', ts: 1, query: 'x' })).toBe(true);
    expect(isStoredEvent({ type: 'view_cart', ts: 0 })).toBe(true);
    expect(isStoredEvent(normalizeEvent({ type: 'Order Completed', sku: 9, price: 3 }, TS))).toBe(true);
  });

  it('rejects malformed records', () => {
    const bad: unknown[] = [
      null,
      undefined,
      'view_item',
      42,
      {},
      { type: 'click', ts: 1 },
      { type: 'Product Viewed', ts: 1, itemId: 'a' }, // storage holds canonical names only
      { type: '__proto__', ts: 1 },
      { type: 'view_item', ts: 1 }, // item event without an item
      { type: 'view_item', ts: NaN, itemId: 'a' },
      { type: 'view_item', ts: Infinity, itemId: 'a' },
      { type: 'view_item', ts: '1', itemId: 'a' },
      { type: 'view_item', itemId: 'a' },
      { type: 'view_item', ts: 1, itemId: 5 },
      { type: 'view_item', ts: 1, itemId: 'x'.repeat(201) },
      { type: 'view_cart', ts: 1, itemId: 5 },
    ];
    bad.forEach((b, i) => expect(isStoredEvent(b), `case ${i}: ${JSON.stringify(b)}`).toBe(false));
  });
});
