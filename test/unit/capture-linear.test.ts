// @vitest-environment happy-dom
/**
 * Issue 12, defect 2: every capture parser runs synchronously inside the page's own calls, so each must be
 * linear in its input and bounded. Each check compares a large input (about 1 MB, or 1,000 times the
 * small one) with the small one, in the same run (see linear.ts): no wall-clock constants.
 * The microdata case failed before the fix: each of a chain of nested properties read its `textContent`,
 * the text of its whole subtree (ratio 26 with the old code, 0.1 to 0.35 with the fix, in happy-dom here).
 */
import { describe, it, expect } from 'vitest';
import { cleanCurrency, cleanId, cleanText, lastSegment, parsePrice, parseQuantity, boundedText } from '../../src/events/capture/values.js';
import { eventsFromDataLayer } from '../../src/events/capture/datalayer.js';
import { itemFromOpenGraph } from '../../src/events/capture/opengraph.js';
import { eventFromAttributes } from '../../src/events/capture/attributes.js';
import { itemFromRoots } from '../../src/events/capture/schema.js';
import { parseJsonLd } from '../../src/events/capture/jsonld.js';
import { microdataItems, readMicrodata } from '../../src/events/capture/microdata.js';
import { toAvailability } from '../../src/events/validate.js';
import { linearRatio, LINEAR_LIMIT } from './linear.js';

const hints = { url: 'https://shop.example/p/mug', h1: 'Mug' };
const pad = (scale: number, unit: string) => unit.repeat(Math.ceil((1000 * scale) / unit.length));

describe('capture parsers are linear in their input', () => {
  // Inputs chosen to hit each parser's slow path: whitespace runs, unclosed tags, separators, long keys.
  const cases: [string, (scale: number) => unknown, (x: never) => unknown][] = [
    ['cleanText: unclosed tags and whitespace', (s) => '<script' + pad(s, '< a \t'), (x: string) => cleanText(x)],
    ['cleanText: entities', (s) => pad(s, '&amp;&#39;'), (x: string) => cleanText(x)],
    ['parsePrice', (s) => pad(s, '1.2,3 '), (x: string) => parsePrice(x)],
    ['cleanId', (s) => pad(s, ' ') + 'sku' + pad(s, ' '), (x: string) => cleanId(x)],
    ['cleanCurrency', (s) => 'EUR' + pad(s, ' ') + 'x', (x: string) => cleanCurrency(x)],
    ['parseQuantity', (s) => '1' + pad(s, '0') + 'x', (x: string) => parseQuantity(x)],
    ['toAvailability', (s) => pad(s, '/:#a'), (x: string) => toAvailability(x)],
    ['lastSegment', (s) => 'https://shop.example/' + pad(s, 'a/'), (x: string) => lastSegment(x)],
    ['JSON-LD clean-up', (s) => '/*<![CDATA[*/' + JSON.stringify({ review: pad(s, ' \n') }) + pad(s, ' ,') + '/*]]>*/', (x: string) => parseJsonLd(x)],
    [
      'JSON-LD products',
      (s) => ({ '@graph': Array.from({ length: 10 * s }, (_, i) => ({ '@type': 'Product' + pad(0.1, 'x'), name: 'n' + i, sku: 's' + i, offers: { priceSpecification: [{ priceType: pad(0.1, 'List'), price: '1' }] } })) }),
      (x: object) => itemFromRoots([x], hints),
    ],
    [
      'dataLayer entry',
      (s) => ({ event: 'purchase', ecommerce: { currency: pad(s, ' '), items: Array.from({ length: 10 * s }, () => ({ item_id: pad(0.1, ' '), item_name: pad(0.1, '<b'), price: pad(0.1, '1,') })) } }),
      (x: object) => eventsFromDataLayer(x),
    ],
    [
      'Open Graph tags',
      (s) => new Map([['og:type', 'product'], ['og:url', 'https://shop.example/' + pad(s, 'a/')], ['og:title', pad(s, '<i ')], ['product:price:amount', pad(s, '9.')], ['product:availability', pad(s, 'in stock ')]]),
      (x: Map<string, string>) => itemFromOpenGraph(x, 'https://shop.example/p/1'),
    ],
    [
      'data-tacit-* attributes',
      (s) => ({ tacitEvent: 'add_to_cart' + pad(s, ' '), tacitItemId: pad(s, ' '), tacitName: pad(s, '<'), tacitPrice: pad(s, ','), tacitQuantity: pad(s, '1') }),
      (x: Record<string, string>) => eventFromAttributes(x),
    ],
  ];
  for (const [name, make, run] of cases) {
    it(name, () => {
      const ratio = linearRatio(make, run as (x: unknown) => unknown);
      if (process.env.TACIT_PRINT_RATIOS) console.log(name, 'ratio', ratio);
      expect(ratio).toBeLessThan(LINEAR_LIMIT);
    });
  }
});

describe('microdata reads a bounded amount of the page', () => {
  /** An item whose property holds a property that holds … `depth` levels, the text at the bottom. */
  function nested(depth: number): Document {
    const doc = document.implementation.createHTMLDocument('t');
    let el: Element = doc.createElement('div');
    el.setAttribute('itemscope', '');
    el.setAttribute('itemtype', 'https://schema.org/Product');
    doc.body.append(el);
    const name = doc.createElement('span');
    name.setAttribute('itemprop', 'name');
    name.textContent = 'Mug';
    el.append(name);
    for (let i = 0; i < depth; i++) {
      const child = doc.createElement('div');
      child.setAttribute('itemprop', 'description');
      el.append(child);
      el = child;
    }
    el.append('the bottom');
    return doc;
  }

  it('nested properties: time linear in the depth (quadratic before the fix)', () => {
    const ratio = linearRatio((s) => nested(20 * s), (doc) => microdataItems(doc), 100);
    if (process.env.TACIT_PRINT_RATIOS) console.log('microdata nested ratio', ratio);
    expect(ratio).toBeLessThan(LINEAR_LIMIT);
  });

  it('still reads the product of an ordinary item, and cuts a property text at 2,000 characters', () => {
    const doc = document.implementation.createHTMLDocument('t');
    doc.body.innerHTML = `<div itemscope itemtype="https://schema.org/Product"><h1 itemprop="name">Mug <b>Blue</b></h1>
      <meta itemprop="sku" content="MUG-1"><p itemprop="description">${'x'.repeat(5000)}</p>
      <div itemprop="offers" itemscope itemtype="https://schema.org/Offer"><span itemprop="price">12,50</span><meta itemprop="priceCurrency" content="EUR"></div></div>`;
    expect(readMicrodata(doc, { url: 'https://shop.example/p/mug', h1: 'Mug Blue' })?.item).toEqual({ itemId: 'MUG-1', name: 'Mug Blue', price: 12.5, currency: 'EUR' });
    expect((microdataItems(doc).items[0]!.description as string).length).toBe(2000);
  });

  it('boundedText stops at the character cap and at the node budget', () => {
    const div = document.createElement('div');
    div.innerHTML = '<p>ab</p><p>cd<i>ef</i></p>gh';
    expect(boundedText(div)).toBe(div.textContent);
    expect(boundedText(div, 3)).toBe('abc');
    const budget = { nodes: 3 };
    expect(boundedText(div, 100, budget)).toBe('ab'); // <p>, "ab", <p>: the budget is spent
    expect(budget.nodes).toBeLessThan(0);
    expect(boundedText(div, 100, budget)).toBe('');
  });
});
