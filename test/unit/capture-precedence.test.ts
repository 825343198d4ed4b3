import { describe, it, expect } from 'vitest';
import { chooseView, PRECEDENCE, type Candidate } from '../../src/events/capture/precedence.js';

const c = (source: Candidate['source'], itemId: string, extra: Partial<Candidate['item']> = {}): Candidate => ({ source, item: { itemId, ...extra } });

describe('chooseView', () => {
  it('the order is attribute, JSON-LD, microdata, dataLayer, Open Graph', () => {
    expect(PRECEDENCE).toEqual(['attribute', 'jsonld', 'microdata', 'datalayer', 'opengraph']);
    const all = [c('opengraph', 'A', { price: 13 }), c('datalayer', 'A', { price: 12 }), c('microdata', 'A', { price: 11 }), c('jsonld', 'A', { price: 10 })];
    expect(chooseView(all, true)).toEqual({ type: 'view_item', source: 'jsonld', itemId: 'A', price: 10 });
    expect(chooseView(all.slice(0, 3), true)?.source).toBe('microdata');
    expect(chooseView(all.slice(0, 2), true)?.source).toBe('datalayer');
    expect(chooseView([...all, c('attribute', 'A', { price: 9 })], false)).toMatchObject({ source: 'attribute', price: 9 });
  });

  it('fills missing fields from the others, only when they name the same item', () => {
    const view = chooseView([c('jsonld', 'A', { price: 10 }), c('microdata', 'A', { availability: 'InStock', price: 11 }), c('opengraph', 'B', { currency: 'EUR', name: 'Other' }), c('datalayer', 'A', { currency: 'USD', brand: 'Acme' })], true);
    expect(view).toEqual({ type: 'view_item', source: 'jsonld', itemId: 'A', price: 10, currency: 'USD', availability: 'InStock', brand: 'Acme' });
  });

  it('dataLayer and Open Graph wait until the page has settled; structured data decides at once', () => {
    expect(chooseView([c('datalayer', 'A')], false)).toBeNull();
    expect(chooseView([c('opengraph', 'A')], false)).toBeNull();
    expect(chooseView([c('datalayer', 'A')], true)?.source).toBe('datalayer');
    expect(chooseView([c('microdata', 'A'), c('opengraph', 'A')], false)?.source).toBe('microdata');
    expect(chooseView([], true)).toBeNull();
  });
});
