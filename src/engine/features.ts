/**
 * Propensity features computed on the device from the shopper's own history. The trainer maps its
 * training data onto these same names (see trainer/shoppers.ts), so one definition serves both sides, and
 * a misspelt name fails to compile on either side (`DeviceFeature`).
 *
 * A "visit" here is the web-analytics session: events without a 30-minute gap. (In Tacit, "session" means
 * the item sequence the recommender encodes; see docs/architecture.md, Terms.)
 */
import type { TacitEvent } from '../events/vocabulary.js';
import type { PropensityFeature } from '../model/format.js';

/** A visit ends after 30 minutes without an event (the usual web-analytics convention). */
export const VISIT_GAP_MS = 30 * 60_000;

/** Month names as the UCI Online Shoppers data spells them (June in full), January first. */
export const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'June', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;
export type Month = (typeof MONTHS)[number];

/** The name of a feature the SDK can compute. */
export type DeviceFeature = 'product_views' | 'product_seconds' | 'returning_visitor' | 'weekend' | `month_${Month}`;

/** Every feature the SDK can compute, with its meaning. A model uses any subset, in its own order. */
export const DEVICE_FEATURES: Readonly<Record<DeviceFeature, string>> = {
  product_views: 'product pages viewed in this visit',
  product_seconds: 'seconds spent on product pages in this visit',
  returning_visitor: '1 if this device has history from an earlier visit',
  weekend: '1 on Saturday or Sunday (local time)',
  ...(Object.fromEntries(MONTHS.map((m) => [`month_${m}`, `1 in ${m} (local time)`])) as Record<`month_${Month}`, string>),
};

/** The month feature name for a JavaScript month index (0 = January). */
export const monthFeature = (month: number): `month_${Month}` => `month_${MONTHS[month]!}`;

/** How a feature's raw value is transformed before standardization (`PropensityFeature.transform`). */
export function transformValue(transform: PropensityFeature['transform'], raw: number): number {
  return transform === 'log1p' ? Math.log1p(Math.max(raw, 0)) : raw;
}

/** The value the model sees: transformed, then standardized with the trainer's mean and deviation. */
export function featureValue(f: Pick<PropensityFeature, 'transform' | 'mean' | 'std'>, raw: number): number {
  return (transformValue(f.transform, raw) - f.mean) / f.std;
}

/** The events of the current visit: the trailing run without a 30-minute gap, if it is still open. */
export function currentVisit(events: readonly TacitEvent[], now: number): TacitEvent[] {
  let start = events.length;
  let next = now;
  while (start > 0 && next - events[start - 1]!.ts < VISIT_GAP_MS) {
    next = events[start - 1]!.ts;
    start--;
  }
  return events.slice(start);
}

/** Raw (untransformed) values of every device feature for the history as it is at `now`. */
export function deviceFeatures(events: readonly TacitEvent[], now: number): Record<DeviceFeature, number> {
  const visit = currentVisit(events, now);
  let views = 0;
  let seconds = 0;
  visit.forEach((e, i) => {
    if (e.type !== 'view_item') return;
    views++;
    // Time on a product page: until the next event, or until now for the page in view; capped like a visit.
    const until = i + 1 < visit.length ? visit[i + 1]!.ts : now;
    seconds += Math.min(Math.max(until - e.ts, 0), VISIT_GAP_MS) / 1000;
  });
  const date = new Date(now);
  const day = date.getDay();
  const out: Partial<Record<DeviceFeature, number>> = {
    product_views: views,
    product_seconds: seconds,
    returning_visitor: events.length > visit.length ? 1 : 0,
    weekend: day === 0 || day === 6 ? 1 : 0,
  };
  MONTHS.forEach((_, m) => (out[monthFeature(m)] = m === date.getMonth() ? 1 : 0));
  return out as Record<DeviceFeature, number>; // every month set just above
}
