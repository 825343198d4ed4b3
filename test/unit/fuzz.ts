/**
 * Property-based fuzzing with fast-check (issue 12): a fixed seed and a bounded number of runs in
 * `npm test`, so that CI is fast and repeatable; more with the environment:
 *   TACIT_FUZZ_RUNS=20000 TACIT_FUZZ_SEED=$RANDOM npx vitest run test/unit/fuzz-*.test.ts
 * A failure prints the seed and the shrunk counterexample; rerun with that seed to reproduce it.
 */
import fc from 'fast-check';
import { AVAILABILITY, CAPTURE_SOURCES, EVENT_TYPES } from '../../src/events/vocabulary.js';
import { MAX_ID_LENGTH, MAX_TEXT_LENGTH, normalizeEvent } from '../../src/events/validate.js';

export const FUZZ_RUNS = Number(process.env.TACIT_FUZZ_RUNS ?? 150);
export const FUZZ_SEED = Number(process.env.TACIT_FUZZ_SEED ?? 20261201);

/** Runs a property with the suite's seed and run count (`runs` scales the count for an expensive one). */
export function check<Ts extends [unknown, ...unknown[]]>(property: fc.IAsyncPropertyWithHooks<Ts> | fc.IPropertyWithHooks<Ts>, runs = 1): Promise<void> | void {
  return fc.assert(property as fc.IProperty<Ts>, { numRuns: Math.max(1, Math.round(FUZZ_RUNS * runs)), seed: FUZZ_SEED });
}

/** Text that stresses parsers: markup, entities, separators, whitespace runs, astral and control characters. */
export const nastyString = (maxLength = 200): fc.Arbitrary<string> =>
  fc.oneof(
    fc.string({ maxLength }),
    fc.string({ unit: 'binary', maxLength }),
    fc
      .array(fc.constantFrom('<', '>', '</script', '<script>', '&amp;', '&#39;', '&', ';', ',', '.', "'", '"', '-', ' ', '\t', '\n', '\u00a0', '\u2028', '/*', '*/', '<![CDATA[', ']]>', '<!--', '-->', '{', '}', '[', ']', '\\', '%2e', '..', '/', ':', '#', '1', '9', 'e', 'EUR', 'InStock', '__proto__', 'constructor', 'toString', '\u0000', '😀', '\ud800'), { maxLength: maxLength / 2 })
      .map((xs) => xs.join('')),
  );

/** Keys a parser must treat as data: prototype names and the fields it reads. */
export const nastyKey = fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', '@type', '@id', '@graph', 'name', 'sku', 'offers', 'price', 'priceCurrency', 'availability', 'url', 'brand', 'items', 'ecommerce', 'event', 'item_id', 'id', 'products');

/** JSON-like values with nasty keys and strings, as JSON.parse or a page's script could make them. */
export const nastyValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    nastyString(60),
    fc.double(),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(fc.oneof(nastyKey, fc.string({ maxLength: 8 })), tie('value'), { maxKeys: 6 }),
  ),
})).value;

const sources = new Set<string>(CAPTURE_SOURCES);
const types = new Set<string>(EVENT_TYPES);
const availability = new Set<string>(AVAILABILITY);

/** A captured item or event is within the documented limits, and the validator accepts it as it is. */
export function expectValidCapture(e: Record<string, unknown>): void {
  const fail = (why: string) => {
    throw new Error(`${why}: ${JSON.stringify(e)}`);
  };
  if (Object.getPrototypeOf(e) !== Object.prototype) fail('not a plain object');
  if (e.type !== undefined && !types.has(e.type as string)) fail('unknown type');
  if (e.source !== undefined && !sources.has(e.source as string)) fail('unknown source');
  if (e.itemId !== undefined && (typeof e.itemId !== 'string' || e.itemId.trim() !== e.itemId || e.itemId === '' || e.itemId.length > MAX_ID_LENGTH)) fail('bad itemId');
  for (const f of ['name', 'brand', 'category', 'variant', 'query']) {
    const v = e[f];
    if (v !== undefined && (typeof v !== 'string' || v === '' || v.length > MAX_TEXT_LENGTH || v.includes('<'))) fail(`bad ${f}`);
  }
  if (e.price !== undefined && !(typeof e.price === 'number' && Number.isFinite(e.price) && e.price >= 0 && e.price <= 1e9)) fail('bad price');
  if (e.quantity !== undefined && !(typeof e.quantity === 'number' && Number.isFinite(e.quantity) && e.quantity >= 0 && e.quantity <= 1e6)) fail('bad quantity');
  if (e.currency !== undefined && !/^[A-Z]{3}$/.test(e.currency as string)) fail('bad currency');
  if (e.availability !== undefined && !availability.has(e.availability as string)) fail('bad availability');
  if (e.type !== undefined) normalizeEvent(e); // throws when the one validator would refuse it
}

/** No property appeared on the shared prototypes. */
export function expectNoPollution(): void {
  for (const proto of [Object.prototype, Array.prototype]) {
    const extra = Object.getOwnPropertyNames(proto).filter((k) => ['polluted', 'isAdmin', 'x'].includes(k));
    if (extra.length) throw new Error(`prototype polluted: ${extra.join(', ')}`);
  }
  if (({} as Record<string, unknown>).polluted !== undefined) throw new Error('prototype polluted');
}
