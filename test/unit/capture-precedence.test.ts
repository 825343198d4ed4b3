import { describe, it, expect } from 'vitest';
import { chooseView, PRECEDENCE, type Candidate } from '../../src/events/capture/precedence.js';

const c = (source: Candidate['source'], itemId: string, extra: Partial<Candidate['item']> = {}): Candidate => ({ source, item: { itemId, ...extra } });

describe('chooseView', () => {
  it('the order is attribute, JSON-LD, microdata, RDFa, dataLayer, Open Graph', () => {
    expect(PRECEDENCE).toEqual(['attribute', 'jsonld', 'microdata', 'rdfa', 'datalayer', 'opengraph']);
    const all = [c('opengraph', 'A', { price: 13 }), c('datalayer', 'A', { price: 12 }), c('microdata', 'A', { price: 11 }), c('jsonld', 'A', { price: 10 })];
    expect(chooseView(all, true)).toEqual({ type: 'view_item', source: 'jsonld', itemId: 'A', price: 10, reason: 'precedence: jsonld over microdata 11, datalayer 12, opengraph 13' });
    expect(chooseView(all.slice(0, 3), true)?.source).toBe('microdata');
    expect(chooseView(all.slice(0, 2), true)?.source).toBe('datalayer');
    expect(chooseView([...all, c('attribute', 'A', { price: 9 })], false)).toMatchObject({ source: 'attribute', price: 9 });
  });

  it('fills missing fields from the others, only when they name the same item', () => {
    const view = chooseView([c('jsonld', 'A', { price: 10 }), c('microdata', 'A', { availability: 'InStock', price: 11 }), c('opengraph', 'B', { currency: 'EUR', name: 'Other' }), c('datalayer', 'A', { currency: 'USD', brand: 'Acme' })], true);
    expect(view).toEqual({ type: 'view_item', source: 'jsonld', itemId: 'A', price: 10, currency: 'USD', availability: 'InStock', brand: 'Acme', reason: 'precedence: jsonld over microdata 11' });
  });

  it('dataLayer and Open Graph wait until the page has settled; structured data decides at once', () => {
    expect(chooseView([c('datalayer', 'A')], false)).toBeNull();
    expect(chooseView([c('opengraph', 'A')], false)).toBeNull();
    expect(chooseView([c('datalayer', 'A')], true)?.source).toBe('datalayer');
    expect(chooseView([c('microdata', 'A'), c('opengraph', 'A')], false)?.source).toBe('microdata');
    expect(chooseView([c('rdfa', 'A'), c('datalayer', 'A')], false)?.source).toBe('rdfa');
    expect(chooseView([], true)).toBeNull();
  });

  it('decides a disputed price by the majority, the visible price counting as one voice, and says why', () => {
    // An auction: JSON-LD holds the starting bid, Open Graph and the price under the heading the current bid.
    const auction = [c('jsonld', 'L', { price: 99, currency: 'USD' }), c('opengraph', 'L', { price: 412, currency: 'USD' })];
    expect(chooseView(auction, true, () => 412)).toEqual({ type: 'view_item', source: 'opengraph', itemId: 'L', price: 412, currency: 'USD', reason: 'majority: opengraph + visible price over jsonld 99' });
    // Without the visible price it is one against one: the order decides.
    expect(chooseView(auction, true, () => undefined)).toMatchObject({ source: 'jsonld', price: 99, reason: 'precedence: jsonld over opengraph 412' });
    expect(chooseView(auction, true, () => 99)).toMatchObject({ source: 'jsonld', price: 99, reason: 'agreement: jsonld + visible price over opengraph 412' });
    // Two sources against one, no visible price needed.
    expect(chooseView([...auction, c('datalayer', 'L', { price: 412 })], true)).toMatchObject({ source: 'datalayer', price: 412, reason: 'majority: datalayer + opengraph over jsonld 99' });
  });

  it('says when sources agree, when one source is alone, and never outvotes explicit attributes', () => {
    let asked = 0;
    const seen = () => (asked++, 1);
    expect(chooseView([c('jsonld', 'A', { price: 5 }), c('opengraph', 'A', { price: 5 })], true, seen)?.reason).toBe('sources agree: jsonld, opengraph');
    expect(chooseView([c('microdata', 'A', { price: 5 })], true, seen)?.reason).toBe('only source: microdata');
    expect(asked).toBe(0); // the page is read only when the sources disagree
    expect(chooseView([c('attribute', 'A', { price: 1 }), c('jsonld', 'A', { price: 2 }), c('opengraph', 'A', { price: 2 })], true, () => 2)).toMatchObject({ source: 'attribute', price: 1, reason: 'declared: data-tacit-* attributes' });
  });

  it('a source that matches by name only fills fields but does not vote on the price', () => {
    // Shopify: the JSON-LD offer is the variant the URL selects; og:price and the Google app's GA4 push (its own
    // id format) give the product's first price.
    const view = chooseView([c('jsonld', 'V-160', { name: 'Board', price: 799.95 }), c('datalayer', 'shopify_US_1_2', { name: 'Board', price: 749.95 }), c('opengraph', 'board', { name: 'Board', price: 749.95, availability: 'InStock' })], true, () => 749.95);
    expect(view).toMatchObject({ source: 'jsonld', itemId: 'V-160', price: 799.95, availability: 'InStock', reason: 'one price source: jsonld; also named by datalayer, opengraph' });
  });
});
