/**
 * Markup that real storefronts emit and the platform fixtures never showed (issue 15, item 2). Each rule
 * also has a page in test/capture-corpus/ that `npm run eval:capture` loads in Chromium; these tests pin
 * the rule on parsed data in Node.
 */
import { describe, expect, it } from 'vitest';
import { itemFromRoots } from '../../src/events/capture/schema.js';
import { chooseView } from '../../src/events/capture/precedence.js';

const PAGE = { url: 'https://shop.example/products/acme-mug' };
const item = (roots: unknown[], hints = PAGE) => itemFromRoots(roots, hints)?.item;

describe('case-insensitive schema.org types and property names', () => {
  it('reads "@type": "product", productId, Availability, lowprice', () => {
    expect(item([{ '@type': 'product', productId: 'P-9', offers: { '@type': 'offer', price: '12.00', priceCurrency: 'eur', Availability: 'https://schema.org/InStock' } }])).toEqual({
      itemId: 'P-9',
      price: 12,
      currency: 'EUR',
      availability: 'InStock',
    });
    expect(item([{ '@type': 'Product', sku: 'V1', offers: { url: {}, '@type': 'AggregateOffer', priceCurrency: 'USD', lowprice: '59.99', highprice: '99.99' } }])).toMatchObject({ itemId: 'V1', price: 59.99 });
    expect(item([{ '@type': ['https://schema.org/PRODUCTGROUP'], productGroupID: 'G', hasVariant: [{ '@type': 'Product', sku: 'G-1', offers: { price: 5 } }] }])).toMatchObject({ itemId: 'G-1', price: 5 });
  });

  it('an exact property name wins over a case variant', () => {
    expect(item([{ '@type': 'Product', sku: 'exact', SKU: 'variant' }])?.itemId).toBe('exact');
  });
});

describe('offers', () => {
  it("an AggregateOffer's own first offer is the price in view, its lowPrice only without offers", () => {
    const tiers = { '@type': 'AggregateOffer', lowPrice: '21.9', highPrice: '24.9', priceCurrency: 'EUR', offers: [{ '@type': 'Offer', price: '24.9' }, { '@type': 'Offer', price: '21.9' }] };
    expect(item([{ '@type': 'Product', sku: 'T', offers: tiers }])?.price).toBe(24.9);
    expect(item([{ '@type': 'Product', sku: 'T', offers: { '@type': 'AggregateOffer', lowPrice: '21.9', highPrice: '24.9' } }])?.price).toBe(21.9);
  });

  it('a yen or rupiah amount has no decimals', () => {
    expect(item([{ '@type': 'Product', sku: 'J', offers: { price: '1.980', priceCurrency: 'JPY' } }])?.price).toBe(1980);
    expect(item([{ '@type': 'Product', sku: 'E', offers: { price: '1.980', priceCurrency: 'EUR' } }])?.price).toBe(1.98);
  });
});

describe('the heading names the product in view', () => {
  const teaser = (name: string, i: number) => ({ '@type': 'Product', '@id': `/produkt/p${i}`, name, price: '14,90' });
  it('a category heading contained in one tile’s name does not make that tile the product in view', () => {
    const tiles = ['Espresso Blend Hausmischung', 'Crema Italiana', 'Decaf Schweizer Wasser'].map(teaser);
    expect(itemFromRoots(tiles, { url: 'https://kaffee.example/sorten/espresso', h1: 'Espresso' })).toBeNull();
  });
  it('a heading that holds the name with a little more (a brand, a size) still names it', () => {
    const tiles = ['Crema Italiana', 'Espresso Blend Hausmischung'].map(teaser);
    expect(itemFromRoots(tiles, { url: 'https://kaffee.example/x', h1: 'Espresso Blend Hausmischung 500 g' })?.item.itemId).toBe('p1');
  });
});

describe('filling fields from another source', () => {
  it('takes fields from a source that names the same product, by id or by name', () => {
    const view = chooseView(
      [
        { source: 'datalayer', item: { itemId: 'HH-CIS-26', name: 'Cast Iron Skillet 26cm', price: 39, currency: 'GBP' } },
        { source: 'opengraph', item: { itemId: 'cast-iron-skillet-26cm', name: 'Cast Iron  Skillet 26cm', availability: 'OutOfStock' } },
      ],
      true,
    );
    expect(view).toEqual({ type: 'view_item', source: 'datalayer', itemId: 'HH-CIS-26', name: 'Cast Iron Skillet 26cm', price: 39, currency: 'GBP', availability: 'OutOfStock', reason: 'one price source: datalayer; also named by opengraph' });
  });
});
