/**
 * Type tests of the public API, as a shop's code sees it (`import … from 'tacit'`; tsconfig.json maps the
 * name to src/index.ts). They run in `npm run typecheck` (part of `npm test`): a line marked
 * `@ts-expect-error` that compiles fails the typecheck, and so does an `expectTypeOf` that does not hold.
 */
import { expectTypeOf } from 'vitest';
import { createTacit, EVENT_TYPES, SEGMENT_NAMES } from 'tacit';
import type { TacitMethod, EventType, Recommendation, SegmentEventName, Tacit, TacitEvent, TrackInput, PropensityResult, BackendName } from 'tacit';

const tacit = createTacit({ model: '/models/shop/latest.json' });
expectTypeOf(tacit).toEqualTypeOf<Tacit>();

// TrackInput.type: the GA4 names and the Segment names, nothing else.
expectTypeOf<TrackInput['type']>().toEqualTypeOf<EventType | SegmentEventName>();
expectTypeOf<EventType>().toEqualTypeOf<(typeof EVENT_TYPES)[number]>();
expectTypeOf<SegmentEventName>().toEqualTypeOf<keyof typeof SEGMENT_NAMES>();
expectTypeOf<'Product Viewed'>().toMatchTypeOf<TrackInput['type']>();
void tacit.track({ type: 'view_item', itemId: 'sku-42', price: 19.9, currency: 'EUR' });
void tacit.track({ type: 'Order Completed', itemId: 'sku-42' });
// @ts-expect-error a misspelt event name does not compile
void tacit.track({ type: 'view_itme', itemId: 'sku-42' });
// @ts-expect-error nor does a name of neither convention
void tacit.track({ type: 'pageview' });
// @ts-expect-error source is one of the capture sources
void tacit.track({ type: 'view_item', itemId: 'a', source: 'manual' });

// What each method resolves with.
expectTypeOf(tacit.recommend).returns.resolves.toEqualTypeOf<Recommendation[]>();
expectTypeOf<Recommendation>().toHaveProperty('itemId').toEqualTypeOf<string>();
expectTypeOf(tacit.propensity).returns.resolves.toEqualTypeOf<PropensityResult | null>();
expectTypeOf(tacit.history).returns.resolves.toEqualTypeOf<TacitEvent[]>();
expectTypeOf(tacit.backend).returns.resolves.toEqualTypeOf<BackendName | null>();
expectTypeOf(tacit.storage).returns.resolves.toEqualTypeOf<'indexeddb' | 'memory'>();
expectTypeOf<TacitEvent['type']>().toEqualTypeOf<EventType>();
// @ts-expect-error k is a number
void tacit.recommend({ k: '4' });
// @ts-expect-error consent is granted or denied
void tacit.consent('yes');

// The method list (TACIT_METHODS, which the script tag wraps) covers the interface exactly.
expectTypeOf<TacitMethod>().toEqualTypeOf<keyof Tacit>();

// @ts-expect-error the model URL is required
createTacit({});
// @ts-expect-error backend is auto, webgl or cpu
createTacit({ model: '/m/latest.json', backend: 'wasm' });
