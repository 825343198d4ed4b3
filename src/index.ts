/**
 * Tacit's ES module entry. Named re-exports only; nothing is exported by accident.
 *
 * @example
 * import { createTacit } from 'tacit';
 * const tacit = createTacit({ model: 'https://cdn.example.com/models/shop/latest.json' });
 * await tacit.track({ type: 'view_item', itemId: 'sku-42' });
 * const items = await tacit.recommend({ k: 4 });
 */
import { createTacitWith, type Tacit, type TacitOptions } from './tacit.js';

/**
 * Creates a Tacit instance. The engine (TensorFlow.js and the model) loads in the background as a separate
 * chunk; `track` and `history` work at once. Throws a `TypeError` only for invalid options.
 * @example const tacit = createTacit({ model: '/models/shop/latest.json' })
 */
export function createTacit(options: TacitOptions): Tacit {
  return createTacitWith(options, () => import('./engine/index.js'));
}

export type { Tacit, TacitMethod, TacitOptions, RecommendOptions, Recommendation, PropensityResult, BackendName, BackendPreference, Consent, UpdateResult, Catalog } from './tacit.js';
export type { CatalogItem, CatalogAvailability } from './model/catalog.js';
export type { FeatureContribution } from './engine/propensity.js';
export type { TrackInput, TacitEvent, EventType, SegmentEventName, Availability, CaptureSource } from './events/vocabulary.js';
export { EVENT_TYPES, SEGMENT_NAMES, AVAILABILITY } from './events/vocabulary.js';
export { startCapture } from './events/capture/lazy.js';
export type { CaptureOptions } from './events/capture/index.js';
export { defineTacitElements } from './widgets/lazy.js';
export type { WidgetTarget, Card, RenderDetail, FallbackDetail } from './widgets/types.js';
export type { TacitManifest, LatestPointer } from './model/format.js';
