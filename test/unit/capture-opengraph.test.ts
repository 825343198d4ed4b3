import { describe, it, expect } from 'vitest';
import { itemFromOpenGraph } from '../../src/events/capture/opengraph.js';

const og = (tags: Record<string, string>, url = 'https://shop.example/products/acme-mug') => itemFromOpenGraph(new Map(Object.entries(tags)), url);

describe('itemFromOpenGraph', () => {
  it('Facebook product tags', () => {
    expect(
      og({ 'og:type': 'product.item', 'og:title': 'Tee', 'product:retailer_item_id': 'SKU_1', 'product:price:amount': '61.00', 'product:price:currency': 'eur', 'product:availability': 'in stock', 'product:brand': 'Google' }),
    ).toEqual({ itemId: 'SKU_1', name: 'Tee', price: 61, currency: 'EUR', availability: 'InStock', brand: 'Google' });
  });

  it("Shopify's og:price:* and the handle of og:url as the id", () => {
    expect(og({ 'og:type': 'product', 'og:url': 'https://snow.example/products/the-board', 'og:price:amount': '749,95', 'og:price:currency': 'USD' })).toEqual({
      itemId: 'the-board',
      price: 749.95,
      currency: 'USD',
    });
  });

  it('og:type og:product; the page URL when there is no og:url; a sale price wins', () => {
    expect(og({ 'og:type': 'og:product', 'product:price:amount': '20', 'product:sale_price:amount': '15', 'product:sale_price:currency': 'GBP', 'product:availability': 'oos' })).toEqual({
      itemId: 'acme-mug',
      price: 15,
      currency: 'GBP',
      availability: 'OutOfStock',
    });
  });

  it('not a product page: nothing', () => {
    for (const type of ['website', 'article', '', 'products']) expect(og({ 'og:type': type, 'product:price:amount': '1' })).toBeNull();
    expect(og({ 'product:price:amount': '1' })).toBeNull();
    expect(og({ 'og:type': 'product' }, 'https://shop.example/')).toBeNull();
  });

  it('bad values are left out', () => {
    expect(og({ 'og:type': 'product', 'product:retailer_item_id': 'X', 'product:price:amount': '-3', 'product:price:currency': '$', 'product:availability': 'soon', 'og:title': '<script>x</script>' })).toEqual({ itemId: 'X' });
  });
});
