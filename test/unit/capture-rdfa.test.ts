// @vitest-environment happy-dom
/**
 * RDFa Lite as a capture source (issue 15): `vocab`/`typeof`/`property` markup of schema.org Product and
 * Offer, read by the microdata reader with RDFa's attribute names. Each markup pattern below also has a page
 * in test/capture-corpus/ that `npm run eval:capture` loads in Chromium with the built SDK.
 * Before RDFa was read, every expectation of an item here was null: no source of capture looked at these
 * attributes.
 */
import { describe, expect, it } from 'vitest';
import { microdataItems, RDFA, readMicrodata } from '../../src/events/capture/microdata.js';
import { chooseView } from '../../src/events/capture/precedence.js';
import { startCapture } from '../../src/events/capture/index.js';
import type { TrackInput } from '../../src/events/vocabulary.js';

const page = (html: string) => {
  const doc = document.implementation.createHTMLDocument('t');
  doc.body.innerHTML = html;
  return doc;
};
const rdfa = (html: string, url = 'https://shop.example/products/anvil', h1?: string) => {
  const doc = page(html);
  return readMicrodata(doc, { url, h1: h1 ?? doc.querySelector('h1')?.textContent ?? '' }, RDFA)?.item ?? null;
};

// The schema.org / Google Search Central Product example in RDFa Lite (vocab on the item, nested Offer,
// availability as a <link href>, price `content` next to display text).
const SCHEMA_ORG = `<div vocab="https://schema.org/" typeof="Product">
  <span property="brand" typeof="Brand"><span property="name">ACME</span></span>
  <h1 property="name">Executive Anvil</h1>
  <img property="image" src="anvil_executive.jpg" alt="">
  Product #: <span property="mpn">925872</span>
  <span property="aggregateRating" typeof="AggregateRating"><span property="ratingValue">4.4</span></span>
  <span property="offers" typeof="Offer">
    <meta property="priceCurrency" content="USD">$<span property="price" content="119.99">119.99</span>
    <link property="itemCondition" href="https://schema.org/UsedCondition">
    <link property="availability" href="https://schema.org/InStock">In stock!
    <span property="seller" typeof="Organization"><span property="name">Executive Objects</span></span>
  </span>
</div>`;

describe('RDFa Lite', () => {
  it('reads a schema.org Product with a nested Offer', () => {
    expect(rdfa(SCHEMA_ORG)).toEqual({ itemId: '925872', name: 'Executive Anvil', price: 119.99, currency: 'USD', availability: 'InStock', brand: 'ACME' });
  });

  it('reads prefixed names and the item id of Drupal’s RDF module (schema:Product, about, a text price)', () => {
    const drupal = `<article about="/product/12" typeof="schema:Product" class="commerce-product">
      <span property="schema:name" content="Linen Apron" class="rdf-meta hidden"></span>
      <h1><span>Linen Apron</span></h1>
      <div property="schema:description"><p>Stonewashed linen.</p></div>
      <div class="field--name-price"><div property="schema:price">€34,00</div></div>
      <div property="schema:offers" typeof="schema:Offer"><meta property="schema:priceCurrency" content="EUR"><meta property="schema:price" content="34.00"><link property="schema:availability" href="http://schema.org/InStock"></div>
    </article>`;
    expect(rdfa(drupal, 'https://atelier.example/product/12')).toEqual({ itemId: '12', name: 'Linen Apron', price: 34, currency: 'EUR', availability: 'InStock' });
    // Full vocabulary IRIs as names and types read the same.
    expect(rdfa(`<div typeof="http://schema.org/Product"><span property="http://schema.org/sku">Z-1</span><div property="http://schema.org/offers" typeof="http://schema.org/Offer"><span property="http://schema.org/price" content="5.5"></span></div></div>`)).toMatchObject({ itemId: 'Z-1', price: 5.5 });
  });

  it('reads an IRI value from `resource`', () => {
    expect(rdfa(`<div vocab="http://schema.org/" typeof="Product"><meta property="sku" content="R-1"><div property="offers" typeof="Offer"><span property="price" content="9"></span><span property="availability" resource="http://schema.org/OutOfStock">Sold out</span></div></div>`)).toMatchObject({ itemId: 'R-1', price: 9, availability: 'OutOfStock' });
  });

  it('a recommendation tile nested in the product (an item of its own) lends it no price, and tiles alone are a listing', () => {
    const tiles = (n: number) =>
      Array.from({ length: n }, (_, i) => `<li typeof="Product"><span property="name">Tile ${i}</span><meta property="sku" content="T-${i}"><span property="offers" typeof="Offer"><span property="price" content="${i + 1}.00"></span></span></li>`).join('');
    const html = `<div vocab="http://schema.org/" typeof="Product"><h1 property="name">Executive Anvil</h1><meta property="sku" content="A-1">
      <ul class="related">${tiles(3)}</ul>
      <div property="offers" typeof="Offer"><span property="price" content="119.99"></span></div></div>`;
    expect(rdfa(html)).toMatchObject({ itemId: 'A-1', price: 119.99 });
    expect(rdfa(`<h1>Outerwear</h1><ul vocab="http://schema.org/">${tiles(4)}</ul>`, 'https://shop.example/collections/outerwear')).toBeNull();
  });

  it('a top-level product that is the page’s mainEntity wins over product tiles', () => {
    const html = `<div vocab="https://schema.org/"><h1>Cast Iron Skillet</h1>
      <section property="mainEntity" typeof="Product"><meta property="sku" content="SK-26"><meta property="name" content="Skillet 26"><div property="offers" typeof="Offer"><meta property="price" content="39.00"><meta property="priceCurrency" content="GBP"></div></section>
      <aside><div typeof="Product"><meta property="sku" content="OTHER"><meta property="name" content="Dutch Oven"><div property="offers" typeof="Offer"><meta property="price" content="89.00"></div></div></aside></div>`;
    expect(rdfa(html, 'https://shop.example/p/x')).toMatchObject({ itemId: 'SK-26', price: 39, currency: 'GBP' });
  });

  it('microdata and RDFa are read apart: neither reader takes the other’s attributes', () => {
    const both = `<div itemscope itemtype="https://schema.org/Product"><meta itemprop="sku" content="MD"><div itemprop="offers" itemscope itemtype="https://schema.org/Offer"><meta itemprop="price" content="1"></div></div>
      <div vocab="https://schema.org/" typeof="Product"><meta property="sku" content="RD"><div property="offers" typeof="Offer"><meta property="price" content="2"></div></div>`;
    const doc = page(both);
    expect(readMicrodata(doc, { url: 'https://shop.example/x' })?.item).toMatchObject({ itemId: 'MD', price: 1 });
    expect(readMicrodata(doc, { url: 'https://shop.example/x' }, RDFA)?.item).toMatchObject({ itemId: 'RD', price: 2 });
  });

  it('Open Graph `property` tags outside any typed item make no item', () => {
    const doc = page('');
    doc.head.innerHTML = '<meta property="og:type" content="product"><meta property="product:price:amount" content="10">';
    expect(microdataItems(doc, RDFA).items).toEqual([]);
  });

  it('is decided by evidence like every source: RDFa outvoted by two sources and the visible price', () => {
    const view = chooseView(
      [
        { source: 'rdfa', item: { itemId: 'LOT-7', price: 100 } },
        { source: 'datalayer', item: { itemId: 'LOT-7', price: 140 } },
        { source: 'opengraph', item: { itemId: 'LOT-7', price: 140 } },
      ],
      true,
      () => 140,
    );
    expect(view).toMatchObject({ source: 'datalayer', price: 140, reason: 'majority: datalayer + opengraph + visible price over rdfa 100' });
  });
});

describe('startCapture records an RDFa product view with source "rdfa"', () => {
  it('on a page whose only structured data is RDFa', async () => {
    document.body.innerHTML = SCHEMA_ORG;
    const tracked: TrackInput[] = [];
    const stop = startCapture({ track: async (e) => void tracked.push(e) });
    await new Promise((r) => setTimeout(r, 50));
    stop();
    expect(tracked).toEqual([{ type: 'view_item', source: 'rdfa', itemId: '925872', name: 'Executive Anvil', price: 119.99, currency: 'USD', availability: 'InStock', brand: 'ACME', reason: 'only source: rdfa' }]);
  });
});
