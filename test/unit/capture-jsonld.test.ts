import { describe, it, expect } from 'vitest';
import { itemFromJsonLd, parseJsonLd } from '../../src/events/capture/jsonld.js';
import { itemFromRoots } from '../../src/events/capture/schema.js';

const PAGE = { url: 'https://shop.example/products/acme-mug' };
const read = (blocks: unknown[], hints: { url: string; h1?: string } = PAGE) => itemFromJsonLd(blocks.map((b) => (typeof b === 'string' ? b : JSON.stringify(b))), hints);
const product = (extra: Record<string, unknown>) => ({ '@context': 'https://schema.org', '@type': 'Product', name: 'Acme Mug', ...extra });

describe('parseJsonLd', () => {
  it('unwraps CDATA and HTML comments, forgives raw line breaks and trailing commas', () => {
    expect(parseJsonLd('/*<![CDATA[*/ {"a":1} /*]]>*/')).toEqual({ a: 1 });
    expect(parseJsonLd('//<![CDATA[\n{"a":1}\n//]]>')).toEqual({ a: 1 });
    expect(parseJsonLd('<![CDATA[{"a":1}]]>')).toEqual({ a: 1 });
    expect(parseJsonLd('<!-- {"a":1} -->')).toEqual({ a: 1 });
    expect(parseJsonLd('{"d":"two\nlines"}')).toEqual({ d: 'two lines' });
    expect(parseJsonLd('{"a":[1,2,],}')).toEqual({ a: [1, 2] });
  });

  it('returns undefined for text that is not JSON', () => {
    for (const bad of ["{ name: 'x' }", '', '<p>hi</p>', '{"a":']) expect(parseJsonLd(bad)).toBeUndefined();
  });

  it('keeps a __proto__ key as data, never as a prototype', () => {
    const v = parseJsonLd('{"__proto__":{"polluted":true},"a":1}') as Record<string, unknown>;
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('itemFromJsonLd: where the product is', () => {
  const offer = { '@type': 'Offer', price: '12.50', priceCurrency: 'EUR', availability: 'https://schema.org/InStock' };

  it('a plain Product', () => {
    expect(read([product({ sku: 'MUG-1', offers: offer })])).toEqual({ itemId: 'MUG-1', name: 'Acme Mug', price: 12.5, currency: 'EUR', availability: 'InStock' });
  });

  it('an array of blocks, an @graph, an @type array or URL', () => {
    expect(read([[{ '@type': 'Organization', name: 'Acme' }, product({ sku: 'A' })]])?.itemId).toBe('A');
    expect(read([{ '@context': 'https://schema.org', '@graph': [{ '@type': 'WebPage' }, product({ sku: 'B' })] }])?.itemId).toBe('B');
    expect(read([product({ '@type': ['Product', 'Book'], sku: 'C' })])?.itemId).toBe('C');
    expect(read([product({ '@type': 'http://schema.org/Product', sku: 'D' })])?.itemId).toBe('D');
    expect(read([product({ '@type': 'schema:IndividualProduct', sku: 'E' })])?.itemId).toBe('E');
  });

  it('nested under WebPage.mainEntity or a Review.itemReviewed (with an offer: a review of merchandise on sale)', () => {
    expect(read([{ '@type': 'ItemPage', mainEntity: product({ sku: 'M' }) }])?.itemId).toBe('M');
    expect(read([{ '@type': 'Review', reviewBody: 'Great', itemReviewed: product({ sku: 'R', offers: { price: 5 } }) }])?.itemId).toBe('R');
    // Without an offer, the product is what a review or an article is about, not what the page sells.
    expect(read([{ '@type': 'Review', reviewBody: 'Great', itemReviewed: product({ sku: 'R' }) }])).toBeNull();
    expect(read([{ '@type': 'BlogPosting', about: product({ sku: 'A' }) }])).toBeNull();
  });

  it('not from an ItemList (a category page) nor a product\'s related items', () => {
    expect(read([{ '@type': 'ItemList', itemListElement: [{ '@type': 'ListItem', position: 1, item: product({ sku: 'L' }) }] }])).toBeNull();
    expect(read([product({ sku: 'MAIN', isRelatedTo: [product({ sku: 'OTHER' })] })])?.itemId).toBe('MAIN');
    expect(read([{ '@type': 'WebPage' }])).toBeNull();
  });

  it('several products: the one whose URL is the page\'s, else the one named like the <h1>', () => {
    const a = product({ name: 'Tile', sku: 'TILE', url: 'https://shop.example/products/other' });
    const b = product({ name: 'Acme Mug', sku: 'MAIN', url: '/products/acme-mug/' });
    expect(read([a, b])?.itemId).toBe('MAIN');
    const c = product({ name: 'Tile', sku: 'TILE' });
    const d = product({ name: 'Acme  <b>Mug</b>', sku: 'MAIN' });
    expect(read([c, d], { ...PAGE, h1: '\n  Acme Mug ' })?.itemId).toBe('MAIN');
    expect(read([c, d], { ...PAGE, h1: 'ACME MUG – blue, 350 ml' })?.itemId).toBe('MAIN'); // the name within the <h1>
  });

  it('several differently named products and nothing that says which: a listing page, no view', () => {
    const cards = ['Mug', 'Cup', 'Plate'].map((name, i) => product({ name, sku: `C${i}`, offers: { price: i + 1 } }));
    expect(read(cards, { ...PAGE, h1: 'Kitchen' })).toBeNull();
    expect(read(cards.slice(0, 1), { ...PAGE, h1: 'Kitchen' })?.itemId).toBe('C0'); // one product: the page's
  });

  it('the same product twice (the theme and a reviews app): the description with offers wins', () => {
    const reviews = { '@type': 'Product', '@id': 'https://shop.example/products/acme-mug#reviews', name: 'Acme Mug', aggregateRating: { ratingValue: 4.8, reviewCount: 12 } };
    const theme = product({ sku: 'MUG-1', url: 'https://shop.example/products/acme-mug', offers: { price: '9.00', priceCurrency: 'USD' } });
    expect(read([reviews, theme])).toMatchObject({ itemId: 'MUG-1', price: 9 });
  });

  it('resolves { "@id" } references across blocks (Yoast)', () => {
    const graph = {
      '@graph': [
        { '@type': 'WebPage', '@id': 'https://shop.example/p/#webpage', mainEntity: { '@id': 'https://shop.example/p/#product' } },
        { '@type': 'Product', '@id': 'https://shop.example/p/#product', name: 'Mug', sku: 'Y1', brand: { '@id': '#brand' }, offers: { '@id': '#offer' } },
      ],
    };
    const other = { '@graph': [{ '@type': 'Brand', '@id': '#brand', name: 'Acme' }, { '@type': 'Offer', '@id': '#offer', price: 3, priceCurrency: 'USD' }] };
    expect(read([graph, other])).toMatchObject({ itemId: 'Y1', brand: 'Acme', price: 3, currency: 'USD' });
  });

  it('ProductGroup.hasVariant: the variant in the URL, else the first in stock, else the first', () => {
    const variant = (n: number, stock: string, price: string) => ({
      '@type': 'Product',
      '@id': `/products/board?variant=${n}#variant`,
      name: `Board - ${n}`,
      sku: `B-${n}`,
      offers: { '@type': 'Offer', availability: `http://schema.org/${stock}`, price, priceCurrency: 'USD', url: `https://shop.example/products/board?variant=${n}` },
    });
    const group = { '@type': 'ProductGroup', name: 'Board', productGroupID: '800', brand: { '@type': 'Brand', name: 'Hydrogen' }, hasVariant: [variant(1, 'OutOfStock', '700.00'), variant(2, 'InStock', '750.00'), variant(3, 'InStock', '800.00')] };
    expect(read([group], { url: 'https://shop.example/products/board' })).toEqual({ itemId: 'B-2', name: 'Board', price: 750, currency: 'USD', availability: 'InStock', brand: 'Hydrogen', variant: 'Board - 2' });
    expect(read([group], { url: 'https://shop.example/products/board?variant=3' })?.itemId).toBe('B-3');
    expect(read([group], { url: 'https://shop.example/products/board?variant=1' })).toMatchObject({ itemId: 'B-1', availability: 'OutOfStock' });
    const noSkus = { ...group, hasVariant: group.hasVariant.map(({ sku: _, ...v }) => v) };
    expect(read([noSkus])?.itemId).toBe('800'); // falls back to the group's id
  });
});

describe('itemFromJsonLd: offers and prices', () => {
  const priceOf = (offers: unknown) => read([product({ sku: 'S', offers })]);

  it('one Offer, an array, an AggregateOffer', () => {
    expect(priceOf({ '@type': 'Offer', price: 9.5, priceCurrency: 'usd' })).toMatchObject({ price: 9.5, currency: 'USD' });
    expect(priceOf([{ '@type': 'Offer', price: '10', priceCurrency: 'EUR' }, { '@type': 'Offer', price: '11', priceCurrency: 'EUR' }])).toMatchObject({ price: 10 });
    expect(priceOf({ '@type': 'AggregateOffer', lowPrice: '20.0', highPrice: '25.0', priceCurrency: 'USD', offerCount: 3 })).toMatchObject({ price: 20, currency: 'USD' });
    expect(priceOf({ '@type': 'AggregateOffer', highPrice: 30, priceCurrency: 'USD' })).toMatchObject({ price: 30 });
    expect(priceOf({ '@type': 'AggregateOffer', offers: [{ price: '5', priceCurrency: 'GBP', availability: 'InStock' }] })).toMatchObject({ price: 5, currency: 'GBP', availability: 'InStock' });
  });

  it('the price in priceSpecification, skipping list / strikethrough prices (WooCommerce 9)', () => {
    const offers = [
      {
        '@type': 'Offer',
        priceSpecification: [
          { '@type': 'UnitPriceSpecification', price: '54.00', priceCurrency: 'EUR', priceType: 'https://schema.org/ListPrice' },
          { '@type': 'UnitPriceSpecification', price: '45.00', priceCurrency: 'EUR' },
        ],
        availability: 'http://schema.org/InStock',
      },
    ];
    expect(priceOf(offers)).toMatchObject({ price: 45, currency: 'EUR', availability: 'InStock' });
    expect(priceOf({ '@type': 'Offer', priceSpecification: { price: 7, priceCurrency: 'CHF' } })).toMatchObject({ price: 7, currency: 'CHF' });
  });

  it('prices as text with separators and symbols; bad prices are left out, not the event', () => {
    expect(priceOf({ price: '1.234,56', priceCurrency: 'EUR' })?.price).toBe(1234.56);
    expect(priceOf({ price: '$1,299.00', priceCurrency: 'USD' })?.price).toBe(1299);
    for (const bad of ['NaN', -5, '-5', 'call us', null, { value: 3 }]) {
      const item = priceOf({ price: bad, priceCurrency: 'EUR' });
      expect(item?.itemId).toBe('S');
      expect(item?.price).toBeUndefined();
    }
  });

  it('availability as a URL or bare; nonsense is left out', () => {
    expect(priceOf({ price: 1, availability: 'InStock' })?.availability).toBe('InStock');
    expect(priceOf({ price: 1, availability: 'https://schema.org/PreOrder' })?.availability).toBe('PreOrder');
    expect(priceOf({ price: 1, availability: 'javascript:alert(1)' })?.availability).toBeUndefined();
  });

  it('a price on the product itself when there is no offer (loose microdata)', () => {
    expect(read([product({ sku: 'S', price: '8,50', priceCurrency: 'EUR' })])).toMatchObject({ price: 8.5, currency: 'EUR' });
  });
});

describe('itemFromJsonLd: ids and text fields', () => {
  it('sku, then productID, mpn, a GTIN, then the URL handle (Next.js Commerce, Saleor), then the page\'s', () => {
    expect(read([product({ sku: 'S', productID: 'P', mpn: 'M' })])?.itemId).toBe('S');
    expect(read([product({ productID: 'isbn:123', mpn: 'M' })])?.itemId).toBe('isbn:123');
    expect(read([product({ mpn: 'M', gtin13: '4006381333931' })])?.itemId).toBe('M');
    expect(read([product({ gtin13: '4006381333931' })])?.itemId).toBe('4006381333931');
    expect(read([product({ gtin: 12345 })])?.itemId).toBe('12345');
    expect(read([product({ offers: { sku: 'FROM-OFFER', price: 1 } })])?.itemId).toBe('FROM-OFFER');
    expect(read([product({ url: 'https://shop.example/product/acme-cup' })])?.itemId).toBe('acme-cup');
    expect(read([product({ '@id': 'https://shop.example/produkt/hoodie/#product' })])?.itemId).toBe('hoodie');
    expect(read([product({})], { url: 'https://shop.example/product/acme-t-shirt' })?.itemId).toBe('acme-t-shirt');
    expect(read([product({})], { url: 'https://shop.example/' })).toBeNull();
  });

  it('brand as a string, { name }, an array; category as a string or array; names cleaned', () => {
    expect(read([product({ sku: 'S', brand: 'Acme' })])?.brand).toBe('Acme');
    expect(read([product({ sku: 'S', brand: { '@type': 'Brand', name: 'Acme' } })])?.brand).toBe('Acme');
    expect(read([product({ sku: 'S', brand: [{ name: 'First' }, 'Second'] })])?.brand).toBe('First');
    expect(read([product({ sku: 'S', brand: { name: { __proto__: 'x' } } })])?.brand).toBeUndefined();
    expect(read([product({ sku: 'S', category: ['Apparel', 'Tees'] })])?.category).toBe('Apparel');
    expect(read([product({ sku: 'S', name: '<script>alert(1)</script>Mug &amp; <i>Co</i>' })])?.name).toBe('Mug & Co');
    expect(read([product({ sku: 'S', name: 'n'.repeat(5000) })])?.name).toHaveLength(500);
  });

  it('an id longer than 200 characters is not an id: the next fallback is used', () => {
    expect(read([product({ sku: 'x'.repeat(300), mpn: 'M' })])?.itemId).toBe('M');
  });
});

describe('itemFromJsonLd: hostile blocks', () => {
  it('skips a block that does not parse and reads the next', () => {
    expect(read(["{ '@type': 'Product', sku: 'BAD' }", product({ sku: 'GOOD' })])?.itemId).toBe('GOOD');
  });

  it('a 1 MB block next to the product: read in well under a second', () => {
    const offers = Array.from({ length: 12_000 }, (_, i) => ({ '@type': 'Offer', '@id': `#o${i}`, price: `${i},99`, name: 'x'.repeat(40) }));
    const big = JSON.stringify({ '@graph': offers, description: 'y'.repeat(200_000) });
    expect(big.length).toBeGreaterThan(1_000_000);
    const t0 = performance.now();
    expect(read([big, product({ sku: 'AFTER-BIG' })])?.itemId).toBe('AFTER-BIG');
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  it('deep nesting stops the walk instead of the stack', () => {
    const deep = '{"a":'.repeat(3000) + '{"@type":"Product","sku":"DEEP"}' + '}'.repeat(3000);
    expect(read([deep])).toBeNull();
    let nested: Record<string, unknown> = product({ sku: 'SHALLOW' });
    for (let i = 0; i < 10; i++) nested = { '@type': 'WebPage', mainEntity: nested };
    expect(read([nested])?.itemId).toBe('SHALLOW');
  });

  it('__proto__ and constructor keys are plain data', () => {
    const text = '{"@type":"Product","__proto__":{"sku":"PROTO"},"constructor":{"prototype":{"x":1}},"offers":{"__proto__":{"price":1}},"sku":"REAL"}';
    expect(read([text])).toEqual({ itemId: 'REAL' });
    expect(({} as Record<string, unknown>).sku).toBeUndefined();
  });

  it('microdata-shaped items (repeated properties as arrays) read the same way', () => {
    const body = {
      '@type': ['http://schema.org/Product'],
      price: '32', // a recommendation tile's itemprop=price leaking into the page's item
      name: 'Joust Duffle Bag',
      offers: { '@type': ['http://schema.org/Offer'], price: '1234.5', priceCurrency: 'EUR', availability: 'http://schema.org/InStock' },
      sku: '24-MB01',
    };
    expect(itemFromRoots([body], PAGE)?.item).toEqual({ itemId: '24-MB01', name: 'Joust Duffle Bag', price: 1234.5, currency: 'EUR', availability: 'InStock' });
  });
});
