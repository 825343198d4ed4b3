import { describe, it, expect } from 'vitest';
import { eventFromAttributes } from '../../src/events/capture/attributes.js';

describe('eventFromAttributes (an element\'s dataset)', () => {
  it('reads every field, cleaned', () => {
    expect(
      eventFromAttributes({
        tacitEvent: 'add_to_cart',
        tacitItemId: ' LAMP-01 ',
        tacitName: 'Lampe <b>Atelier</b>',
        tacitPrice: '1.299,00 €',
        tacitCurrency: 'eur',
        tacitAvailability: 'https://schema.org/PreOrder',
        tacitBrand: 'Atelier',
        tacitCategory: 'Lights',
        tacitVariant: 'brass',
        tacitQuantity: '2',
      }),
    ).toEqual({ type: 'add_to_cart', source: 'attribute', itemId: 'LAMP-01', name: 'Lampe Atelier', price: 1299, currency: 'EUR', availability: 'PreOrder', brand: 'Atelier', category: 'Lights', variant: 'brass', quantity: 2 });
  });

  it('accepts Segment names and data-tacit-sku', () => {
    expect(eventFromAttributes({ tacitEvent: 'Product Added', tacitSku: 'S1' })).toEqual({ type: 'add_to_cart', source: 'attribute', itemId: 'S1' });
    expect(eventFromAttributes({ tacitEvent: 'search', tacitQuery: ' lamps ' })).toEqual({ type: 'search', source: 'attribute', query: 'lamps' });
  });

  it('unknown or prototype event names are not events', () => {
    for (const tacitEvent of ['wishlist', '', '__proto__', 'constructor', 'toString', undefined]) expect(eventFromAttributes({ tacitEvent })).toBeNull();
  });

  it('bad values are left out (the validator then decides whether the event stands)', () => {
    expect(eventFromAttributes({ tacitEvent: 'view_item', tacitItemId: 'A', tacitPrice: 'NaN', tacitQuantity: '-1', tacitCurrency: 'euro', tacitAvailability: 'soon' })).toEqual({ type: 'view_item', source: 'attribute', itemId: 'A' });
  });
});
