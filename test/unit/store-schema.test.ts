import { describe, it, expect } from 'vitest';
import { readRecord, toRecord, SCHEMA_VERSION, META_KEY } from '../../src/store/schema.js';
import { normalizeEvent } from '../../src/events/validate.js';

describe('stored records: version and migration', () => {
  it('writes the current schema version on every record', () => {
    expect(SCHEMA_VERSION).toBe(1);
    const e = normalizeEvent({ type: 'view_item', itemId: 'a', availability: 'InStock', source: 'jsonld' }, 5);
    expect(toRecord(e)).toEqual({ ...e, v: 1 });
    expect(readRecord(toRecord(e))).toEqual(e);
  });

  it('reads Tacit 0.1 records (no version) by upgrading them', () => {
    expect(readRecord({ type: 'add_to_cart', ts: 9, itemId: '7', quantity: 2 })).toEqual({ type: 'add_to_cart', ts: 9, itemId: '7', quantity: 2 });
  });

  it('reads a newer version\'s record for the fields this version knows', () => {
    expect(readRecord({ v: 2, type: 'view_item', ts: 1, itemId: 'a', price: 3, somethingNew: { x: 1 } })).toEqual({ type: 'view_item', ts: 1, itemId: 'a', price: 3 });
  });

  it('refuses what is not a valid record', () => {
    const bad: unknown[] = [
      null,
      'view_item',
      [],
      { v: 1, type: 'view_item', ts: 1 }, // an item event without an item
      { v: 1, type: 'Product Viewed', ts: 1, itemId: 'a' },
      { v: 1, type: 'view_item', ts: 1, itemId: 5 },
      { v: 1, type: 'purchase', ts: 1, itemId: 'a', price: -1 },
      { v: -1, type: 'view_item', ts: 1, itemId: 'a' },
      { v: 'one', type: 'view_item', ts: 1, itemId: 'a' },
      { v: 1.5, type: 'view_item', ts: 1, itemId: 'a' },
      { schema: 1 }, // the meta record
    ];
    for (const b of bad) expect(readRecord(b), JSON.stringify(b)).toBeNull();
  });

  it('returns a copy with only known fields, never the stored object', () => {
    const stored = { v: 1, type: 'view_item', ts: 1, itemId: 'a', __proto__: { itemId: 'inherited' } };
    const e = readRecord(stored)!;
    expect(e).not.toBe(stored);
    expect(Object.keys(e).sort()).toEqual(['itemId', 'ts', 'type']);
  });

  it('keeps the meta key out of the event key range', () => {
    // Event keys start with a 9-character base-36 time ("0…"); "#" sorts before every digit.
    expect(META_KEY < '0').toBe(true);
  });
});
