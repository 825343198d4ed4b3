import { describe, it, expect } from 'vitest';
import { cleanCurrency, cleanId, cleanText, lastSegment, parsePrice, parseQuantity } from '../../src/events/capture/values.js';
import { normalizeEvent, isStoredEvent, toAvailability } from '../../src/events/validate.js';
import { AVAILABILITY } from '../../src/events/vocabulary.js';
import { throwsWith } from './helpers.js';

describe('parsePrice', () => {
  it.each([
    [19.9, 19.9],
    [0, 0],
    ['19.99', 19.99],
    ['749.95', 749.95],
    ['1,299.00', 1299],
    ['1.299,00', 1299],
    ['1.299,00 €', 1299],
    ['€ 1.299,-', 1299],
    ['12,-', 12],
    ['19,99', 19.99],
    ['1 299,50', 1299.5],
    ['1\u00a0299,50', 1299.5],
    ["1'299.50", 1299.5],
    ['$1,299', 1299],
    ['1,299', 1299], // one comma and three digits: thousands
    ['0,500', 0.5], // …unless the integer part is 0
    ['1.299', 1.299], // one dot: a decimal point, as schema.org writes prices
    ['1.299.000', 1299000],
    ['1,299,000.50', 1299000.5],
    ['EUR 45.00', 45],
    ['  45 ', 45],
  ])('%j → %j', (input, expected) => {
    expect(parsePrice(input)).toBe(expected);
  });

  it.each([[Number.NaN], [Infinity], [-5], ['-5'], ['- 5'], ['NaN'], ['free'], [''], ['1.2.3,4,5'], [{}], [null], [undefined], [true], ['9'.repeat(50)], [2e9]])('%j → undefined', (input) => {
    expect(parsePrice(input)).toBeUndefined();
  });

  it('takes the first of an array (repeated microdata properties)', () => {
    expect(parsePrice(['34', '32'])).toBe(34);
  });
});

describe('cleanText', () => {
  it('strips tags and script blocks, decodes entities, collapses whitespace', () => {
    expect(cleanText('<script>alert(1)</script>Evil <b>Mug</b> &amp; Co')).toBe('Evil Mug & Co');
    expect(cleanText('  Hoodie\n\t mit   Logo ')).toBe('Hoodie mit Logo');
    expect(cleanText('&lt;script&gt;x&lt;/script&gt;Tee')).toBe('Tee');
    expect(cleanText("Rock &#039;n&#39; Roll &quot;Tee&quot;")).toBe('Rock \'n\' Roll "Tee"');
    expect(cleanText('<img src=x onerror=alert(1)>')).toBeUndefined();
    expect(cleanText('<style>.a{}</style><svg><script>1</script></svg>Ok')).toBe('Ok');
  });

  it('cuts at the limit instead of refusing, and turns numbers into strings', () => {
    expect(cleanText('x'.repeat(10_000))).toHaveLength(500);
    expect(cleanText('abcdef', 3)).toBe('abc');
    expect(cleanText(42)).toBe('42');
    expect(cleanText(Number.NaN)).toBeUndefined();
    expect(cleanText({ name: 'x' })).toBeUndefined();
    expect(cleanText('   ')).toBeUndefined();
  });
});

describe('cleanId, cleanCurrency, parseQuantity, lastSegment', () => {
  it('ids: strings and numbers; too long is not an id', () => {
    expect(cleanId(' sku-1 ')).toBe('sku-1');
    expect(cleanId(1187)).toBe('1187');
    expect(cleanId(['a', 'b'])).toBe('a');
    expect(cleanId('x'.repeat(201))).toBeUndefined();
    expect(cleanId({ id: 1 })).toBeUndefined();
    expect(cleanId('')).toBeUndefined();
  });

  it('currencies: three letters, upper-cased; a sign that names one currency', () => {
    expect(cleanCurrency(' eur ')).toBe('EUR');
    expect(cleanCurrency('€')).toBe('EUR');
    expect(cleanCurrency('zł')).toBe('PLN');
    for (const bad of ['$', '¥', 'EURO', 'E1R', 978, undefined, '__proto__', 'constructor']) expect(cleanCurrency(bad)).toBeUndefined();
  });

  it('quantities: non-negative numbers or numeric text', () => {
    expect(parseQuantity('2')).toBe(2);
    expect(parseQuantity(3)).toBe(3);
    for (const bad of [-1, 'two', Number.NaN, 1e7]) expect(parseQuantity(bad)).toBeUndefined();
  });

  it('handles from URLs', () => {
    expect(lastSegment('https://shop.example/products/acme-mug?variant=1#x')).toBe('acme-mug');
    expect(lastSegment('/produkt/hoodie-mit-logo/', 'https://nordlicht.example/')).toBe('hoodie-mit-logo');
    expect(lastSegment('https://luma.example/joust-duffle-bag.html')).toBe('joust-duffle-bag');
    expect(lastSegment('https://shop.example/')).toBeUndefined();
    expect(lastSegment('::not a url')).toBeUndefined();
    expect(lastSegment('https://shop.example/index.php?id_product=12')).toBeUndefined();
    expect(lastSegment(42)).toBeUndefined();
  });
});

describe('availability in the vocabulary and the validator', () => {
  it('normalizes URLs, bare names and Open Graph phrases to the schema.org name', () => {
    const cases: [string, string][] = [
      ['https://schema.org/InStock', 'InStock'],
      ['http://schema.org/OutOfStock', 'OutOfStock'],
      ['schema:PreOrder', 'PreOrder'],
      ['InStock', 'InStock'],
      ['instock', 'InStock'],
      ['in stock', 'InStock'],
      ['in_stock', 'InStock'],
      ['out of stock', 'OutOfStock'],
      ['oos', 'OutOfStock'],
      ['pre-order', 'PreOrder'],
      ['available for order', 'BackOrder'],
      ['https://schema.org/LimitedAvailability ', 'LimitedAvailability'],
    ];
    for (const [input, name] of cases) expect(toAvailability(input), input).toBe(name);
    for (const name of AVAILABILITY) expect(toAvailability(`https://schema.org/${name}`)).toBe(name);
    for (const bad of ['javascript:alert(1)', 'maybe', '', 7, null, 'x'.repeat(200)]) expect(toAvailability(bad)).toBeUndefined();
  });

  it('normalizeEvent stores availability and source; rejects unknown values naming the field', () => {
    const e = normalizeEvent({ type: 'view_item', itemId: 'a', availability: 'https://schema.org/InStock', source: 'jsonld' }, 1);
    expect(e).toEqual({ type: 'view_item', ts: 1, itemId: 'a', availability: 'InStock', source: 'jsonld' });
    expect(isStoredEvent(e)).toBe(true);
    throwsWith(() => normalizeEvent({ type: 'view_item', itemId: 'a', availability: 'sometimes' }), TypeError, '"availability"');
    throwsWith(() => normalizeEvent({ type: 'view_item', itemId: 'a', source: 'cookie' }), TypeError, '"source"');
  });

  it('isStoredEvent refuses records whose new or old fields have the wrong shape', () => {
    const ok = { type: 'view_item', ts: 1, itemId: 'a' };
    for (const bad of [
      { ...ok, availability: 'in stock' }, // stored names are canonical
      { ...ok, source: 'cookie' },
      { ...ok, price: -1 },
      { ...ok, price: Number.NaN },
      { ...ok, name: 5 },
      { ...ok, currency: 'EURO' },
      { ...ok, quantity: '2' },
    ]) {
      expect(isStoredEvent(bad), JSON.stringify(bad)).toBe(false);
    }
    expect(isStoredEvent({ ...ok, availability: 'SoldOut', source: 'microdata', price: 0, somethingNew: true })).toBe(true);
  });
});
