/**
 * Propensity features computed on the device from the shopper's own history. The trainer maps its
 * training data onto these same names (see trainer/shoppers.ts), so one definition serves both sides.
 */
import type { TacitEvent } from '../events/vocabulary.js';

/** A session ends after 30 minutes without an event (the usual web-analytics convention). */
export const SESSION_GAP_MS = 30 * 60_000;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'June', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

/** Every feature the SDK can compute, with its meaning. A model uses any subset, in its own order. */
export const DEVICE_FEATURES: Readonly<Record<string, string>> = {
  product_views: 'product pages viewed in this session',
  product_seconds: 'seconds spent on product pages in this session',
  returning_visitor: '1 if this device has history from an earlier session',
  weekend: '1 on Saturday or Sunday (local time)',
  ...Object.fromEntries(MONTHS.map((m) => [`month_${m}`, `1 in ${m} (local time)`])),
};

/** The month feature name for a JavaScript month index (0 = January), spelled as the UCI data spells it. */
export const monthFeature = (month: number): string => `month_${MONTHS[month]}`;

/** The events of the current session: the trailing run without a 30-minute gap, if it is still open. */
export function currentSession(events: readonly TacitEvent[], now: number): TacitEvent[] {
  let start = events.length;
  let next = now;
  while (start > 0 && next - events[start - 1]!.ts < SESSION_GAP_MS) {
    next = events[start - 1]!.ts;
    start--;
  }
  return events.slice(start);
}

/** Raw (untransformed) values of every device feature for the history as it is at `now`. */
export function deviceFeatures(events: readonly TacitEvent[], now: number): Record<string, number> {
  const session = currentSession(events, now);
  let views = 0;
  let seconds = 0;
  session.forEach((e, i) => {
    if (e.type !== 'view_item') return;
    views++;
    // Time on a product page: until the next event, or until now for the page in view; capped like a session.
    const until = i + 1 < session.length ? session[i + 1]!.ts : now;
    seconds += Math.min(Math.max(until - e.ts, 0), SESSION_GAP_MS) / 1000;
  });
  const date = new Date(now);
  const day = date.getDay();
  const out: Record<string, number> = {
    product_views: views,
    product_seconds: seconds,
    returning_visitor: events.length > session.length ? 1 : 0,
    weekend: day === 0 || day === 6 ? 1 : 0,
  };
  MONTHS.forEach((_, m) => (out[monthFeature(m)] = m === date.getMonth() ? 1 : 0));
  return out;
}
