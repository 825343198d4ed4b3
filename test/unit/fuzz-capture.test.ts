/**
 * Fuzzing the capture parsers on plain values (issue 12): JSON-LD clean-up and parsing, the schema.org
 * reader, dataLayer entries, Open Graph tags, `data-tacit-*` attributes, price/availability/text cleaning.
 * Properties: nothing throws past the module boundary, no prototype is polluted, every output is within
 * the documented limits and passes the one validator, and the JSON-LD clean-up is linear in its input.
 */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { parseJsonLd, itemFromJsonLd } from '../../src/events/capture/jsonld.js';
import { itemFromRoots } from '../../src/events/capture/schema.js';
import { eventsFromDataLayer } from '../../src/events/capture/datalayer.js';
import { itemFromOpenGraph } from '../../src/events/capture/opengraph.js';
import { eventFromAttributes } from '../../src/events/capture/attributes.js';
import { cleanCurrency, cleanId, cleanText, parsePrice, parseQuantity } from '../../src/events/capture/values.js';
import { toAvailability } from '../../src/events/validate.js';
import { check, expectNoPollution, expectValidCapture, nastyString, nastyValue, nastyKey } from './fuzz.js';
import { linearRatio, LINEAR_LIMIT } from './linear.js';

const hints = fc.record({ url: fc.constantFrom('https://shop.example/p/mug', 'https://shop.example/p/mug?variant=2', 'https://shop.example/'), h1: fc.option(nastyString(40), { nil: undefined }) });

/** A schema.org Product with nasty values in the fields the reader looks at. */
const product: fc.Arbitrary<Record<string, unknown>> = fc.record(
  {
    '@type': fc.oneof(fc.constantFrom('Product', 'ProductGroup', 'https://schema.org/Product', ['Thing', 'Product']), nastyValue),
    '@id': nastyValue,
    name: nastyValue,
    sku: nastyValue,
    url: nastyValue,
    brand: nastyValue,
    offers: fc.oneof(nastyValue, fc.record({ price: nastyValue, priceCurrency: nastyValue, availability: nastyValue, priceSpecification: nastyValue }, { requiredKeys: [] })),
    hasVariant: fc.array(nastyValue, { maxLength: 4 }),
  },
  { requiredKeys: ['@type'] },
);

describe('fuzz: JSON-LD', () => {
  it('parseJsonLd never throws on any text', () =>
    check(
      fc.property(nastyString(400), (text) => {
        parseJsonLd(text);
        expectNoPollution();
      }),
    ));

  it('itemFromJsonLd: blocks of products and nasty values give a valid item or null', () =>
    check(
      fc.property(fc.array(fc.oneof(product, nastyValue).map((v) => JSON.stringify(v) ?? 'null'), { maxLength: 4 }), hints, (blocks, h) => {
        const item = itemFromJsonLd(blocks, h);
        if (item) expectValidCapture({ type: 'view_item', ...item });
        expectNoPollution();
      }),
    ));

  it('itemFromRoots on live objects (microdata builds them) with __proto__ and constructor keys', () =>
    check(
      fc.property(fc.array(fc.oneof(product, nastyValue), { maxLength: 4 }), hints, (roots, h) => {
        const found = itemFromRoots(roots, h);
        if (found) expectValidCapture({ type: 'view_item', ...found.item });
        expectNoPollution();
      }),
    ));

  it('the clean-up stays linear on generated text tiled to 1 MB (against 1 kB)', () =>
    check(
      fc.property(nastyString(40).filter((s) => s.length > 0), (unit) => {
        const make = (scale: number) => unit.repeat(Math.ceil((1000 * scale) / unit.length));
        expect(linearRatio(make, (t) => parseJsonLd(t), 1000, 2)).toBeLessThan(LINEAR_LIMIT);
      }),
      0.04, // about 6 inputs: each one measures for a while
    ));
});

describe('fuzz: dataLayer, Open Graph, attributes', () => {
  it('eventsFromDataLayer: any entry gives valid events (and at most 50 per push)', () =>
    check(
      fc.property(
        fc.oneof(
          nastyValue,
          fc.record({ event: fc.constantFrom('view_item', 'add_to_cart', 'purchase', 'search', 'begin_checkout', 'constructor'), ecommerce: fc.record({ items: fc.array(nastyValue, { maxLength: 60 }), currency: nastyValue }), search_term: nastyValue }),
          fc.record({ ecommerce: fc.dictionary(fc.constantFrom('detail', 'add', 'remove', 'checkout', 'purchase', '__proto__'), fc.record({ products: fc.array(nastyValue, { maxLength: 5 }), actionField: nastyValue })) }),
          fc.tuple(fc.constant('event'), fc.constantFrom('view_item', 'add_to_cart', 'search', 'toString'), nastyValue),
        ),
        (entry) => {
          const events = eventsFromDataLayer(entry);
          expect(events.length).toBeLessThanOrEqual(50);
          for (const e of events) if (e.type !== 'view_item' || e.itemId) expectValidCapture(e as unknown as Record<string, unknown>);
          expectNoPollution();
        },
      ),
    ));

  it('itemFromOpenGraph: any meta tags give a valid item or null', () =>
    check(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom('og:type', 'og:title', 'og:url', 'product:price:amount', 'product:price:currency', 'product:sale_price:amount', 'product:availability', 'product:retailer_item_id', 'product:brand', '__proto__'), fc.oneof(fc.constantFrom('product', 'product.item'), nastyString(80)))),
        (pairs) => {
          const meta = new Map<string, string>();
          for (const [k, v] of pairs) if (!meta.has(k)) meta.set(k, v);
          const item = itemFromOpenGraph(meta, 'https://shop.example/p/mug');
          if (item) expectValidCapture({ type: 'view_item', ...item });
        },
      ),
    ));

  it('eventFromAttributes: any dataset gives a valid event or null', () =>
    check(
      fc.property(
        fc.dictionary(fc.constantFrom('tacitEvent', 'tacitItemId', 'tacitSku', 'tacitName', 'tacitPrice', 'tacitCurrency', 'tacitAvailability', 'tacitQuantity', 'tacitQuery', 'tacitBrand'), nastyString(80)),
        fc.constantFrom('view_item', 'add_to_cart', 'Product Added', 'search', 'purchase', 'constructor', '__proto__'),
        (data, event) => {
          const e = eventFromAttributes({ ...data, tacitEvent: data.tacitEvent ?? event });
          if (e && (e.type === 'search' ? e.query : e.itemId || !['view_item', 'add_to_cart', 'remove_from_cart', 'purchase'].includes(e.type))) expectValidCapture(e as unknown as Record<string, unknown>);
        },
      ),
    ));

  it('value cleaners: any input gives undefined or a value within the limits', () =>
    check(
      fc.property(fc.oneof(nastyString(3000), nastyValue), (v) => {
        const text = cleanText(v);
        if (text !== undefined) expect(text.length <= 500 && text.trim() === text && !text.includes('<')).toBe(true);
        const id = cleanId(v);
        if (id !== undefined) expect(id.length <= 200 && id.trim() === id && id !== '').toBe(true);
        const price = parsePrice(v);
        if (price !== undefined) expect(Number.isFinite(price) && price >= 0 && price <= 1e9).toBe(true);
        const q = parseQuantity(v);
        if (q !== undefined) expect(Number.isFinite(q) && q >= 0).toBe(true);
        const c = cleanCurrency(v);
        if (c !== undefined) expect(c).toMatch(/^[A-Z]{3}$/);
        toAvailability(v);
      }),
    ));

  it('nasty keys are data: a parsed "__proto__" never reaches a prototype', () =>
    check(
      fc.property(nastyKey, nastyValue, (key, value) => {
        const block = `{"@type":"Product","sku":"x",${JSON.stringify(key)}:${JSON.stringify(value) ?? 'null'},"offers":{${JSON.stringify(key)}:{"polluted":1}}}`;
        itemFromJsonLd([block], { url: 'https://shop.example/p/x' });
        eventsFromDataLayer(JSON.parse(`{"event":"add_to_cart","ecommerce":{"items":[{"item_id":"a",${JSON.stringify(key)}:{"polluted":1}}]}}`));
        expectNoPollution();
      }),
    ));
});
