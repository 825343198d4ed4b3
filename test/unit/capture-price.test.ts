/**
 * Price text across locales (issue 15, item 4). Two tables:
 * - PRICE_STRINGS: price strings as storefronts print them, with the amount a shopper reads. Patterns from
 *   the test tables of scrapinghub/price-parser (BSD-3-Clause; strings re-typed, not copied as code), and
 *   from the platforms in test/capture-corpus/SOURCES.md (Shopware, Magento, WooCommerce, Shopify money
 *   formats, Flipkart-style Indian grouping);
 * - every locale's own currency format as the browser prints it (Intl.NumberFormat, CLDR data), for amounts
 *   with thousands, decimals and neither.
 * Display text is read with `{ text: true }`; machine values (JSON-LD `price`, `content`) without it.
 */
import { describe, expect, it } from 'vitest';
import { amountCount, parsePrice } from '../../src/events/capture/price.js';

const NBSP = '\u00a0';
const NNBSP = '\u202f'; // narrow no-break space: French thousands separator since CLDR 34
const THIN = '\u2009';

// [text, amount]
const PRICE_STRINGS: [string, number][] = [
  // English
  ['$19.95', 19.95], ['$ 22.00', 22], ['US$:12.99', 12.99], ['A$190.00', 190], ['C$1,299.99', 1299.99], ['$1,199.00', 1199],
  ['$699,000', 699000], ['$ 119,999', 119999], ['£14.99', 14.99], ['£ 8.29', 8.29], ['Price From £ 39.95', 39.95],
  ['Our Price: $860.00', 860], ['$426.20/EA', 426.2], ['Price: $15.95/mo', 15.95], ['From $24.00 USD', 24], ['$10.00 – $20.00', 10],
  ['Sale price$29.99 Regular price$39.99', 29.99], ['2 Piece - $6.75', 6.75], ['$0.00', 0], ['USD 1,299.00', 1299],
  // India: lakh and crore grouping
  ['₹1,29,999', 129999], ['₹ 1,29,999.00', 129999], ['Rs. 1,299', 1299], ['Rs 12,34,567.50', 1234567.5], ['₹2,499 ₹3,999 37% off', 2499],
  ['INR 1,00,000', 100000],
  // German, Austrian, Swiss
  ['1.299,00 €', 1299], ['1.299,00' + NBSP + '€', 1299], ['€ 1.299,-', 1299], ['12,-', 12], ['34,50 € *', 34.5], ['Statt 249,00 EUR **', 249],
  ['ab 19,99 €', 19.99], ['59,90 EUR 599,00 EUR pro Kilogramm', 59.9], ['99,99 EUR (-30,00%) 69,99 EUR', 99.99], ['€ 2.109,00', 2109],
  ["CHF 1'299.50", 1299.5], ['CHF 1’299.50', 1299.5], ['CHF 86.00 *', 86], ['Fr. 49.90', 49.9], ['CHF 1’299.–', 1299],
  // French, Belgian, Canadian French
  ['1' + NNBSP + '299,00' + NBSP + '€', 1299], ['1 299,00 €', 1299], ['A partir de 9,08 €', 9.08], ['166,81 € iva inclusa', 166.81],
  ['1' + THIN + '299,50 $', 1299.5], ['302,44€ Χωρίς ΦΠΑ: 243,90€', 302.44],
  // Dutch, Spanish, Italian, Portuguese
  ['€ 12,-', 12], ['Vanaf € 49.95', 49.95], ['€ 1.299,00', 1299], ['1.299,00 €', 1299], ['R$ 1.299,90', 1299.9], ['R$260,00', 260],
  ['12x de R$ 108,33', 108.33], ['€16,95', 16.95],
  // Nordic, Polish, Czech, Hungarian, Romanian, Russian, Ukrainian
  ['1 299 kr', 1299], ['1.299,00 kr.', 1299], ['kr 1 299,-', 1299], ['45,00 zł', 45], ['841,00 zł – 995,00 zł', 841], ['Cena 283,50 PLN', 283.5],
  ['Běžná cena 9 800 Kč', 9800], ['1 995,00 Kč', 1995], ['39 900 Ft', 39900], ['1.299,99 lei', 1299.99], ['1 299 ₽', 1299],
  ['17 940,00 руб', 17940], ['5 450 руб.', 5450], ['2 285,81 грн.', 2285.81],
  // Asia, Middle East, Latin America
  ['¥1,980', 1980], ['1,980円', 1980], ['￥1,980 (税込)', 1980], ['¥1,299.00', 1299], ['₩29,900', 29900], ['29,900원', 29900],
  ['Rp 31.500', 31500], ['Rp1.299.000', 1299000], ['880.000 ₫', 880000], ['880,000 ₫', 880000], ['฿1,299.00', 1299], ['฿ 3.3900', 3.39],
  ['₪ 115', 115], ['AED 8000 (USD 2179)', 8000], ['1.299,00 TL', 1299], ['₺1.299,00', 1299], ['$ 1.144.000', 1144000], ['S/ 1,299.90', 1299.9],
  ['$1.299.990', 1299990], ['RM 1,299.00', 1299],
];

describe('price text as storefronts print it', () => {
  it.each(PRICE_STRINGS)('%j → %j', (text, amount) => {
    expect(parsePrice(text, { text: true })).toBe(amount);
  });
});

const LOCALES: Record<string, string> = {
  'en-US': 'USD', 'en-GB': 'GBP', 'en-AU': 'AUD', 'en-ZA': 'ZAR', 'en-IN': 'INR', 'hi-IN': 'INR', 'de-DE': 'EUR', 'de-AT': 'EUR', 'de-CH': 'CHF',
  'fr-FR': 'EUR', 'fr-CH': 'CHF', 'fr-CA': 'CAD', 'es-ES': 'EUR', 'es-MX': 'MXN', 'it-IT': 'EUR', 'nl-NL': 'EUR', 'nl-BE': 'EUR', 'pt-BR': 'BRL',
  'pt-PT': 'EUR', 'pl-PL': 'PLN', 'cs-CZ': 'CZK', 'sk-SK': 'EUR', 'hu-HU': 'HUF', 'ro-RO': 'RON', 'bg-BG': 'BGN', 'hr-HR': 'EUR', 'lt-LT': 'EUR',
  'et-EE': 'EUR', 'el-GR': 'EUR', 'sv-SE': 'SEK', 'da-DK': 'DKK', 'nb-NO': 'NOK', 'fi-FI': 'EUR', 'ru-RU': 'RUB', 'uk-UA': 'UAH', 'tr-TR': 'TRY',
  'he-IL': 'ILS', 'ja-JP': 'JPY', 'zh-CN': 'CNY', 'zh-TW': 'TWD', 'ko-KR': 'KRW', 'id-ID': 'IDR', 'vi-VN': 'VND', 'th-TH': 'THB', 'ms-MY': 'MYR',
};

describe('every locale’s currency format (Intl.NumberFormat)', () => {
  const cases = Object.entries(LOCALES).flatMap(([locale, currency]) =>
    [1299.5, 29.99, 1234567.89, 5].map((amount) => {
      const format = new Intl.NumberFormat(locale, { style: 'currency', currency });
      return [locale, format.format(amount), Number(amount.toFixed(format.resolvedOptions().maximumFractionDigits))] as const;
    }),
  );
  it.each(cases)('%s: %j → %j', (_locale, text, amount) => {
    expect(parsePrice(text, { text: true })).toBe(amount);
  });
});

describe('machine values and currency hints', () => {
  it.each([
    ['1.299', {}, 1.299], // schema.org writes a decimal point
    ['1.299', { currency: 'JPY' }, 1299], // …but a yen amount has no decimals
    ['31.500', { currency: 'IDR' }, 31500],
    ['1,299', {}, 1299],
    ['34.992001', {}, 34.992001],
    ['\n            29.99\n          ', {}, 29.99], // padded with line breaks (a template's whitespace)
    ['29.99 39.99', {}, 29.99], // a sale and a "was" price: the first, not 2999.3999
    ['1 299 1 499', {}, 1299],
  ] as const)('%j %j → %j', (text, hint, amount) => {
    expect(parsePrice(text, hint)).toBe(amount);
  });

  it('refuses negatives, percentages alone and text without an amount', () => {
    for (const text of ['-5', '€ -12,00', '−3.50 $', '-€5', '30%', 'Free!', 'call for price', '1.2.3,4,5', '12,34,5678'])
      expect(parsePrice(text, { text: true })).toBeUndefined();
  });

  it('counts the amounts in a text (a content attribute that needs choosing)', () => {
    expect(amountCount('19,99 €')).toBe(1);
    expect(amountCount('1 299,00 €')).toBe(1);
    expect(amountCount('€29.99 €39.99')).toBe(2);
    expect(amountCount('-20% 39,99 €')).toBe(1);
  });

  it('reads long text in bounded, linear time and takes its first amount', () => {
    const text = '1'.repeat(10) + ' '.repeat(100_000) + '2';
    expect(parsePrice(text)).toBeUndefined(); // 1111111111 is over 10⁹
    expect(parsePrice('19.99' + ' 1'.repeat(50_000))).toBe(19.99);
  });
});
